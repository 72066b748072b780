import { readFileSync } from 'node:fs';
import { Template } from 'adaptivecards-templating';

/** An Adaptive Card as sent to Teams (schema 1.5). */
export type AdaptiveCard = { type: 'AdaptiveCard'; version: string; body: unknown[]; actions?: unknown[] } & Record<string, unknown>;

export const templateNames = [
  'commands', 'clientFileForm', 'clientFileDetails', 'contactForm', 'contactDetails', 'linkForm', 'searchResults', 'orgRoles',
  'invitePreview', 'bulkInvitePreview', 'jobProgress', 'guestWelcome', 'chooseTeam', 'firmTeams', 'revokeGuest',
  'accessRefused', 'myRights', 'accessRequests', 'accessRequestDecided', 'staffUsers', 'userProfiles', 'structure', 'structureConfirm', 'structures', 'structureServices', 'memberServices', 'clientFileService',
  'offerProposal', 'offerStaff', 'offerClient', 'legacyAccesses', 'flowChecklist', 'shineActivation', 'auditLog',
  'identityChange', 'offerEndGuest', 'contactUnlink', 'contactDelete', 'guestReview', 'reviewDecision',
  'helpResults', 'helpArticle', 'helpArticleForm', 'helpArticles',
  'supportForm', 'supportRequest', 'supportList',
  'firmSettings', 'offerSettings', 'clientOnboarding',
] as const;
export type TemplateName = (typeof templateNames)[number];

const templates = new Map<TemplateName, Template>();

export function templateSource(name: TemplateName): object {
  return JSON.parse(readFileSync(new URL(`./templates/${name}.json`, import.meta.url), 'utf8')) as object;
}

function templateFor(name: TemplateName): Template {
  let template = templates.get(name);
  if (!template) {
    template = new Template(templateSource(name));
    templates.set(name, template);
  }
  return template;
}

/**
 * Expands a template with its data. Markdown-looking characters typed by users (e.g. "*" or "_" in a
 * company name) are left as they are: TextBlocks render a safe subset of Markdown and no HTML.
 */
export function renderCard(name: TemplateName, data: object): AdaptiveCard {
  return templateFor(name).expand({ $root: data }) as AdaptiveCard;
}
