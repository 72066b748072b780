import assert from 'node:assert/strict';
import type { CloudAdapter } from 'botbuilder';
import type { Structure } from '../../bot/domain/access/structures.js';
import type { ClientFile } from '../../bot/domain/clientFile.js';
import type { Contact } from '../../bot/domain/contact.js';
import { FirmSettingsService } from '../../bot/domain/firmSettingsService.js';
import { defaultOfferCatalogue, type OfferDefinition } from '../../bot/domain/offers/catalogue.js';
import type { OfferSubscription, SubscriptionStore } from '../../bot/domain/offers/subscription.js';
import type { FirmDefaults, FirmSettings, FirmStore, FirmTeam, TeamStore, UserPreferenceStore } from '../../bot/domain/ports.js';
import { silentLogger } from '../../bot/logger.js';
import type { MongoConversationReferenceStore } from '../../bot/store/conversationReferenceRepository.js';
import { OfferCards } from '../../bot/teams/offerCards.js';
import { TeamsProactiveMessenger } from '../../bot/teams/proactive.js';
import { cardText } from '../helpers/passerelle.js';

/**
 * Cards addressed to clients (the welcome in their team, the offer card) speak the client's
 * language and name the firm by its own name.
 */
const stamp = { userId: 'u1', displayName: 'Claire Martin', at: new Date('2026-11-02T09:00:00Z') };
const team: FirmTeam = { firmId: 'f', teamId: 'team-bakery', displayName: 'Client – Boulangerie Bernard', internal: false, conversationId: '19:bakery@thread.tacv2' };
const file: ClientFile = {
  id: '65a000000000000000000001', firmId: 'f', code: '000001', companyName: 'Boulangerie Bernard', searchTokens: [], equipment: { mandate: 'none', einvoicingRegistration: 'none', reformAwareness: false },
  collection: {}, creationRequestId: 'r', created: stamp, updatedAt: stamp.at,
};
function guestContact(directoryUserId: string): Contact {
  return {
    id: '65a000000000000000000002', firmId: 'f', lastName: 'Bernard', firstName: 'Léa', mobile: '+33612345678', email: 'lea@boulangerie-bernard.fr', address: {},
    searchTokens: [], creationRequestId: 'r', created: stamp, updatedAt: stamp.at,
    guest: { state: 'member', directoryUserId, invitationCount: 1, teamId: team.teamId, checks: 0 },
  } as Contact;
}

/** Léa chose « langue english » in her chat with Passerelle; Hugo never chose. */
const preferences: UserPreferenceStore = {
  getLocale: async (_firmId, userId) => (userId === 'guest-english' ? 'en-US' : undefined),
  setLocale: async () => undefined,
};

class MemoryFirmStore implements FirmStore {
  name?: string;
  async ensure(firmId: string, defaults: FirmDefaults): Promise<FirmSettings> {
    return { firmId, version: 0, ...defaults, ...(this.name ? { name: this.name } : {}) };
  }
  async updateGuestPolicy(): Promise<void> {}
  async addOrgRole(): Promise<boolean> { return true; }
  async removeOrgRole(): Promise<boolean> { return true; }
  async setName(_firmId: string, name: string): Promise<void> { this.name = name; }
  async updateEngagementPolicy(): Promise<void> {}
  async updateSupportPolicy(): Promise<void> {}
  async applyChange(): Promise<boolean> { return true; }
}

function firmSettings(defaultStructure: Partial<Structure> | null, internalTeam?: string) {
  const firms = new MemoryFirmStore();
  const service = new FirmSettingsService(firms, {
    structures: { find: async () => (defaultStructure ? ({ id: 'default', firmId: 'f', active: true, mainManagerEmail: null, services: [], version: 1, ...defaultStructure } as Structure) : null) },
    teams: { list: async () => (internalTeam ? [{ ...team, teamId: 'team-firm', displayName: internalTeam, internal: true }] : []) },
  });
  return service;
}

/** An adapter that hands every proactive turn a context recording what is sent. */
function recordingAdapter() {
  const sent: { attachments?: { content: unknown }[] }[] = [];
  const context = {
    sendActivity: async (activity: (typeof sent)[number]) => { sent.push(activity); return { id: 'activity-1' }; },
    updateActivity: async (activity: (typeof sent)[number]) => { sent.push(activity); },
  };
  const adapter = { continueConversationAsync: async (_appId: string, _reference: unknown, logic: (turn: typeof context) => Promise<void>) => logic(context) };
  return { adapter: adapter as unknown as CloudAdapter, sent, lastCard: () => cardText(sent.at(-1)?.attachments?.[0]?.content) };
}

