import type { Db } from 'mongodb';
import type { Directory } from '../../domain/directory.js';
import { createAccessCore } from '../../domain/access/accessUseCases.js';
import { ClientFileService } from '../../domain/clientFileService.js';
import { ContactService } from '../../domain/contactService.js';
import { FirmSettingsService } from '../../domain/firmSettingsService.js';
import { GuestOnboardingService } from '../../domain/guestOnboardingService.js';
import { OfferService } from '../../domain/offers/offerService.js';
import { FlowService } from '../../domain/partners/flowService.js';
import { ShineService } from '../../domain/partners/shineService.js';
import { PortfolioProjector } from '../../domain/portfolioSummary.js';
import { MongoAccessRequestStore, MongoMembershipStore, MongoStructureStore } from '../../store/accessRepositories.js';
import { MongoAuditLog } from '../../store/auditRepository.js';
import { MongoClientFileStore } from '../../store/clientFileRepository.js';
import { MongoContactLinkStore } from '../../store/contactLinkRepository.js';
import { MongoContactStore } from '../../store/contactRepository.js';
import { MongoFirmStore } from '../../store/firmRepository.js';
import { MongoPartnerAppStore } from '../../store/partnerAppRepository.js';
import { MongoPortfolioSummaryStore } from '../../store/portfolioRepository.js';
import { MongoSubscriptionStore } from '../../store/subscriptionRepository.js';
import { MongoTeamStore } from '../../store/teamRepository.js';

/**
 * The use cases the demo firm is written through, on the product's own stores, with a clock the seeding
 * moves forward so that the story spreads over the last weeks. Nothing is sent to Teams: the demo's
 * conversations do not exist yet (an offer card waits, as it does for any guest not reachable).
 */
export type DemoServices = ReturnType<typeof demoServices>;

export function demoServices(db: Db, directory: Directory, now: () => Date) {
  const stores = {
    clientFiles: new MongoClientFileStore(db),
    contacts: new MongoContactStore(db),
    links: new MongoContactLinkStore(db),
    teams: new MongoTeamStore(db),
    audit: new MongoAuditLog(db),
    apps: new MongoPartnerAppStore(db),
  };
  const firmSettings = new FirmSettingsService(new MongoFirmStore(db));
  const clientFiles = new ClientFileService({ ...stores, now });
  const contacts = new ContactService({ ...stores, firmSettings, clientFileService: clientFiles, now });
  const onboarding = new GuestOnboardingService({
    ...stores,
    directory,
    firmSettings,
    welcomer: { welcomeInTeam: async () => undefined },
    redirectUrl: 'https://teams.microsoft.com',
    now,
  });
  const offers = new OfferService({
    ...stores,
    subscriptions: new MongoSubscriptionStore(db),
    catalogue: firmSettings,
    // Every contact offered something in the demo has been invited first.
    invitations: { inviteForOffer: async () => undefined },
    cards: { sendToClient: async () => undefined },
    now,
  });
  // As the server does: an offer waiting for its guest starts when they accept.
  onboarding.onProgress({
    guestAccepted: async (firmId, contactId, at) => void (await offers.activateWaiting(firmId, contactId, at)),
    guestJoinedTeam: async () => undefined,
  });
  const access = createAccessCore({
    structures: new MongoStructureStore(db),
    memberships: new MongoMembershipStore(db),
    requests: new MongoAccessRequestStore(db),
    now,
  });
  return {
    now,
    stores,
    firmSettings,
    clientFiles,
    contacts,
    onboarding,
    offers,
    access,
    flow: new FlowService({ ...stores, firm: firmSettings }),
    shine: new ShineService(stores),
    projector: new PortfolioProjector({ store: new MongoPortfolioSummaryStore(db) }),
  };
}
