import type { ClientFileService } from '../domain/clientFileService.js';
import type { ContactService } from '../domain/contactService.js';
import type { FirmSettingsService } from '../domain/firmSettingsService.js';
import type { UserPreferenceStore } from '../domain/ports.js';

/** The use cases the Teams layer calls; built once in bot/index.ts and handed to every handler. */
export interface TeamsServices {
  clientFiles: ClientFileService;
  contacts: ContactService;
  firmSettings: FirmSettingsService;
  preferences: UserPreferenceStore;
  newRequestId: () => string;
}
