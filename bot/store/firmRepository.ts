import type { Collection, Db, ObjectId } from 'mongodb';
import type { ActorStamp } from '../domain/actor.js';
import type { AuditEntry, EngagementPolicy, FirmDefaults, FirmSettings, FirmSettingsChange, FirmStore, GuestPolicy, PartnerDefaults, SupportPolicy } from '../domain/ports.js';
import type { OfferDefinition } from '../domain/offers/catalogue.js';
import { AuditRelay, auditDocument, type PendingAudit } from './auditRelay.js';
import { collections, guarded, isDuplicateKey } from './mongo.js';

interface FirmDocument {
  _id?: ObjectId;
  firmId: string;
  name?: string;
  orgRoles: string[];
  guestPolicy?: GuestPolicy;
  offerCatalogue?: OfferDefinition[];
  engagementPolicy?: EngagementPolicy;
  supportPolicy?: SupportPolicy;
  partnerDefaults?: Partial<PartnerDefaults>;
  flowAppAuthorised?: ActorStamp;
  settingsVersion?: number;
  pendingAudit?: PendingAudit[];
  createdAt: Date;
}

/** Settings added after a firm was created take their defaults until the firm changes them. */
function settingsOf(firmId: string, document: FirmDocument | null, defaults: FirmDefaults): FirmSettings {
  return {
    firmId,
    ...(document?.name ? { name: document.name } : {}),
    orgRoles: document?.orgRoles ?? defaults.orgRoles,
    guestPolicy: { ...defaults.guestPolicy, ...document?.guestPolicy },
    offerCatalogue: document?.offerCatalogue?.length ? document.offerCatalogue : defaults.offerCatalogue,
    engagementPolicy: { ...defaults.engagementPolicy, ...document?.engagementPolicy },
    supportPolicy: { ...defaults.supportPolicy, ...document?.supportPolicy },
    partnerDefaults: { shine: { ...defaults.partnerDefaults.shine, ...document?.partnerDefaults?.shine } },
    ...(document?.flowAppAuthorised ? { flowAppAuthorised: document.flowAppAuthorised } : {}),
    version: document?.settingsVersion ?? 0,
  };
}

export class MongoFirmStore implements FirmStore {
  private readonly collection: Collection<FirmDocument>;
  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.collection = db.collection<FirmDocument>(collections.firms);
    this.relay = relay;
  }

  ensure(firmId: string, defaults: FirmDefaults): Promise<FirmSettings> {
    return guarded(async () => {
      const known = await this.collection.findOne({ firmId });
      if (known?.orgRoles) return settingsOf(firmId, known, defaults);
      // Other parts of the firm document (e.g. its main manager) may have created it first:
      // fill in only what is missing, never overwrite.
      await this.collection.updateOne({ firmId }, { $setOnInsert: { firmId, createdAt: new Date() } }, { upsert: true }).catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
      });
      await this.collection.updateOne({ firmId, orgRoles: { $exists: false } }, { $set: { orgRoles: defaults.orgRoles } });
      return settingsOf(firmId, await this.collection.findOne({ firmId }), defaults);
    });
  }

  addOrgRole(firmId: string, role: string): Promise<boolean> {
    return guarded(async () => (await this.collection.updateOne({ firmId }, { $addToSet: { orgRoles: role } })).modifiedCount === 1);
  }

  removeOrgRole(firmId: string, role: string): Promise<boolean> {
    return guarded(async () => (await this.collection.updateOne({ firmId }, { $pull: { orgRoles: role } })).modifiedCount === 1);
  }

  setName(firmId: string, name: string): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne({ firmId }, { $set: { name } });
    });
  }

  updateGuestPolicy(firmId: string, policy: GuestPolicy): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne({ firmId }, { $set: { guestPolicy: policy } });
    });
  }

  updateEngagementPolicy(firmId: string, policy: EngagementPolicy): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne({ firmId }, { $set: { engagementPolicy: policy } });
    });
  }

  updateSupportPolicy(firmId: string, policy: SupportPolicy): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne({ firmId }, { $set: { supportPolicy: policy } });
    });
  }

  applyChange(firmId: string, expectedVersion: number, change: FirmSettingsChange, audit: AuditEntry[]): Promise<boolean> {
    return guarded(async () => {
      // Version 0 is also settings never changed through the administration, whose document has no version yet.
      const version = expectedVersion === 0 ? { $or: [{ settingsVersion: 0 }, { settingsVersion: { $exists: false } }] } : { settingsVersion: expectedVersion };
      const set = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
      const update = {
        $set: { ...set, settingsVersion: expectedVersion + 1 },
        ...(audit.length ? { $push: { pendingAudit: { $each: audit.map(auditDocument) } } } : {}),
      };
      const done = (await this.collection.updateOne({ firmId, ...version }, update as never)).modifiedCount === 1;
      if (done && audit.length) await this.relay.flush(collections.firms, { firmId });
      return done;
    });
  }
}
