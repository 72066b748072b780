import type { Db } from 'mongodb';
import type { Directory } from '../../domain/directory.js';
import { silentLogger } from '../../logger.js';
import { createStores } from '../../store/stores.js';
import { createFirmSettings, createUseCases } from '../../wiring/useCases.js';

/**
 * The use cases the demo firm is written through: the product's own, built by the product's own
 * factory, with a clock the seeding moves forward so that the story spreads over the last weeks.
 * Nothing is sent to Teams: the demo's conversations do not exist yet (an offer card waits, as it
 * does for any guest not reachable), and no job runner is listening.
 */
export type DemoServices = ReturnType<typeof demoServices>;

export function demoServices(db: Db, directory: Directory, now: () => Date) {
  const stores = createStores(db);
  const useCases = createUseCases(
    stores,
    createFirmSettings(stores),
    {
      directory,
      welcomer: { welcomeInTeam: async () => undefined },
      accessNotifier: { requestFiled: async () => [], requestDecided: async () => undefined },
      pendingRequests: { remindPendingRequests: async () => undefined },
      mainManagers: { mainManagerUnavailable: async () => undefined },
      offerCards: { sendToClient: async () => undefined },
      guestReview: { mainManagerUserId: async () => null, remindGuestReview: async () => false },
      supportNotifier: { changed: async () => undefined, closeWarning: async () => undefined, firstAnswerReminder: async () => undefined },
      workQueued: () => undefined,
    },
    { now, redirectUrl: 'https://teams.microsoft.com', logger: silentLogger },
  );
  return { ...useCases, now, stores, projector: useCases.portfolioProjector };
}
