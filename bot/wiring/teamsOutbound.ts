import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { BotEndpointAdapter } from '../api/botAdapter.js';
import type { Config } from '../config.js';
import type { FirmSettingsService } from '../domain/firmSettingsService.js';
import { languageOf, type Language } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/stores.js';
import { OfferCards } from '../teams/offerCards.js';
import { TeamsProactiveMessenger } from '../teams/proactive.js';
import { TeamsGuestReviewNotifier } from '../teams/guestReviewNotifier.js';
import { SupportTeamsCards } from '../teams/supportCards.js';

/**
 * The Bot Framework adapter. Without BOT_ID (local mode only, enforced by config) it accepts unsigned
 * requests; `openIdMetadataUrl` lets tests serve their own signing keys.
 */
export function createBotAdapter(config: Config, openIdMetadataUrl?: string): BotEndpointAdapter {
  const credentials = {
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.SECRET_BOT_PASSWORD ?? '',
    // The SDK insists on an app id for SingleTenant; with no id at all it runs unauthenticated.
    MicrosoftAppType: config.BOT_ID ? config.BOT_TYPE : 'MultiTenant',
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
    // Naming one endpoint makes the SDK take all of them from here: the public cloud's, with the test's keys.
    ...(openIdMetadataUrl
      ? {
          ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl,
          ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          OAuthUrl: 'https://api.botframework.com',
          CallerId: 'urn:botframework:azure',
          ValidateAuthority: true,
        }
      : {}),
  };
  return new BotEndpointAdapter(new ConfigurationBotFrameworkAuthentication(credentials, new ConfigurationServiceClientCredentialFactory(credentials)));
}

export function defaultLanguageOf(config: Config): Language {
  return languageOf(config.DEFAULT_LOCALE) ?? 'fr';
}

/**
 * What Passerelle says without being spoken to: progress cards, welcomes, decisions, the clients'
 * offer cards. Built before the use cases, which only know them through their ports.
 */
export function createTeamsOutbound(deps: { adapter: BotEndpointAdapter; stores: Stores; firmSettings: FirmSettingsService; config: Config; logger: Logger }) {
  const { adapter, stores, firmSettings, config, logger } = deps;
  const common = { adapter, botAppId: config.BOT_ID ?? '', conversations: stores.conversations, firmSettings, preferences: stores.preferences, defaultLanguage: defaultLanguageOf(config) };
  return {
    messenger: new TeamsProactiveMessenger({ ...common, jobs: stores.invitationJobs, contacts: stores.contacts, logger: logger.child('proactive') }),
    offerCards: new OfferCards({
      ...common,
      teams: stores.teams,
      subscriptions: stores.subscriptions,
      contacts: stores.contacts,
      clientFiles: stores.clientFiles,
      link: config.INVITE_REDIRECT_URL,
      logger: logger.child('offers'),
    }),
    // The weekly card to each firm's main manager listing guests nothing engages any more.
    // The support channel's card and the requester's, posted and updated in place.
    supportCards: new SupportTeamsCards({
      ...common,
      teams: stores.teams,
      settings: (firmId) => firmSettings.settings(firmId),
      clientFiles: stores.clientFiles,
      store: stores.supportRequests,
      logger: logger.child('support'),
    }),
    guestReview: new TeamsGuestReviewNotifier({ ...common, structures: stores.structures, memberships: stores.memberships, logger: logger.child('guests') }),
  };
}

export type TeamsOutbound = ReturnType<typeof createTeamsOutbound>;
