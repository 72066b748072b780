import assert from 'node:assert/strict';
import * as AC from 'adaptivecards';
import { templateNames, templateSource, type AdaptiveCard } from '../../bot/cards/render.js';
import {
  clientFileDetailsCard,
  clientFileFormCard,
  clientFileResultsCard,
  commandsCard,
  contactDetailsCard,
  contactFormCard,
  contactResultsCard,
  linkFormCard,
  orgRolesCard,
} from '../../bot/cards/views.js';
import type { ClientFile } from '../../bot/domain/clientFile.js';
import type { Contact } from '../../bot/domain/contact.js';
import { defaultOrgRoles } from '../../bot/domain/catalogues.js';

const stamp = { userId: 'u1', displayName: 'Claire Martin', at: new Date('2026-11-02T09:00:00Z') };
const file: ClientFile = {
  id: '65a000000000000000000001', firmId: 'f', code: '000001', companyName: 'Boulangerie Bernard', legalForm: 'SARL', siret: '73282932000074',
  apeCode: '1071C', taxRegime: 'Réel simplifié', primaryContactId: '65a000000000000000000002', searchTokens: [], creationRequestId: 'r', created: stamp, updatedAt: stamp.at,
};
const contact: Contact = {
  id: '65a000000000000000000002', firmId: 'f', lastName: 'Bernard', firstName: 'Léa', mobile: '+33612345678', email: 'lea@boulangerie-bernard.fr',
  orgRole: "Chef d'entreprise", address: { line1: '1 rue du Four', city: 'Lyon' }, searchTokens: [], creationRequestId: 'r', created: stamp, updatedAt: stamp.at,
};

/** Parses a card with the official adaptivecards library and returns every problem it reports. */
function problemsOf(card: object): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems = Array.from({ length: context.eventCount }, (_, index) => context.getEventAt(index).message);
  const validation = parsed.validateProperties();
  for (let index = 0; index < validation.validationEvents.length; index++) problems.push(validation.validationEvents[index]!.message);
  return problems;
}

const samples: Record<string, () => AdaptiveCard> = {
  'welcome (fr)': () => commandsCard('fr', 'welcome'),
  'help (en)': () => commandsCard('en', 'help'),
  'client file form with errors': () =>
    clientFileFormCard('fr', { requestId: '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60', values: { code: 'A B' }, errors: { code: { code: 'code.format' }, siret: { code: 'siret.checksum' } } }),
  'client file details': () => clientFileDetailsCard('fr', { file, contacts: [{ contact, scope: '-', primary: true }, { contact: { ...contact, id: '65a000000000000000000003', firstName: 'Paul' }, scope: 'Ventes', primary: false }] }, 'Dossier créé'),
  'client file without contacts (en)': () => clientFileDetailsCard('en', { file: { ...file, siret: undefined }, contacts: [] }),
  'contact form': () => contactFormCard('fr', { requestId: '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60', orgRoles: defaultOrgRoles, clientFile: file, errors: { mobile: { code: 'phone.notMobile' } } }),
  'contact details': () => contactDetailsCard('fr', { contact, clientFiles: [{ file, scope: '-', primary: true }] }),
  'link form from a file': () => linkFormCard('fr', { clientFile: file, errors: { contact: { code: 'contact.notFound' } } }),
  'link form empty': () => linkFormCard('en', {}),
  'client file results': () => clientFileResultsCard('fr', 'bou', [file, { ...file, id: '65a000000000000000000009', code: '000002', companyName: 'Boucherie' }], true),
  'contact results': () => contactResultsCard('fr', 'ber', [contact], false),
  'org roles': () => orgRolesCard('fr', defaultOrgRoles, { text: 'Rôle ajouté', good: true }),
};

describe('Adaptive Card templates', () => {
  for (const name of templateNames) {
    it(`template ${name} is schema 1.5 JSON the adaptivecards library parses`, () => {
      const source = templateSource(name) as { version?: string; type?: string };
      assert.equal(source.type, 'AdaptiveCard');
      assert.equal(source.version, '1.5', 'Teams renders up to schema 1.5');
    });
  }

  for (const [name, build] of Object.entries(samples)) {
    it(`${name}: expands fully and parses without warnings`, () => {
      const card = build();
      const json = JSON.stringify(card);
      assert.doesNotMatch(json, /\$\{/, 'no unexpanded template expression may reach Teams');
      assert.deepEqual(problemsOf(card), [], 'the adaptivecards library reports no problem');
    });
  }

  it('every template is used by at least one sample', () => {
    const used = new Set(Object.values(samples).map((build) => JSON.stringify(build())));
    assert.ok(used.size >= templateNames.length);
  });

  it('detects a broken card, so the check above can fail', () => {
    assert.notDeepEqual(problemsOf({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Bogus' }] }), []);
  });

  it('shows field errors next to their field and keeps what was typed', () => {
    const card = clientFileFormCard('fr', { requestId: '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60', values: { siret: '123' }, errors: { siret: { code: 'siret.format' } } });
    const body = card.body as { id?: string; text?: string; value?: string }[];
    const siretIndex = body.findIndex((element) => element.id === 'siret');
    assert.equal(body[siretIndex]!.value, '123');
    assert.match(String(body[siretIndex + 1]!.text), /14 chiffres/);
  });

  it('a primary contact offers no "make primary" button; the others do', () => {
    const json = JSON.stringify(samples['client file details']!());
    assert.equal(json.match(/clientFile\.setPrimary/g)?.length, 1);
  });
});
