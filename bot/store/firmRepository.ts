import type { Collection, Db, ObjectId } from 'mongodb';
import type { EngagementPolicy, FirmSettings, FirmStore, GuestPolicy, SupportPolicy } from '../domain/ports.js';
import type { OfferDefinition } from '../domain/offers/catalogue.js';
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
  createdAt: Date;
}

/** Settings added after a firm was created take their defaults until the firm changes them. */
function settingsOf(firmId: string, document: FirmDocument | null, defaults: Omit<FirmSettings, 'firmId'>): FirmSettings {
  return {
    firmId,
    ...(document?.name ? { name: document.name } : {}),
    orgRoles: document?.orgRoles ?? defaults.orgRoles,
    guestPolicy: { ...defaults.guestPolicy, ...document?.guestPolicy },
    offerCatalogue: document?.offerCatalogue?.length ? document.offerCatalogue : defaults.offerCatalogue,
    engagementPolicy: { ...defaults.engagementPolicy, ...document?.engagementPolicy },
    supportPolicy: { ...defaults.supportPolicy, ...document?.supportPolicy },
  };
}

export class MongoFirmStore implements FirmStore {
  private readonly collection: Collection<FirmDocument>;

  constructor(db: Db) {
    this.collection = db.collection<FirmDocument>(collections.firms);
  }

  ensure(firmId: string, defaults: Omit<FirmSettings, 'firmId'>): Promise<FirmSettings> {
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
}
