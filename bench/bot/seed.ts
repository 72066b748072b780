import { ObjectId, type Db } from 'mongodb';
import type { ActorStamp } from '../../bot/domain/actor.js';
import { unlimitedScope } from '../../bot/domain/catalogues.js';
import { clientFileSearchTokens, defaultEquipment } from '../../bot/domain/clientFile.js';
import { contactSearchTokens } from '../../bot/domain/contact.js';
import { PortfolioProjector, summariseFile } from '../../bot/domain/portfolioSummary.js';
import type { ClientFileDocument } from '../../bot/store/clientFileRepository.js';
import type { ContactDocument } from '../../bot/store/contactRepository.js';
import { collections, ensureIndexes } from '../../bot/store/mongo.js';
import { MongoPortfolioSummaryStore } from '../../bot/store/portfolioRepository.js';

/** Trades and surnames: a partial name such as "boul mart" finds a few files, as staff type them. */
const trades = [
  'Boulangerie', 'Garage', 'Pharmacie', 'Restaurant', 'Plomberie', 'Menuiserie', 'Boucherie', 'Fleuriste', 'Librairie', 'Coiffure',
  'Électricité', 'Transports', 'Imprimerie', 'Pâtisserie', 'Charcuterie', 'Optique', 'Maçonnerie', 'Couverture', 'Peinture', 'Serrurerie',
  'Cave', 'Épicerie', 'Traiteur', 'Hôtel', 'Camping', 'Auto-école', 'Taxi', 'Ambulances', 'Cordonnerie', 'Bijouterie',
  'Studio', 'Atelier', 'Agence', 'Conseil', 'Immobilier', 'Pressing', 'Laverie', 'Paysagiste', 'Chauffage', 'Carrosserie',
];
const surnames = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
  'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
  'Morel', 'Girard', 'André', 'Lefebvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez',
  'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas',
  'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin',
];
const firstNames = ['Léa', 'Hugo', 'Chloé', 'Louis', 'Emma', 'Jules', 'Manon', 'Arthur', 'Camille', 'Paul', 'Inès', 'Gabriel', 'Zoé', 'Raphaël', 'Jade', 'Nathan'];

export interface SeededFirm {
  codes: string[];
  /** Partial names ("boul mart"): each finds one file or a few. */
  partialNames: string[];
  emails: string[];
  fileIds: string[];
  seconds: number;
}

const benchCodeOf = (number: number) => `B${String(number).padStart(5, '0')}`;

/**
 * A firm of `files` client files with `contactsPerFile` contacts each, written in bulk in the stores'
 * documented shapes (one insertMany per thousand documents), each file with the portfolio summary the
 * product's projector computes (summariseFile), so that the server starts with nothing left to rebuild.
 */
export async function seedFirm(db: Db, firmId: string, options: { files: number; contactsPerFile: number }): Promise<SeededFirm> {
  const started = performance.now();
  await ensureIndexes(db);
  const created: ActorStamp = { userId: 'bench-seed', displayName: 'Banc d’essai', at: new Date('2026-01-05T09:00:00Z') };
  const files: ClientFileDocument[] = [];
  const contacts: ContactDocument[] = [];
  const links: Record<string, unknown>[] = [];
  const partialNames = new Set<string>();
  for (let number = 1; number <= options.files; number++) {
    const trade = trades[number % trades.length]!;
    const surname = surnames[Math.floor(number / trades.length) % surnames.length]!;
    const code = benchCodeOf(number);
    const companyName = `${trade} ${surname}${number > trades.length * surnames.length ? ` ${Math.ceil(number / (trades.length * surnames.length))}` : ''}`;
    const fileId = new ObjectId();
    const contactIds = Array.from({ length: options.contactsPerFile }, () => new ObjectId());
    const fileContacts: ContactDocument[] = [];
    contactIds.forEach((contactId, index) => {
      const firstName = firstNames[(number + index) % firstNames.length]!;
      const lastName = surnames[(number * 7 + index) % surnames.length]!;
      const email = `${normalise(firstName)}.${normalise(lastName)}.${number}-${index}@client-bench.fr`;
      fileContacts.push({
        _id: contactId, firmId, lastName, firstName, mobile: '+33612345678', email, address: { city: 'Lyon' },
        searchTokens: contactSearchTokens({ lastName, firstName, email }), creationRequestId: `bench-contact-${number}-${index}`, created, updatedAt: created.at,
      });
      links.push({ firmId, clientFileId: fileId, contactId, scope: unlimitedScope, linked: created });
    });
    contacts.push(...fileContacts);
    // The portfolio summary the projector would compute (bot/domain/portfolioSummary.ts), written with the file.
    const summaryFile = { id: fileId.toHexString(), firmId, companyName, primaryContactId: contactIds[0]!.toHexString() };
    const portfolio = summariseFile(summaryFile, {
      files: [summaryFile],
      links: contactIds.map((contactId) => ({ clientFileId: summaryFile.id, contactId: contactId.toHexString() })),
      contacts: fileContacts.map((contact) => ({ id: contact._id!.toHexString(), firstName: contact.firstName, lastName: contact.lastName, email: contact.email, state: 'notInvited' as const })),
      subscriptions: [],
      flows: [],
      shines: [],
    });
    files.push({
      _id: fileId, firmId, code, companyName, searchTokens: clientFileSearchTokens({ code, companyName }), equipment: defaultEquipment(), collection: {},
      primaryContactId: contactIds[0], creationRequestId: `bench-file-${code}`, created, updatedAt: created.at,
      ...({ portfolio, portfolioReadAt: 0 } as object),
    });
    partialNames.add(`${normalise(trade).slice(0, 4)} ${normalise(surname).slice(0, 4)}`);
  }
  for (const [name, documents] of [[collections.clientFiles, files], [collections.contacts, contacts], [collections.contactLinks, links]] as const) {
    for (let start = 0; start < documents.length; start += 1_000) {
      await db.collection(name).insertMany(documents.slice(start, start + 1_000) as never[], { ordered: false });
    }
  }
  // The same start-up pass the server runs: it finds nothing left to summarise.
  const rebuilt = await new PortfolioProjector({ store: new MongoPortfolioSummaryStore(db) }).rebuildStale(1_000);
  if (rebuilt > 0) throw new Error(`the seed left ${rebuilt} files without their portfolio summary`);
  return {
    codes: files.map((file) => file.code),
    partialNames: [...partialNames],
    emails: contacts.map((contact) => contact.email),
    fileIds: files.map((file) => file._id!.toHexString()),
    seconds: (performance.now() - started) / 1_000,
  };
}

function normalise(word: string): string {
  return word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}