const conversations = { findForTeam: async () => ({ reference: { serviceUrl: 'https://smba.test' } }) } as unknown as MongoConversationReferenceStore;

function messenger(settings: FirmSettingsService) {
  const recording = recordingAdapter();
  const proactive = new TeamsProactiveMessenger({
    adapter: recording.adapter, botAppId: 'bot', conversations, firmSettings: settings, jobs: {} as never, contacts: {} as never, preferences, defaultLanguage: 'fr', logger: silentLogger,
  });
  return { proactive, ...recording };
}

function offerCards(settings: FirmSettingsService) {
  const recording = recordingAdapter();
  const cards = new OfferCards({
    adapter: recording.adapter, botAppId: 'bot', conversations,
    teams: { find: async () => team } as unknown as TeamStore,
    subscriptions: { setClientCard: async () => true } as unknown as SubscriptionStore,
    contacts: {} as never, clientFiles: {} as never,
    firmSettings: settings, preferences, defaultLanguage: 'fr', link: 'https://teams.microsoft.com', logger: silentLogger,
  });
  return { cards, ...recording };
}

const subscription: OfferSubscription = {
  id: '65a000000000000000000020', firmId: 'f', clientFileId: file.id, contactId: '65a000000000000000000002', offerId: 'start', state: 'active', version: 1, steps: [], proposed: stamp, activatedAt: stamp.at,
} as OfferSubscription;

describe('cards to clients: their language, the firm’s name', () => {
  it('welcomes an English-speaking guest in English, naming the firm by its default structure’s legal name', async () => {
    const { proactive, lastCard } = messenger(firmSettings({ legalName: 'Fiduciaire Dupont SAS', displayName: 'Dupont Lyon' }, 'Équipe interne'));
    await proactive.welcomeInTeam(team, { contact: guestContact('guest-english'), clientFile: file, directoryUserId: 'guest-english' });
    assert.match(lastCard(), /Welcome, Léa Bernard![\s\S]*Fiduciaire Dupont SAS welcomes you/, `the English welcome names the firm:\n${lastCard()}`);
    assert.doesNotMatch(lastCard(), /Bienvenue|Votre cabinet/);
  });

  it('welcomes a guest who chose no language in French, with the firm’s own name once it has one', async () => {
    const settings = firmSettings({ legalName: 'Fiduciaire Dupont SAS' });
    assert.deepEqual(await settings.setFirmName('f', '  Cabinet Dupont & Associés '), { ok: true, name: 'Cabinet Dupont & Associés' });
    const { proactive, lastCard } = messenger(settings);
    await proactive.welcomeInTeam(team, { contact: guestContact('guest-silent'), clientFile: file, directoryUserId: 'guest-silent' });
    assert.match(lastCard(), /Bienvenue, Léa Bernard ![\s\S]*Cabinet Dupont & Associés vous accueille/, `the French welcome names the firm:\n${lastCard()}`);
  });

  it('sends the client’s offer card in the client’s language, naming the firm', async () => {
    const english = offerCards(firmSettings({ legalName: 'Fiduciaire Dupont SAS' }));
    await english.cards.sendToClient(subscription, { offer: defaultOfferCatalogue[0]!, contact: guestContact('guest-english'), clientFile: file });
    assert.match(english.lastCard(), /Hello Léa Bernard, Fiduciaire Dupont SAS opens the Start service for you for Boulangerie Bernard/, english.lastCard());
    const french = offerCards(firmSettings({ legalName: 'Fiduciaire Dupont SAS' }));
    await french.cards.sendToClient(subscription, { offer: defaultOfferCatalogue[0]!, contact: guestContact('guest-silent'), clientFile: file });
    assert.match(french.lastCard(), /Bonjour Léa Bernard, Fiduciaire Dupont SAS vous ouvre le service Start/, french.lastCard());
  });

  it('names the firm by its internal team, then « Your firm », when it has no name nor legal name', async () => {
    assert.equal(await firmSettings({}, 'Cabinet Démo').firmName('f'), 'Cabinet Démo');
    const { proactive, lastCard } = messenger(firmSettings(null));
    await proactive.welcomeInTeam(team, { contact: guestContact('guest-english'), clientFile: file, directoryUserId: 'guest-english' });
    assert.match(lastCard(), /Your firm welcomes you/);
  });

  it('refuses an empty firm name, keeping the one it has', async () => {
    const settings = firmSettings({ legalName: 'Fiduciaire Dupont SAS' });
    const refused = await settings.setFirmName('f', '   ');
    assert.equal(refused.ok, false, 'an empty name is refused');
    assert.equal(await settings.firmName('f'), 'Fiduciaire Dupont SAS');
  });
});

