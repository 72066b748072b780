import type { Db, Document } from 'mongodb';
import { indexes } from '../../bot/store/mongo.js';

/** A query a turn sent: the collection and the filter the server had to match. */
export interface SentQuery {
  command: string;
  collection: string;
  filter: Document;
  raw: Document;
}

const queryCommands = new Set(['find', 'aggregate', 'count', 'distinct', 'findAndModify', 'update', 'delete']);

/**
 * The queries of a driver command: its own filter, and for an aggregate each $lookup's match on the
 * joined collection. None for commands that match nothing (insert, ping…).
 */
export function queriesOf(commandName: string, command: Document): SentQuery[] {
  const own = queryOf(commandName, command);
  if (!own) return [];
  const lookups = commandName === 'aggregate' ? ((command.pipeline as Document[] | undefined) ?? []).flatMap((stage) => (stage.$lookup ? [stage.$lookup as Document] : [])) : [];
  return [own, ...lookups.map((lookup) => ({ command: '$lookup', collection: String(lookup.from), filter: { [String(lookup.foreignField)]: 1 }, raw: {} }))];
}

function queryOf(commandName: string, command: Document): SentQuery | undefined {
  if (!queryCommands.has(commandName)) return undefined;
  const collection = String(command[commandName]);
  const filter: Document =
    commandName === 'find' ? command.filter ?? {}
    : commandName === 'aggregate' ? (command.pipeline?.[0]?.$match ?? {})
    : commandName === 'count' || commandName === 'distinct' ? command.query ?? {}
    : commandName === 'findAndModify' ? command.query ?? {}
    : commandName === 'update' ? command.updates?.[0]?.q ?? {}
    : command.deletes?.[0]?.q ?? {};
  return { command: commandName, collection, filter, raw: command };
}

/** Field names a filter constrains at its top level (and inside a top-level $and). */
function constrainedFields(filter: Document): Set<string> {
  const fields = new Set<string>();
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) for (const part of value) for (const field of constrainedFields(part as Document)) fields.add(field);
    else if (!key.startsWith('$')) fields.add(key);
  }
  return fields;
}

/**
 * Which of Passerelle's declared indexes can serve a query, judged from its filter alone: the index
 * whose longest key prefix the filter constrains. "none" means a collection scan on a real MongoDB.
 * The stand-in scans whatever the indexes; a real server's plans are printed with BENCH_MONGODB_URI.
 */
export function declaredIndexFor(query: SentQuery): string {
  const fields = constrainedFields(query.filter);
  if (fields.has('_id')) return '_id_';
  let best: { name: string; covered: number; total: number } | undefined;
  for (const spec of indexes) {
    if (spec.collection !== query.collection) continue;
    const keys = Object.keys(spec.keys as Record<string, unknown>);
    let covered = 0;
    while (covered < keys.length && fields.has(keys[covered]!)) covered++;
    if (covered > 0 && (!best || covered > best.covered)) best = { name: spec.options.name, covered, total: keys.length };
  }
  if (!best) return 'none (scan)';
  const unserved = [...fields].filter((field) => !Object.keys(indexes.find((spec) => spec.collection === query.collection && spec.options.name === best!.name)!.keys as Record<string, unknown>).includes(field));
  return `${best.name} (${best.covered}/${best.total} keys${unserved.length ? `; filtered after: ${unserved.join(', ')}` : ''})`;
}

const ignoredFields = new Set(['lsid', '$db', '$clusterTime', 'txnNumber', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'readConcern', 'writeConcern']);

/** The real server's plan for one query: the stages it would run, e.g. "FETCH < IXSCAN firm_code_unique". */
export async function serverPlanOf(db: Db, query: SentQuery): Promise<string> {
  // A $lookup's side is in the aggregate's own plan (EQ_LOOKUP on MongoDB 6+).
  if (query.command === '$lookup') return 'see the aggregate above';
  const command = Object.fromEntries(Object.entries(query.raw).filter(([key]) => !ignoredFields.has(key)));
  try {
    const explained = await db.command({ explain: command, verbosity: 'queryPlanner' });
    const planner = (explained.queryPlanner ?? explained.stages?.[0]?.$cursor?.queryPlanner) as Document | undefined;
    return planner ? describeStage(planner.winningPlan as Document) : 'no plan returned';
  } catch (error) {
    return `explain failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function describeStage(stage: Document | undefined): string {
  if (!stage) return '?';
  const inner = (stage.queryPlan as Document | undefined) ?? stage;
  const name = `${inner.stage}${inner.indexName ? ` ${inner.indexName}` : ''}`;
  const children = [inner.inputStage, ...((inner.inputStages as Document[] | undefined) ?? [])].filter(Boolean) as Document[];
  return children.length ? `${name} < ${children.map(describeStage).join(' + ')}` : name;
}
