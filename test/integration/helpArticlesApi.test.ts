import assert from 'node:assert/strict';
import { claire, paul } from '../helpers/activities.js';
import { startStaffSession, type StaffSession } from '../helpers/staffSession.js';

const article = {
  title: 'Renvoyer une invitation',
  body: 'Écrivez « inviter <e-mail> » : une nouvelle invitation part, l’ancienne ne sert plus.',
  product: 'microsoft365',
  domain: 'accounts',
  audience: 'both',
  language: 'fr',
  keywords: ['relance', 'renvoyer'],
};

describe('the knowledge base’s tab API (/api/help/articles)', function () {
  this.timeout(90_000);
  let session: StaffSession;
  let claireToken: string;
  let paulToken: string;

  before(async () => {
    session = await startStaffSession({ backgroundWork: false });
    await session.say(claire, 'aide');
    assert.match(await session.say(claire, 'rattacher staff-paul@cabinet-demo.test'), /rattach/);
    claireToken = await session.tokenOf(claire, 'staff-claire@cabinet-demo.test');
    paulToken = await session.tokenOf(paul, 'staff-paul@cabinet-demo.test');
  });
  after(async () => {
    await session?.stop();
  });

  it('searches with filters, in the language asked for, for any member of staff', async () => {
    const found = await session.call('GET', `/api/help/articles?q=${encodeURIComponent('étapes de Flow')}`, paulToken);
    assert.equal(found.status, 200);
    assert.equal(found.body.results[0].title, 'Mettre en route Flow pour un client : les cinq étapes');
    const english = await session.call('GET', '/api/help/articles?q=flow%20steps', paulToken, undefined, { 'Accept-Language': 'en-GB' });
    assert.equal(english.body.results[0].title, 'Setting up Flow for a client: the five steps');
    const filtered = await session.call('GET', '/api/help/articles?q=activer&product=shine', paulToken);
    assert.ok(filtered.body.results.length >= 2 && filtered.body.results.every((result: { product: string }) => result.product === 'shine'));
    const browse = await session.call('GET', '/api/help/articles?domain=organisation', paulToken);
    assert.deepEqual(browse.body.results.map((result: { domain: string }) => result.domain), ['organisation']);
    const bad = await session.call('GET', '/api/help/articles?product=fax', paulToken);
    assert.equal(bad.status, 400, 'an unknown product is bad input');
    assert.equal(bad.body.code, 'request.invalid');
  });

  it('lets editors create, edit, publish and archive; bad input is a 400 naming each field, nothing written', async () => {
    const invalid = await session.call('POST', '/api/help/articles', claireToken, { ...article, title: '', audience: 'tous' });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.code, 'article.invalid');
    assert.deepEqual(invalid.body.problems.map((problem: { field: string }) => problem.field).sort(), ['audience', 'title']);
    assert.match(invalid.body.message, /Titre, Public/);
    const drafts = await session.call('GET', '/api/help/articles?state=draft', claireToken);
    assert.deepEqual(drafts.body.articles, [], 'nothing was written');

    const created = await session.call('POST', '/api/help/articles', claireToken, article);
    assert.equal(created.status, 201);
    assert.equal(created.body.state, 'draft');
    const id = created.body.id as string;
    const stale = await session.call('PATCH', `/api/help/articles/${id}`, claireToken, { ...article, title: 'Relancer une invitation', version: 9 });
    assert.equal(stale.status, 409);
    const edited = await session.call('PATCH', `/api/help/articles/${id}`, claireToken, { ...article, title: 'Relancer une invitation', version: 1 });
    assert.equal(edited.status, 200);
    assert.deepEqual(edited.body.history.map((entry: { action: string; changed: string[] }) => [entry.action, entry.changed]), [['created', []], ['edited', ['title']]]);
    const published = await session.call('POST', `/api/help/articles/${id}/publish`, claireToken, { version: 2 });
    assert.equal(published.body.state, 'published');
    assert.equal((await session.call('POST', `/api/help/articles/${id}/publish`, claireToken, { version: 3 })).status, 409, 'already published');
    const found = await session.call('GET', '/api/help/articles?q=relances%20invitations', paulToken);
    assert.equal(found.body.results[0].id, id, 'readers find it once published');
    const read = await session.call('GET', `/api/help/articles/${id}`, paulToken);
    assert.equal(read.body.canEdit, false);
    assert.equal(read.body.history, undefined, 'readers get no history');
    assert.equal((await session.call('POST', `/api/help/articles/${id}/feedback`, paulToken, { helpful: true })).body.outcome, 'recorded');
    assert.equal((await session.call('POST', `/api/help/articles/${id}/feedback`, paulToken, { helpful: true })).body.outcome, 'unchanged');
    assert.deepEqual((await session.call('GET', `/api/help/articles/${id}`, claireToken)).body.feedback, { helpful: 1, notHelpful: 0 });
    const archived = await session.call('POST', `/api/help/articles/${id}/archive`, claireToken, { version: 3 });
    assert.equal(archived.body.state, 'archived');
    assert.equal((await session.call('GET', `/api/help/articles/${id}`, paulToken)).status, 404, 'archived: readers no longer open it');
  });

  it('refuses writing to staff without « Base de connaissances – modification », naming the profile', async () => {
    const refused = await session.call('POST', '/api/help/articles', paulToken, article);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'access.missingProfile');
    assert.match(refused.body.message, /Base de connaissances – modification/);
    assert.equal((await session.call('GET', '/api/help/articles?state=draft', paulToken)).status, 403);
    assert.equal((await session.call('GET', '/api/help/articles/not-an-id', paulToken)).status, 404);
  });
});
