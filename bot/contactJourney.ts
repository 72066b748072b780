import type { AuditLog, ClientFileStore, ContactLinkStore, ContactStore } from './domain/ports.js';
import type { ClientFileService } from './domain/clientFileService.js';
import { ContactChanges, type IdentityChangeQueue } from './domain/contactChanges.js';
import type { ContactService } from './domain/contactService.js';
import type { FirmSettingsService } from './domain/firmSettingsService.js';
import { GuestEngagement } from './domain/guestEngagement.js';
import type { GuestOnboardingService } from './domain/guestOnboardingService.js';
import { IdentityChanges } from './domain/identityChange.js';
import type { OfferService } from './domain/offers/offerService.js';
import type { SubscriptionStore } from './domain/offers/subscription.js';
import {
  CancelChangeAction,
  ChangeIdentityAction,
  DeleteContactAction,
  OpenDeleteContactAction,
  OpenEditContactAction,
  OpenReviewDecisionAction,
  OpenUnlinkAction,
  ReviewDecideAction,
  ShowGuestReviewAction,
  UnlinkContactAction,
  UpdateContactAction,
  type JourneyTeamsServices,
} from './teams/actions/journeyActions.js';
import { EditContactCommand, GuestReviewCommand } from './teams/commands/journeyCommands.js';
import type { BotCommand, CardActionHandler } from './teams/handlers.js';
import type { TeamsServices } from './teams/services.js';

/**
 * A contact's journey after creation, and the end of an engagement: the use cases (edit, identity
 * change, unlink, delete; a guest's fate, revocation, review) and their Teams handlers, wired here so
 * that the composition root adds them in a few lines.
 */
export interface ContactJourney extends JourneyTeamsServices {
  identityChanges: IdentityChanges;
}

export function createContactJourney(deps: {
  contacts: ContactStore;
  links: ContactLinkStore;
  clientFiles: ClientFileStore;
  subscriptions: SubscriptionStore;
  audit: AuditLog;
  firmSettings: FirmSettingsService;
  contactService: ContactService;
  clientFileService: ClientFileService;
  onboarding: GuestOnboardingService;
  offers: OfferService;
  identityJobs: IdentityChangeQueue;
  now: () => Date;
}): ContactJourney {
  const engagement = new GuestEngagement({
    contacts: deps.contacts,
    subscriptions: deps.subscriptions,
    clientFileStore: deps.clientFiles,
    offers: deps.offers,
    onboarding: deps.onboarding,
    contactDetails: deps.contactService,
    clientFiles: deps.clientFileService,
    firmSettings: deps.firmSettings,
    audit: deps.audit,
    now: deps.now,
  });
  const changes = new ContactChanges({
    contacts: deps.contacts,
    links: deps.links,
    clientFiles: deps.clientFiles,
    contactDetails: deps.contactService,
    firmSettings: deps.firmSettings,
    engagement,
    identityJobs: deps.identityJobs,
    audit: deps.audit,
    now: deps.now,
  });
  const identityChanges = new IdentityChanges({ contacts: deps.contacts, subscriptions: deps.subscriptions, onboarding: deps.onboarding, audit: deps.audit, now: deps.now });
  return { engagement, changes, identityChanges };
}

export function journeyCommands(services: TeamsServices, journey: JourneyTeamsServices): BotCommand[] {
  return [new EditContactCommand(services), new GuestReviewCommand(journey)];
}

export function journeyActions(services: TeamsServices, journey: JourneyTeamsServices): CardActionHandler[] {
  return [
    new OpenEditContactAction(services),
    new UpdateContactAction(services, journey),
    new ChangeIdentityAction(services, journey),
    new CancelChangeAction(),
    new OpenUnlinkAction(services, journey),
    new UnlinkContactAction(services, journey),
    new OpenDeleteContactAction(journey),
    new DeleteContactAction(journey),
    new ShowGuestReviewAction(journey),
    new OpenReviewDecisionAction(journey),
    new ReviewDecideAction(journey),
  ];
}