describe('the client’s offer card says what their offer gives (seed 000), in their language', () => {
  const [start, consultation, coproduction] = defaultOfferCatalogue as [OfferDefinition, OfferDefinition, OfferDefinition];
  const directoryUserOf = { fr: 'guest-silent', en: 'guest-english' } as const;

  async function clientCard(offer: OfferDefinition, language: 'fr' | 'en') {
    const { cards, sent, lastCard } = offerCards(firmSettings({ legalName: 'Fiduciaire Dupont SAS' }));
    await cards.sendToClient({ ...subscription, offerId: offer.id }, { offer, contact: guestContact(directoryUserOf[language]), clientFile: file });
    const content = sent.at(-1)?.attachments?.[0]?.content as { actions?: { type: string; url?: string }[] };
    return { text: lastCard(), link: content.actions?.find((action) => action.type === 'Action.OpenUrl')?.url };
  }

  it('Start: deposit documents and the mobile dashboard, in French and in English', async () => {
    const french = await clientCard(start, 'fr');
    assert.match(french.text, /Fiduciaire Dupont SAS vous ouvre le service Start[\s\S]*Déposer vos pièces[\s\S]*tableau de bord de l’application mobile[\s\S]*déposez vos premières pièces/, french.text);
    const english = await clientCard(start, 'en');
    assert.match(english.text, /Fiduciaire Dupont SAS opens the Start service[\s\S]*Upload your documents[\s\S]*mobile app’s dashboard[\s\S]*upload your first documents/, english.text);
    assert.doesNotMatch(english.text, /Déposer|pièces/, 'nothing French for an English-speaking client');
  });

  it('Consultation: read-only access to the accounts, never « déposez vos premières pièces »', async () => {
    const french = await clientCard(consultation, 'fr');
    assert.match(french.text, /Consulter votre dossier comptable, en lecture seule[\s\S]*Aucune modification[\s\S]*consultez vos comptes/, french.text);
    assert.doesNotMatch(french.text, /premières pièces|Déposer/, 'a read-only client is not asked to deposit documents');
    const english = await clientCard(consultation, 'en');
    assert.match(english.text, /read-only[\s\S]*look at your accounts/, english.text);
    assert.doesNotMatch(english.text, /upload/i);
  });

  it('Co-production: keeping their own books within the firm’s modules, never the year-end review', async () => {
    const french = await clientCard(coproduction, 'fr');
    assert.match(french.text, /Tenir vous-même tout ou partie de votre comptabilité[\s\S]*modules que le cabinet a ouverts[\s\S]*liasse fiscale restent faites par le cabinet/, french.text);
    assert.doesNotMatch(french.text, /premières pièces/);
    const english = await clientCard(coproduction, 'en');
    assert.match(english.text, /Keep all or part of your books yourself[\s\S]*tax return stay with your firm/, english.text);
  });

  it('opens the offer’s own workspace and says the firm’s next step when the firm set them; else the invitation’s address', async () => {
    assert.equal((await clientCard(start, 'fr')).link, 'https://teams.microsoft.com', 'without a link of its own: the invitation’s redirect address');
    const own = { ...consultation, clientLink: 'https://espace.fiduciaire-dupont.fr/consultation', clientNextStep: 'Connectez-vous avant le 10 du mois.', description: 'Vos comptes mis à jour chaque semaine.' };
    const card = await clientCard(own, 'fr');
    assert.equal(card.link, 'https://espace.fiduciaire-dupont.fr/consultation');
    assert.match(card.text, /Le mot du cabinet : Vos comptes mis à jour chaque semaine\.[\s\S]*Prochaine étape : Connectez-vous avant le 10 du mois\./, card.text);
  });
});
