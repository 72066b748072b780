import type { Db } from 'mongodb';
import { isDeployed, type Config } from '../../config.js';
import { GraphDirectory } from '../../directory/graphDirectory.js';
import type { LocalTenant } from '../../directory/localTenant.js';
import type { Directory } from '../../domain/directory.js';
import type { Logger } from '../../logger.js';
import { collections, connectMongo } from '../../store/mongo.js';
import { seedDemoFirm, type DemoSummary, type DemoTenant } from './seedDemoFirm.js';

/** `npm start -- --empty`: start on an empty database, without the demo firm. */
export const emptyStartFlag = '--empty';

export type DemoDecision =
  | { seed: true }
  | {
      seed: false;
      /** optedOut: --empty or PASSERELLE_DEMO=0; deployed: not local mode; realDirectory: Graph is not the local tenant; hasData: the database is in use. */
      reason: 'optedOut' | 'deployed' | 'realDirectory' | 'hasData';
    };

/**
 * Whether `npm start` writes the demo firm: only in local mode, only through the local tenant (the demo
 * invites its guests there, never in a real tenant), only on a database with no data at all, and not
 * when the person asked for an empty start.
 */
export function decideDemoSeeding(input: { argv: readonly string[]; demoEnabled: boolean; deployed: boolean; localTenant: boolean; databaseEmpty: boolean }): DemoDecision {
  if (input.deployed) return { seed: false, reason: 'deployed' };
  if (!input.demoEnabled || input.argv.includes(emptyStartFlag)) return { seed: false, reason: 'optedOut' };
  if (!input.localTenant) return { seed: false, reason: 'realDirectory' };
  if (!input.databaseEmpty) return { seed: false, reason: 'hasData' };
  return { seed: true };
}

/** True when no collection of the product holds a document: no firm, no file, no contact, nothing. */
export async function databaseIsEmpty(db: Db): Promise<boolean> {
  for (const name of Object.values(collections)) {
    if (await db.collection(name).findOne({}, { projection: { _id: 1 } })) return false;
  }
  return true;
}

export type DemoOffer = { decision: DemoDecision; summary?: DemoSummary };

/** Decides, then seeds when it should: what `npm start` runs between the local tenant and the server. */
export async function offerDemoFirm(
  db: Db,
  options: { argv: readonly string[]; demoEnabled: boolean; deployed: boolean; tenant?: DemoTenant; directory: Directory; logger: Logger },
): Promise<DemoOffer> {
  const decided = { argv: options.argv, demoEnabled: options.demoEnabled, deployed: options.deployed, localTenant: Boolean(options.tenant) };
  // The database is only read when everything else allows the demo.
  const beforeReading = decideDemoSeeding({ ...decided, databaseEmpty: true });
  const decision = beforeReading.seed ? decideDemoSeeding({ ...decided, databaseEmpty: await databaseIsEmpty(db) }) : beforeReading;
  if (!decision.seed || !options.tenant) return { decision };
  return { decision, summary: await seedDemoFirm(db, { directory: options.directory, tenant: options.tenant, logger: options.logger }) };
}

/**
 * `npm start`'s step between the local tenant and the server: with the configuration it is about to
 * start the server with, and the local tenant when it runs one (GRAPH_BASE_URL unset).
 */
export async function offerDemoFirmOnStart(config: Config, tenant: LocalTenant | undefined, argv: readonly string[], logger: Logger): Promise<DemoOffer> {
  if (!config.MONGODB_URI) throw new Error('MONGODB_URI manquant');
  const client = connectMongo(config.MONGODB_URI);
  try {
    const offer = await offerDemoFirm(client.db(config.MONGODB_DB), {
      argv,
      demoEnabled: config.PASSERELLE_DEMO,
      deployed: isDeployed(config.PASSERELLE_ENV),
      tenant,
      directory: GraphDirectory.fromConfig(config, logger),
      logger,
    });
    // Both sides of the story on disk now: a crash before Ctrl+C must not keep one without the other.
    if (offer.summary) await tenant?.save();
    return offer;
  } finally {
    await client.close();
  }
}

/** The banner's lines about the data: what is there and how to start otherwise. */
export function demoBannerRows(offer: DemoOffer, localDatabase: boolean): [string, string][] {
  const restart = localDatabase ? 'repartir de zéro : arrêter, supprimer .data/, relancer' : 'base externe (MONGODB_URI) : la vider pour repartir de zéro';
  if (offer.summary) {
    const { files, contacts } = offer.summary;
    return [
      ['Données', `démonstration : Cabinet Démo, ${files} dossiers, ${contacts} interlocuteurs`],
      ['', 'tous les états d’invitation, offres, Flow et Shine en cours, journal d’audit'],
      ['', `démarrer sans : npm start -- ${emptyStartFlag} (ou PASSERELLE_DEMO=0), base vide`],
    ];
  }
  switch (offer.decision.seed ? 'hasData' : offer.decision.reason) {
    case 'optedOut':
      return [['Données', 'base vide, sans démonstration (--empty ou PASSERELLE_DEMO=0)']];
    case 'realDirectory':
      return [['Données', 'pas de démonstration : Microsoft Graph n’est pas le tenant local (GRAPH_BASE_URL)']];
    case 'deployed':
      return [['Données', 'pas de démonstration hors mode local']];
    default:
      return [['Données', 'base existante (aucune donnée de démonstration ajoutée)'], ['', restart]];
  }
}
