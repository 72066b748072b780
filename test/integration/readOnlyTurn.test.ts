import assert from 'node:assert/strict';
import type { DatabaseCommandEvent } from '../../bot/store/mongo.js';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { executeActivity, messageActivity } from '../helpers/activities.js';

/** What changes data on the server: a read-only turn sends none of these. */
const writeCommands = new Set(['insert', 'update', 'delete', 'findAndModify', 'bulkWrite', 'create', 'createIndexes', 'drop']);

/**
 * A command that only shows something writes nothing to the database (not even the conversation
 * reference, once known), and reads what it needs in a few round trips: the acting member's firm,
 * access and language once, the rest in joined reads. Counted with the driver's command monitoring.
 */
describe('Read-only bot turns', function () {
  let passerelle: TestPasserelle;
  let recording: { name: string; collection: string }[] | undefined;
  const conversationId = 'a:read-only-turns';
  const options = () => ({ serviceUrl: passerelle.connector.url, conversationId });

  before(async () => {
    passerelle = await startTestPasserelle({
      backgroundWork: false,
      // No sweep of pending audit entries during a measured turn.
      auditSweepEveryMs: 3_600_000,
      onDatabaseCommand: (event: DatabaseCommandEvent) => {
        if (recording && 'command' in event) recording.push({ name: event.commandName, collection: String(event.command[event.commandName]) });
      },
    });
    // Start-up creates the indexes in the background: none of its commands may fall into a measured turn.
    await passerelle.server.databaseReady;
    // The firm's first user (main manager, every profile), a file, a contact linked to it: written before any measure.
    await say('mes droits');
    const [form] = await say('nouveau dossier');
    const createFile = cardActions(form!.attachments![0]!.content).find((action) => action.verb === 'clientFile.create')!;
    await execute('clientFile.create', { ...createFile.data, code: '000101', companyName: 'Boulangerie Bernard' });
    const [contactForm] = await say('nouvel interlocuteur');
    const createContact = cardActions(contactForm!.attachments![0]!.content).find((action) => action.verb === 'contact.create')!;
    await execute('contact.create', { ...createContact.data, lastName: 'Bernard', firstName: 'Léa', mobile: '06 12 34 56 78', email: 'lea@boulangerie-bernard.fr' });
    const [linked] = await say('lier lea@boulangerie-bernard.fr 000101');
    assert.match(String(linked!.text), /Léa Bernard est lié au dossier 000101/, 'setup: the contact is linked to the file');
  });
  after(async () => {
    await passerelle?.stop();
  });

  async function say(text: string) {
    const mark = passerelle.connector.sent.length;
    const response = await passerelle.post(messageActivity(text, options()));
    assert.equal(response.status, 200, `message "${text}" should be accepted`);
    return passerelle.connector.since(mark).map((sent) => sent.activity);
  }

  async function execute(verb: string, data: Record<string, unknown>) {
    const response = await passerelle.post(executeActivity(verb, data, options()));
    assert.equal(response.status, 200, `invoke ${verb} should answer 200`);
    return (response.body as { value: unknown }).value;
  }

  /** The database commands a turn sends, from the activity's arrival to the answer. */
  async function commandsOf(turn: () => Promise<unknown>): Promise<{ name: string; collection: string }[]> {
    recording = [];
    try {
      await turn();
      return recording;
    } finally {
      recording = undefined;
    }
  }

  const describeCommands = (commands: { name: string; collection: string }[]) => commands.map((command) => `${command.name} ${command.collection}`).join(', ');

  const readOnlyCommands: [string, RegExp][] = [
    ['aide', /Commandes de Passerelle/],
    ['mes droits', /Administrateur|profil/i],
    ['dossier 000101', /Boulangerie Bernard[\s\S]*Léa Bernard/],
    ['dossier boul bern', /Boulangerie Bernard[\s\S]*Léa Bernard/],
    ['interlocuteur lea@boulangerie-bernard.fr', /Léa Bernard[\s\S]*000101/],
    ['inviter lea@boulangerie-bernard.fr', /Léa Bernard/],
  ];

  for (const [text, expected] of readOnlyCommands) {
    it(`« ${text} » writes nothing and reads in at most 4 round trips`, async () => {
      let replies: Awaited<ReturnType<typeof say>> = [];
      const commands = await commandsOf(async () => (replies = await say(text)));
      const card = replies[0]?.attachments?.[0]?.content;
      assert.ok(card, `« ${text} » should answer with a card`);
      assert.match(cardText(card), expected, `« ${text} » should answer with its usual card`);
      const writes = commands.filter((command) => writeCommands.has(command.name));
      assert.deepEqual(writes, [], `« ${text} » must write nothing; it sent: ${describeCommands(commands)}`);
      assert.ok(commands.length <= 4, `« ${text} » should need at most 4 database round trips, it made ${commands.length}: ${describeCommands(commands)}`);
    });
  }

  it('a card refresh (Action.Execute clientFile.show) writes nothing and reads in at most 4 round trips', async () => {
    const [found] = await say('dossier 000101');
    const show = cardActions(found!.attachments![0]!.content).find((action) => typeof action.data.clientFileId === 'string');
    assert.ok(show?.data.clientFileId, 'the file card should name its file in its actions');
    let card: unknown;
    const commands = await commandsOf(async () => (card = await execute('clientFile.show', { clientFileId: show.data.clientFileId })));
    assert.match(cardText(card), /Boulangerie Bernard[\s\S]*Léa Bernard/, 'the refreshed card shows the file and its contact');
    assert.deepEqual(commands.filter((command) => writeCommands.has(command.name)), [], `the refresh must write nothing; it sent: ${describeCommands(commands)}`);
    assert.ok(commands.length <= 4, `the refresh should need at most 4 round trips, it made ${commands.length}: ${describeCommands(commands)}`);
  });

  it('a turn that changes something is seen writing (the monitoring counts writes)', async () => {
    const commands = await commandsOf(() => say('langue english'));
    assert.ok(commands.some((command) => command.name === 'update' && command.collection === 'userPreferences'), `choosing a language writes the preference; sent: ${describeCommands(commands)}`);
    await say('langue français');
  });
});
