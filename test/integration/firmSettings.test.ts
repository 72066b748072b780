import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { collections } from '../../bot/store/mongo.js';
import { claire, executeActivity, messageActivity, paul, type Speaker } from '../helpers/activities.js';
import { cardActions, cardText } from '../helpers/passerelle.js';
import { startStaffSession, type StaffSession } from '../helpers/staffSession.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };

/**
 * The firm's settings, for administrators: the same use case behind « paramètres » in Teams and the
 * tab's Paramètres page. Claire is the firm's main manager; Paul a collaborator with the default profiles.
 */
describe('the firm’s settings (« paramètres » and the tab’s Paramètres page)', function () {
  this.timeout(90_000);
  let staff: StaffSession;
  let claireToken: string;
  let paulToken: string;

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;
  async function sayCard(who: Speaker, text: string): Promise<unknown> {
    const mark = staff.passerelle.connector.sent.length;
    await staff.passerelle.post(messageActivity(text, { serviceUrl: staff.passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    const reply = staff.passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who));
    assert.ok(reply, `the bot answers ${who.name}: « ${text} »`);
    const activity = reply.activity as { text?: string; attachments?: { content: unknown }[] };
    return activity.attachments?.[0]?.content ?? activity.text;
  }
  const say = async (who: Speaker, text: string) => {
    const answer = await sayCard(who, text);
    return typeof answer === 'string' ? answer : cardText(answer);
  };
  async function execute(who: Speaker, verb: string, data: Record<string, unknown>): Promise<unknown> {
    const response = await staff.passerelle.post(executeActivity(verb, data, { serviceUrl: staff.passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    assert.equal(response.status, 200, `invoke ${verb}`);
    return (response.body as InvokeBody).value;
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : cardText(value));
  async function auditEntries(action: string): Promise<{ details?: Record<string, any>; actor: { displayName: string } }[]> {
    const client = new MongoClient(staff.passerelle.mongoUri);
    try {
      return (await client.db(staff.passerelle.database).collection(collections.auditLog).find({ action }).toArray()) as never;
    } finally {
      await client.close();
    }
  }

  before(async () => {
    staff = await startStaffSession({ backgroundWork: false });
    await say(claire, 'aide');
    assert.match(await say(claire, 'rattacher staff-paul@cabinet-demo.test'), /rattach/i, 'Paul is attached with the default profiles');
    await say(paul, 'aide');
    claireToken = await staff.tokenOf(claire, 'staff-claire@cabinet-demo.test');
    paulToken = await staff.tokenOf(paul, 'staff-paul@cabinet-demo.test');
  });
  after(async () => {
    await staff?.stop();
  });

  it('shows the settings to administrators only, in Teams and in the tab', async () => {
    const card = await say(claire, 'paramètres');
    assert.match(card, /Paramètres du cabinet[\s\S]*Catalogue des offres[\s\S]*\*\*Start\*\* – gratuite[\s\S]*Relances des invitations/, card);
    assert.doesNotMatch(await say(paul, 'paramètres'), /Catalogue des offres/, 'a collaborator without « Organisation – modification » does not see them');
    const shown = await staff.call('GET', '/api/settings', claireToken);
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.body.offers.map((offer: { id: string }) => offer.id), ['start', 'consultation', 'coproduction']);
    assert.equal(shown.body.version, 0);
    const refused = await staff.call('GET', '/api/settings', paulToken);
    assert.equal(refused.status, 403, 'the tab refuses them to a collaborator');
    assert.equal(refused.body.code, 'access.missingProfile');
    assert.equal((await staff.call('GET', '/api/me', claireToken)).body.can.administer, true, 'the tab offers the page to the main manager');
    assert.equal((await staff.call('GET', '/api/me', paulToken)).body.can.administer, false, 'and not to Paul');
  });

  it('refuses bad values field by field, in the user’s language, and writes nothing', async () => {
    const answer = await staff.call('PATCH', '/api/settings', claireToken, {
      expectedVersion: 0,
      guestPolicy: { reminderAfterDays: 0, maxReminders: 'beaucoup' },
      engagementPolicy: { guestFateAtEnd: 'oublier' },
      supportPolicy: { channelTeamId: 'équipe-inconnue' },
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, 'settings.invalid');
    const byField = Object.fromEntries(answer.body.problems.map((entry: { field: string; message: string }) => [entry.field, entry.message]));
    assert.match(byField['guestPolicy.reminderAfterDays'], /entre 1 et 60/);
    assert.match(byField['guestPolicy.maxReminders'], /entre 0 et 10/);
    assert.match(byField['engagementPolicy.guestFateAtEnd'], /dans la liste/);
    assert.match(byField['supportPolicy.channelTeamId'], /pas connue/);
    const english = await staff.call('PATCH', '/api/settings', claireToken, { expectedVersion: 0, guestPolicy: { reminderAfterDays: 0 } }, { 'Accept-Language': 'en-GB' });
    assert.match(english.body.problems[0].message, /between 1 and 60/);
    const after = await staff.call('GET', '/api/settings', claireToken);
    assert.deepEqual([after.body.version, after.body.guestPolicy.reminderAfterDays, after.body.engagementPolicy.guestFateAtEnd], [0, 7, 'keep'], 'nothing was written');
  });

  it('saves a change with its before and after in the audit log, and tells a page out of date', async () => {
    const saved = await staff.call('PATCH', '/api/settings', claireToken, {
      expectedVersion: 0,
      guestPolicy: { reminderAfterDays: 5 },
      engagementPolicy: { guestFateAtEnd: 'removeFromTeam', reviewAfterDays: 45 },
      partnerDefaults: { shine: { plan: 'plus' } },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual([saved.body.version, saved.body.guestPolicy.reminderAfterDays, saved.body.engagementPolicy, saved.body.partnerDefaults.shine.plan], [1, 5, { guestFateAtEnd: 'removeFromTeam', reviewAfterDays: 45 }, 'plus']);
    const stale = await staff.call('PATCH', '/api/settings', claireToken, { expectedVersion: 0, name: 'Cabinet Périmé' });
    assert.equal(stale.status, 409, 'a page showing version 0 is told the settings changed');
    assert.equal((await staff.call('GET', '/api/settings', claireToken)).body.name, null, 'and its change is not written');
    const [entry] = await auditEntries('firm.guestPolicyChanged');
    assert.equal(entry?.actor.displayName, claire.name);
    assert.deepEqual([entry?.details?.before.reminderAfterDays, entry?.details?.after.reminderAfterDays], [7, 5]);
    assert.equal((await auditEntries('firm.engagementPolicyChanged')).length, 1);
    assert.equal((await auditEntries('firm.supportPolicyChanged')).length, 0, 'a section not changed is not recorded');
  });

  let contactCard: unknown;

  it('edits the catalogue: the next proposal card and the tab show it', async () => {
    const fileForm = cardActions(await sayCard(claire, 'nouveau dossier')).find((action) => action.verb === 'clientFile.create')!;
    await execute(claire, 'clientFile.create', { ...fileForm.data, code: '000200', companyName: 'Garage Martin', siret: '73282932000074' });
    const contactForm = cardActions(await sayCard(claire, 'nouvel interlocuteur')).find((action) => action.verb === 'contact.create')!;
    await execute(claire, 'contact.create', { ...contactForm.data, lastName: 'Martin', firstName: 'Hugo', mobile: '06 12 34 56 78', email: 'hugo@garage-martin.fr' });
    assert.match(await say(claire, 'lier hugo@garage-martin.fr 000200'), /est lié/);

    const added = await staff.call('POST', '/api/settings/offers', claireToken, {
      expectedVersion: 1, name: 'Paie – Essentiel', paid: true, priceNote: '30 € HT par mois', description: 'Vos bulletins de paie préparés chaque mois', steps: [],
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.equal(added.body.savedOfferId, 'paie-essentiel');
    assert.equal((await staff.call('PATCH', '/api/settings/offers/consultation', claireToken, { expectedVersion: 2, name: 'Consultation Plus' })).status, 200);
    assert.equal((await staff.call('POST', '/api/settings/offers/coproduction/status', claireToken, { expectedVersion: 3, status: 'retired' })).status, 200);
    const duplicate = await staff.call('POST', '/api/settings/offers', claireToken, { expectedVersion: 4, name: 'consultation plus' });
    assert.equal(duplicate.status, 400, 'two offers cannot share a name');
    assert.match(duplicate.body.problems[0].message, /s’appelle déjà/);

    const offers = (await staff.call('GET', '/api/offers', claireToken)).body.items as { id: string; name: string; retired: boolean; priceNote: string | null }[];
    assert.deepEqual(offers.map((offer) => [offer.id, offer.name, offer.retired]), [
      ['start', 'Start', false], ['consultation', 'Consultation Plus', false], ['coproduction', 'Co-production', true], ['paie-essentiel', 'Paie – Essentiel', false],
    ], 'the tab reads the edited catalogue, retired offers flagged');

    contactCard = await sayCard(claire, 'interlocuteur hugo@garage-martin.fr');
    const open = cardActions(contactCard).find((action) => action.verb === 'offer.openProposal')!;
    const proposal = text(await execute(claire, 'offer.openProposal', open.data));
    assert.match(proposal, /\*\*Paie – Essentiel\*\* \(payante \(abonnement\), 30 € HT par mois\) : Vos bulletins de paie préparés chaque mois/, proposal);
    assert.match(proposal, /Consultation Plus/);
    assert.doesNotMatch(proposal, /Co-production/, 'a retired offer is not proposed');
    assert.equal((await auditEntries('firm.offerAdded')).length, 1);
    assert.deepEqual((await auditEntries('firm.offerChanged'))[0]?.details?.after, { name: 'Consultation Plus' });
  });

  it('retires an offer in use but never deletes it; deletes one nobody has', async () => {
    const open = cardActions(contactCard).find((action) => action.verb === 'offer.openProposal')!;
    const proposal = await execute(claire, 'offer.openProposal', open.data);
    const submit = cardActions(proposal).find((action) => action.verb === 'offer.propose')!;
    const clientFileId = JSON.stringify(proposal).match(/"clientFileId","label":"Dossier","style":"compact","value":"([0-9a-f]{24})"/)?.[1];
    assert.match(text(await execute(claire, 'offer.propose', { ...submit.data, clientFileId, offerId: 'start' })), /Offre Start enregistrée/);
    const retiredProposal = await execute(claire, 'offer.propose', { ...submit.data, clientFileId, offerId: 'coproduction' });
    assert.match(text(retiredProposal), /n’existe pas dans le catalogue/, 'a retired offer cannot be proposed even from an old card');

    const removeStart = await staff.call('POST', '/api/settings/offers/start/status', claireToken, { expectedVersion: 4, status: 'removed' });
    assert.equal(removeStart.status, 400);
    assert.match(removeStart.body.problems[0].message, /utilisée par des clients : elle peut être retirée/);
    const settings = await staff.call('GET', '/api/settings', claireToken);
    assert.equal(settings.body.offers.find((offer: { id: string }) => offer.id === 'start').inUse, true);
    const removed = await staff.call('POST', '/api/settings/offers/paie-essentiel/status', claireToken, { expectedVersion: 4, status: 'removed' });
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body.offers.map((offer: { id: string }) => offer.id), ['start', 'consultation', 'coproduction']);
  });

  it('changes the settings from the Teams card with the same rules, and keeps « nom du cabinet » working', async () => {
    const card = await sayCard(claire, 'paramètres');
    const save = cardActions(card).find((action) => action.verb === 'settings.save')!;
    assert.equal(save.data.version, 5);
    const refused = text(await execute(claire, 'settings.save', { ...save.data, name: 'Fiduciaire Martin', reminderAfterDays: '99', maxReminders: '3' }));
    assert.match(refused, /rien n’a été enregistré[\s\S]*entre 1 et 60/, refused);
    const saved = text(await execute(claire, 'settings.save', { ...save.data, name: 'Fiduciaire Martin', reminderAfterDays: '10', maxReminders: '2', shinePurchases: 'true', shineSales: 'false' }));
    assert.match(saved, /C’est enregistré/, saved);
    assert.match(await say(claire, 'nom du cabinet'), /« Fiduciaire Martin »/);
    assert.match(await say(claire, 'nom du cabinet Fiduciaire Martin & Fils'), /les clients liront « Fiduciaire Martin & Fils »/);
    const renamed = await auditEntries('firm.renamed');
    assert.deepEqual(renamed.map((entry) => entry.details?.after), ['Fiduciaire Martin', 'Fiduciaire Martin & Fils'], 'each name change is recorded');
    const shown = await staff.call('GET', '/api/settings', claireToken);
    assert.deepEqual([shown.body.guestPolicy.reminderAfterDays, shown.body.partnerDefaults.shine.sales], [10, false]);
  });

  it('proposes the firm’s Shine defaults on the next activation form', async () => {
    await say(claire, 'lier hugo@garage-martin.fr 000200 principal');
    const form = JSON.stringify(await sayCard(claire, 'shine 000200'));
    assert.match(form, /"id":"sales","title":"[^"]*","value":"false"/, 'sales unticked, as the settings say');
    assert.match(form, /"id":"plan","label":"[^"]*","style":"compact","value":"plus"/, 'the Plus plan, chosen in the settings');
  });
});
