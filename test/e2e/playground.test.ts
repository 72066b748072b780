import assert from 'node:assert/strict';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { startPlayground, type Playground, type PlaygroundEvent, type PlaygroundMessage, type PlaygroundTestConfig } from '../helpers/playground.js';

/**
 * End to end through the Microsoft 365 Agents Playground: the real Passerelle server (own database) is driven
 * by the playground exactly as its Teams-like web client drives it (messages, Action.Execute invokes, install
 * activities), and the bot's answers are read from the playground's conversation stream.
 */
const skipReason = process.env.SKIP_PLAYGROUND_E2E
  ? `skipped because SKIP_PLAYGROUND_E2E is set (${process.env.SKIP_PLAYGROUND_E2E})`
  : undefined;
const describePlayground = skipReason ? describe.skip : describe;

type BotEvent = PlaygroundEvent & { message: PlaygroundMessage };

describePlayground(`Passerelle in the Microsoft 365 Agents Playground${skipReason ? ` — ${skipReason}` : ''}`, function () {
  this.timeout(120_000);

  let passerelle: TestPasserelle | undefined;
  let playground: Playground | undefined;
  let testConfig: PlaygroundTestConfig['config'];

  before(async function () {
    passerelle = await startTestPasserelle();
    playground = await startPlayground({ botEndpoint: `${passerelle.server.url}/api/messages` });
    testConfig = (await playground.config()).config;
    assert.ok(testConfig.personalChat?.id, 'the playground test config should give the personal chat id');
    assert.ok(testConfig.currentUser?.id, 'the playground test config should give the current user id');
  });

  after(async function () {
    await playground?.stop();
    await passerelle?.stop();
  });

  const pg = () => {
    assert.ok(playground, 'the playground is running');
    return playground;
  };
  const fromBot = (event: BotEvent) => event.message.from.id === testConfig.bot.id;
  const cardOf = (event: BotEvent) => event.message.attachments.find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')?.content;

  /** Types `text` in the personal chat and waits for the bot's first answer that `matches`. */
  async function say(text: string, matches: (event: BotEvent) => boolean, what: string): Promise<BotEvent> {
    const sent = await pg().say(text);
    return pg()
      .waitForMessage((event) => fromBot(event) && matches(event), 20_000, { since: sent.cursor })
      .catch((error: Error) => {
        throw new Error(`after "${text}", the bot should answer with ${what}: ${error.message}`);
      });
  }

  /** Waits for the card carrying an Action.Execute `verb`, and returns that message and the action's data. */
  async function formFor(command: string, verb: string) {
    const reply = await say(command, (event) => cardActions(cardOf(event)).some((action) => action.verb === verb), `a card with the ${verb} action`);
    const action = cardActions(cardOf(reply)).find((candidate) => candidate.verb === verb)!;
    assert.match(String(action.data.requestId ?? ''), /^[0-9a-f-]{36}$/, `the ${verb} action should carry a requestId`);
    return { messageId: reply.message.messageId, data: action.data };
  }

  it('switches to French when the user asks (the playground sends every activity with locale en-US)', async () => {
    const reply = await say('langue français', (event) => Boolean(event.message.text), 'a text reply');
    assert.match(String(reply.message.text), /je vous répondrai en français/, 'the bot should confirm French');
  });

  it('welcomes the user with the welcome card when the app is installed', async () => {
    const install = await pg().activityTemplate('install');
    assert.equal(install.type, 'installationUpdate', 'the "install" template is an installationUpdate');
    assert.equal(install.action, 'add');
    const sent = await pg().sendCustomActivity(install);
    const welcome = await pg()
      .waitForMessage((event) => fromBot(event) && /Bienvenue dans Passerelle/.test(cardText(cardOf(event))), 20_000, { since: sent.cursor })
      .catch((error: Error) => {
        throw new Error(`installing the app should bring the welcome card "Bienvenue dans Passerelle": ${error.message}`);
      });
    const text = cardText(cardOf(welcome));
    assert.match(text, /nouveau dossier/, 'the welcome card lists "nouveau dossier"');
    assert.match(text, /nouvel interlocuteur/, 'the welcome card lists "nouvel interlocuteur"');
  });

  it('creates a client file from the "nouveau dossier" form card', async () => {
    const form = await formFor('nouveau dossier', 'clientFile.create');
    const response = await pg().invoke(
      'clientFile.create',
      {
        ...form.data,
        code: '000042',
        companyName: 'Boulangerie Bernard',
        legalForm: 'SARL',
        siret: '73282932000074',
        apeCode: '1071C',
        taxRegime: 'Réel simplifié',
      },
      { replyToId: form.messageId },
    );
    assert.equal(response.type, 'application/vnd.microsoft.card.adaptive', `clientFile.create should answer with a card, got ${JSON.stringify(response)}`);
    const text = cardText(response.value);
    assert.match(text, /Dossier créé/, `the invoke response card should say "Dossier créé", got:\n${text}`);
    assert.match(text, /000042 – Boulangerie Bernard/, 'the card shows the new file');
  });

  it('creates a contact from the "nouvel interlocuteur" form card', async () => {
    const form = await formFor('nouvel interlocuteur', 'contact.create');
    const response = await pg().invoke(
      'contact.create',
      { ...form.data, lastName: 'Bernard', firstName: 'Léa', mobile: '06 12 34 56 78', email: 'lea@boulangerie-bernard.fr' },
      { replyToId: form.messageId },
    );
    assert.equal(response.type, 'application/vnd.microsoft.card.adaptive', `contact.create should answer with a card, got ${JSON.stringify(response)}`);
    const text = cardText(response.value);
    assert.match(text, /Interlocuteur créé/, `the invoke response card should say "Interlocuteur créé", got:\n${text}`);
    assert.match(text, /lea@boulangerie-bernard\.fr/, 'the card shows the e-mail');
  });

  it('links the contact to the file with "lier"', async () => {
    const reply = await say('lier lea@boulangerie-bernard.fr 000042', (event) => Boolean(event.message.text), 'a text reply');
    assert.match(
      String(reply.message.text),
      /Léa Bernard est lié au dossier 000042 – Boulangerie Bernard/,
      `the bot should say the contact is linked, got: ${reply.message.text}`,
    );
  });

  it('shows the file with its contact for "dossier 000042"', async () => {
    const reply = await say('dossier 000042', (event) => /Dossier 000042/.test(cardText(cardOf(event))), 'the file card of 000042');
    const text = cardText(cardOf(reply));
    assert.match(text, /Boulangerie Bernard/, 'the file card shows the company name');
    assert.match(text, /Léa Bernard/, `the file card should list the linked contact "Léa Bernard", got:\n${text}`);
  });
});
