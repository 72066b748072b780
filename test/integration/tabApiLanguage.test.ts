import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { claire, paul } from '../helpers/activities.js';
import { seedPortfolio, siretFrom, withDatabase, type SeededFile } from '../helpers/portfolioSeed.js';
import { demoFirm, startStaffSession, type StaffSession } from '../helpers/staffSession.js';

/**
 * The tab API speaks the user's language: English when the tab sends an English locale (Teams' locale in
 * Accept-Language), French otherwise. Every refusal has one shape: a stable code, the message, and the
 * field problems when there are some.
 */
describe('tab API in the user’s language (Accept-Language)', function () {
  this.timeout(60_000);
  let session: StaffSession;
  let files: SeededFile[];
  let claireToken: string;
  let paulToken: string;
  const english = { 'Accept-Language': 'en-GB,en;q=0.9,fr;q=0.5' };
  const french = { 'Accept-Language': 'fr-FR' };

  const badEdit = { expectedUpdatedAt: 'yesterday', siret: 12, code: 'NEW01' };
  const csvHeaderOf = async (path: string, token: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${session.passerelle.server.url}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
    assert.equal(response.status, 200, `${path}: ${response.status}`);
    return (await response.text()).replace(/^\uFEFF/, '').split('\r\n')[0]!;
  };

  before(async () => {
    session = await startStaffSession({ backgroundWork: false });
    await session.say(claire, 'aide'); // the firm's first user: main manager
    // Paul gets the default profiles: Partner apps in consultation only.
    assert.match(await session.say(claire, 'rattacher staff-paul@cabinet-demo.test'), /rattaché/);
    files = await withDatabase(session.passerelle.mongoUri, session.passerelle.database, (db) =>
      seedPortfolio(db, demoFirm, [{ code: '000001', companyName: 'Boulangerie Bernard', siret: siretFrom(1), contacts: [{ lastName: 'Bernard', email: 'bernard@boulangerie.test', primary: true }] }]),
    );
    claireToken = await session.tokenOf(claire, 'staff-claire@cabinet-demo.test');
    paulToken = await session.tokenOf(paul, 'staff-paul@cabinet-demo.test');
  });
  after(async () => {
    await session?.stop();
  });

  describe('for an English user', () => {
    it('refuses a bad request body with 400, the problem shape, an English message and each field’s problem', async () => {
      const response = await session.call('PATCH', `/api/portfolio/${files[0]!.id}`, claireToken, badEdit, english);
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.equal(response.body.code, 'request.invalid', 'a stable code a program can test');
      assert.match(String(response.body.message), /^Invalid request: /, 'the summary is in English');
      const byField = Object.fromEntries((response.body.problems as { field: string; message: string }[]).map((problem) => [problem.field, problem.message]));
      assert.equal(byField.code, '“code” cannot be changed here', 'the code is not editable, said in English');
      assert.equal(byField.expectedUpdatedAt, 'ISO 8601 date expected');
      assert.equal(byField.siret, 'text expected');
      assert.match(String(response.body.message), /client file version: ISO 8601 date expected/, 'the summary names the field in English');
    });

    it('words the domain’s field errors in English too', async () => {
      const current = await session.call('GET', `/api/portfolio/${files[0]!.id}`, claireToken, undefined, english);
      const response = await session.call('PATCH', `/api/portfolio/${files[0]!.id}`, claireToken, { expectedUpdatedAt: current.body.updatedAt, siret: '123' }, english);
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.equal(response.body.code, 'clientFile.invalid');
      assert.equal(response.body.message, 'Correct the fields shown (SIRET): nothing was saved.');
      assert.deepEqual(response.body.problems, [{ field: 'siret', code: 'siret.format', message: 'The SIRET must be exactly 14 digits (e.g. 732 829 320 00074).' }]);
    });

    it('refuses a query parameter in English', async () => {
      const response = await session.call('GET', '/api/portfolio?pageSize=7', claireToken, undefined, english);
      assert.equal(response.status, 400);
      assert.equal(response.body.message, 'Invalid request: page size: possible page sizes: 10, 25, 50, 100.');
    });

    it('refuses with 403 naming the missing profile in English', async () => {
      const response = await session.call('POST', `/api/portfolio/${files[0]!.id}/shine`, paulToken, { purchases: true }, english);
      assert.equal(response.status, 403, JSON.stringify(response.body));
      assert.equal(response.body.code, 'access.missingProfile');
      assert.match(String(response.body.message), /needs the profile “Partner apps – modification”/);
      assert.equal(response.body.problems, undefined, 'no field problems when the request as a whole is refused');
    });

    it('translates the offers’ use cases in English: a paid offer in bulk, an unknown offer, an offer not found', async () => {
      const proposal = (offerId: string) => ({ requestId: randomUUID(), offerId, clientFileIds: [files[0]!.id] });
      const paid = await session.call('POST', '/api/offers/proposals', paulToken, proposal('consultation'), english);
      assert.equal(paid.status, 403, JSON.stringify(paid.body));
      assert.equal(paid.body.code, 'offer.paidInBulk', 'Paul reads offers but may not commit the firm to a paid one');
      assert.match(String(paid.body.message), /^The Consultation offer is paid: proposing it to several clients needs the profile “Offers – modification”/);
      const unknown = await session.call('POST', '/api/offers/proposals', paulToken, proposal('platinum'), english);
      assert.deepEqual({ status: unknown.status, body: unknown.body }, { status: 400, body: { code: 'offer.unknown', message: 'Invalid request: this offer is not in the firm’s catalogue.' } });
      const ended = await session.call('POST', '/api/offers/subscriptions/0123456789abcdef01234567/end', claireToken, { expectedVersion: 1 }, english);
      assert.deepEqual({ status: ended.status, body: ended.body }, { status: 404, body: { code: 'offer.notFound', message: 'Offer not found.' } });
    });

    it('says a file is not found, and a missing sign-in, in English', async () => {
      const missing = await session.call('GET', '/api/portfolio/0123456789abcdef01234567', claireToken, undefined, english);
      assert.deepEqual({ status: missing.status, body: missing.body }, { status: 404, body: { code: 'clientFile.notFound', message: 'Client file not found.' } });
      const anonymous = await fetch(`${session.passerelle.server.url}/api/portfolio`, { headers: english });
      assert.equal(anonymous.status, 401);
      assert.deepEqual(await anonymous.json(), { code: 'auth.missing', message: 'Sign-in required: open the dashboard from Teams.' });
    });

    it('answers a body that is not JSON, an unknown address and a bad activity with the same shape, never quoting the parser', async () => {
      const url = session.passerelle.server.url;
      const unreadable = await fetch(`${url}/api/portfolio/${files[0]!.id}`, { method: 'PATCH', headers: { Authorization: `Bearer ${claireToken}`, 'Content-Type': 'application/json', ...english }, body: '{"companyName": ' });
      assert.equal(unreadable.status, 400);
      assert.deepEqual(await unreadable.json(), { code: 'request.unreadable', message: 'Unreadable request: the body must be a valid JSON object.' });
      const nowhere = await fetch(`${url}/api/nothing-here`, { headers: english });
      assert.equal(nowhere.status, 404);
      assert.deepEqual(await nowhere.json(), { code: 'notFound', message: 'Not found.' });
      const activity = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...english }, body: '{"text": "hello"}' });
      assert.equal(activity.status, 400);
      assert.equal(((await activity.json()) as { code: string }).code, 'activity.invalid');
    });

    it('exports the portfolio and the audit log with English CSV headers', async () => {
      const portfolio = await csvHeaderOf('/api/export/portfolio.csv', claireToken, english);
      assert.match(portfolio, /^Code;Company name;Legal form;SIRET;Contacts;Primary contact;/);
      assert.ok(!/Raison sociale/.test(portfolio), `no French left in the header: ${portfolio}`);
      assert.equal(await csvHeaderOf('/api/audit?format=csv', claireToken, english), 'Date;Who;Action;Client file;Contact;Details');
    });
  });

  describe('by default', () => {
    it('answers in French when the tab sends no language, or one Passerelle does not speak', async () => {
      for (const headers of [{}, { 'Accept-Language': 'de-DE' }, french]) {
        const response = await session.call('PATCH', `/api/portfolio/${files[0]!.id}`, claireToken, badEdit, headers);
        assert.equal(response.status, 400);
        assert.equal(response.body.code, 'request.invalid');
        assert.match(String(response.body.message), /^Requête invalide : /, JSON.stringify(headers));
        const byField = Object.fromEntries((response.body.problems as { field: string; message: string }[]).map((problem) => [problem.field, problem.message]));
        assert.equal(byField.code, '« code » ne peut pas être modifié ici');
      }
    });

    it('refuses with 403 naming the missing profile in French', async () => {
      const response = await session.call('POST', `/api/portfolio/${files[0]!.id}/shine`, paulToken, { purchases: true });
      assert.equal(response.status, 403);
      assert.match(String(response.body.message), /profil « Applications partenaires – modification »/);
    });

    it('exports with French CSV headers', async () => {
      assert.match(await csvHeaderOf('/api/export/portfolio.csv', claireToken), /^Code;Raison sociale;Forme juridique;SIRET;Interlocuteurs;/);
      assert.equal(await csvHeaderOf('/api/audit?format=csv', claireToken), 'Date;Qui;Action;Dossier;Interlocuteur;Détails');
    });
  });
});
