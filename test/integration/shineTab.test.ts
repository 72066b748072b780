import assert from 'node:assert/strict';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio, siretFrom, withDatabase, type SeededFile } from '../helpers/portfolioSeed.js';

const firm = '11111111-1111-1111-1111-111111111111';

/** Shine from the tab's « Équipement » view (seed 002): prepared, refused with the exact reasons, activated once. */
describe('Shine from the tab (/api/portfolio/:id/shine)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  let seeded: SeededFile[];

  before(async () => {
    passerelle = await startTestPasserelle({
      backgroundWork: false,
      env: { OFFER_MAILBOX: 'noreply@cabinet-demo.test', TAB_LOCAL_USER: `${firm}|aaaaaaaa-0000-0000-0000-000000000001|Claire Martin|claire.martin@cabinet-demo.test` },
    });
    seeded = await withDatabase(passerelle.mongoUri, passerelle.database, (db) =>
      seedPortfolio(db, firm, [
        { code: '000001', companyName: 'Boulangerie Bernard', siret: '73282932000074', contacts: [{ firstName: 'Léa', lastName: 'Bernard', email: 'lea@boulangerie.test', primary: true }] },
        { code: '000002', companyName: 'Garage sans contact', siret: siretFrom(2), contacts: [{ lastName: 'Dupré', email: 'dupre@garage.test' }] },
        { code: '000003', companyName: 'Café sans SIRET', contacts: [{ lastName: 'Colin', email: 'colin@cafe.test', primary: true }] },
      ]),
    );
  });
  after(async () => {
    await passerelle?.stop();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${passerelle.server.url}${path}`, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const activation = { purchases: true, sales: false, billingMode: 'firmRebills', plan: 'plus', accountEmail: 'lea@boulangerie.test', emailSubject: 'Votre facturation avec Shine', emailBody: 'Bonjour Léa,\n\nVoici Shine.' };

  it('refuses with the exact reasons of the firm’s procedure', async () => {
    const noPrimary = await call('GET', `/api/portfolio/${seeded[1]!.id}/shine`);
    assert.equal(noPrimary.body.refusal.message, 'Pré-requis : créer un contact principal client pour pouvoir activer Shine.');
    const noSiret = await call('GET', `/api/portfolio/${seeded[2]!.id}/shine`);
    assert.equal(noSiret.body.refusal.message, 'Le SIRET est obligatoire pour inviter la TPE.');
    const refused = await call('POST', `/api/portfolio/${seeded[2]!.id}/shine`, { ...activation, accountEmail: 'colin@cafe.test' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.message, 'Le SIRET est obligatoire pour inviter la TPE.');
  });

  it('keeps Shine active and hands the e-mail over when the firm mailbox refuses it', async () => {
    await withDatabase(passerelle.mongoUri, passerelle.database, (db) =>
      seedPortfolio(db, firm, [{ code: '000004', companyName: 'Fleuriste Rose', siret: siretFrom(4), contacts: [{ lastName: 'Rose', email: 'rose@fleuriste.test', primary: true }] }]),
    );
    const [row] = (await call('GET', '/api/portfolio?search=fleuriste')).body.items as { id: string }[];
    // The firm mailbox is not in the directory yet: Graph refuses the message (as with a mistyped OFFER_MAILBOX).
    const outcome = await call('POST', `/api/portfolio/${row!.id}/shine`, { ...activation, accountEmail: 'rose@fleuriste.test' });
    assert.equal(outcome.status, 200, JSON.stringify(outcome.body));
    assert.deepEqual({ sent: outcome.body.emailSent, failed: outcome.body.emailFailed }, { sent: false, failed: true });
    assert.ok(outcome.body.setup, 'Shine is active');
  });

  it('prepares the activation, refuses bad input writing nothing, then activates once and sends the e-mail', async () => {
    passerelle.tenant.addMember('noreply@cabinet-demo.test', 'Cabinet Démo (ne pas répondre)');
    const prepared = await call('GET', `/api/portfolio/${seeded[0]!.id}/shine`);
    assert.equal(prepared.status, 200);
    assert.equal(prepared.body.preparation.proposedEmail, 'lea@boulangerie.test');
    assert.match(prepared.body.preparation.emailBody, /Bonjour Léa Bernard/);
    const bad = await call('POST', `/api/portfolio/${seeded[0]!.id}/shine`, { ...activation, plan: 'platine', purchases: 'oui' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /formule : Easy, Start ou Plus/);
    const nothing = await call('POST', `/api/portfolio/${seeded[0]!.id}/shine`, { ...activation, purchases: false });
    assert.equal(nothing.body.message, 'Cochez au moins Achats ou Ventes.');
    assert.equal((await call('GET', `/api/portfolio/${seeded[0]!.id}/shine`)).body.setup, undefined, 'nothing written by the refusals');
    const done = await call('POST', `/api/portfolio/${seeded[0]!.id}/shine`, activation);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.emailSent, true);
    assert.equal(passerelle.tenant.state().mails.length, 1, 'the e-mail left the firm mailbox');
    assert.equal(passerelle.tenant.state().mails[0]!.body, activation.emailBody, 'as staff edited it');
    const again = await call('POST', `/api/portfolio/${seeded[0]!.id}/shine`, activation);
    assert.equal(again.status, 409, 'a second click changes nothing');
    assert.equal(passerelle.tenant.state().mails.length, 1);
    const [row] = ((await call('GET', '/api/portfolio?search=boulangerie')).body.items as { equipment: { purchases?: string; sales?: string }; shine: unknown }[]);
    assert.equal(row!.equipment.purchases, 'Shine Plus', 'Achat shows the plan');
    assert.equal(row!.equipment.sales, undefined, 'Vente was not chosen');
    assert.deepEqual(row!.shine, { purchases: true, sales: false, plan: 'plus', billingMode: 'firmRebills' });
  });

  it('answers 404 for an unknown or malformed id', async () => {
    assert.equal((await call('GET', '/api/portfolio/000000000000000000000000/shine')).status, 404);
    assert.equal((await call('POST', '/api/portfolio/pas-un-id/shine', activation)).status, 404);
  });
});
