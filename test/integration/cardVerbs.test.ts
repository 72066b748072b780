import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { executeActivity } from '../helpers/activities.js';
import { messagesFor } from '../../bot/i18n/index.js';

const templatesDir = fileURLToPath(new URL('../../bot/cards/templates/', import.meta.url));
const botDir = fileURLToPath(new URL('../../bot/', import.meta.url));

/** Every verb a card JSON can emit: Action.Execute verbs, refresh verbs, and `verb` in submitted data. */
function templateVerbs(): { literal: Map<string, string>; dynamic: string[] } {
  const literal = new Map<string, string>();
  const dynamic: string[] = [];
  for (const file of readdirSync(templatesDir).filter((name) => name.endsWith('.json'))) {
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'verb' && typeof value === 'string') {
          if (value.includes('${')) dynamic.push(file);
          else literal.set(value, file);
        }
        walk(value);
      }
    };
    walk(JSON.parse(readFileSync(`${templatesDir}${file}`, 'utf8')));
  }
  return { literal, dynamic };
}

/**
 * Verbs the card builders hand to a template's `${verb}` (search results open a file, a contact, or
 * go on to invite, revoke or propose): the `verb` defaults and arguments written in bot/ sources.
 */
function builderVerbs(): Map<string, string> {
  const verbs = new Map<string, string>();
  const sources = readdirSync(botDir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
  for (const name of sources) {
    const text = readFileSync(`${botDir}${name}`, 'utf8');
    // In the card builders only: elsewhere `verb = '…'` declares a handler, which is what is checked.
    if (name.startsWith('cards')) for (const match of text.matchAll(/\bverb(?: = |: )'([a-zA-Z]+\.[a-zA-Z]+)'/g)) verbs.set(match[1]!, name);
    for (const match of text.matchAll(/ResultsCard\([^;]*?'([a-zA-Z]+\.[a-zA-Z]+)'\)/g)) verbs.set(match[1]!, name);
  }
  return verbs;
}

describe('every verb a card can emit has a handler', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  const unknownAction = messagesFor('fr').errors.unknownAction;

  before(async () => {
    passerelle = await startTestPasserelle({ backgroundWork: false });
  });
  after(async () => {
    await passerelle?.stop();
  });

  /** What the bot answers to a verb, empty data: a handler answers something other than « no longer available ». */
  async function answerTo(verb: string): Promise<string> {
    const response = await passerelle.post(executeActivity(verb, {}, { serviceUrl: passerelle.connector.url }));
    assert.equal(response.status, 200, `invoke ${verb}`);
    return JSON.stringify((response.body as { value?: unknown }).value);
  }

  it('finds the verbs: the templates’ literal ones, and the builders’ for templates whose verb is given', () => {
    const { literal, dynamic } = templateVerbs();
    assert.ok(literal.size > 40, `only ${literal.size} verbs found in the templates`);
    assert.deepEqual([...new Set(dynamic)], ['searchResults.json'], 'templates whose verb comes from their builder');
    assert.deepEqual([...builderVerbs().keys()].sort(), ['clientFile.show', 'contact.openEdit', 'contact.show', 'guest.openRevoke', 'guest.preview', 'offer.openProposal'].sort());
  });

  it('answers every one of them with its handler', async () => {
    const verbs = new Map([...templateVerbs().literal, ...builderVerbs()]);
    const orphans: string[] = [];
    for (const [verb, where] of verbs) {
      if ((await answerTo(verb)).includes(unknownAction)) orphans.push(`${verb} (${where})`);
    }
    assert.deepEqual(orphans, [], 'verbs emitted by a card that no handler answers');
  });

  it('tells a verb no card emits any more that the action is no longer available, so the check above can fail', async () => {
    assert.match(await answerTo('clientFile.archive'), new RegExp(unknownAction.slice(0, 30)));
  });
});
