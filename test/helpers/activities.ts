import { randomUUID } from 'node:crypto';

/** Activity factories shaped like what Teams sends, so bot tests drive the real adapter. */
export const demoFirmId = '11111111-1111-1111-1111-111111111111';
export const otherFirmId = '22222222-2222-2222-2222-222222222222';

export interface Speaker {
  id: string;
  name: string;
  aadObjectId: string;
}

export const claire: Speaker = { id: '29:staff-claire', name: 'Claire Martin', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000001' };
export const paul: Speaker = { id: '29:staff-paul', name: 'Paul Durand', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000002' };
export const botAccount = { id: '28:passerelle-bot', name: 'Passerelle' };

export interface ActivityOptions {
  serviceUrl: string;
  from?: Speaker;
  firmId?: string;
  conversationId?: string;
  locale?: string;
}

function base(options: ActivityOptions) {
  const firmId = options.firmId ?? demoFirmId;
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl: options.serviceUrl,
    channelId: 'msteams',
    from: options.from ?? claire,
    recipient: botAccount,
    conversation: { id: options.conversationId ?? `a:personal-${firmId}`, conversationType: 'personal', tenantId: firmId },
    channelData: { tenant: { id: firmId } },
    locale: options.locale ?? 'fr-FR',
  };
}

export function messageActivity(text: string, options: ActivityOptions) {
  return { ...base(options), type: 'message', text, textFormat: 'plain' };
}

export function executeActivity(verb: string, data: Record<string, unknown>, options: ActivityOptions & { replyToId?: string }) {
  return {
    ...base(options),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: options.replyToId ?? 'card-1',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

export function installationActivity(options: ActivityOptions) {
  return { ...base(options), type: 'installationUpdate', action: 'add' };
}

export function botAddedActivity(options: ActivityOptions) {
  return { ...base(options), type: 'conversationUpdate', membersAdded: [botAccount] };
}

export interface TeamChannel {
  threadId: string;
  name: string;
  aadGroupId: string;
}

/** A message posted in a team's General channel (the bot is mentioned; the mention is already stripped here). */
export function channelMessageActivity(text: string, team: TeamChannel, options: ActivityOptions) {
  const firmId = options.firmId ?? demoFirmId;
  return {
    ...messageActivity(text, options),
    conversation: { id: team.threadId, conversationType: 'channel', isGroup: true, tenantId: firmId },
    channelData: { tenant: { id: firmId }, team: { id: team.threadId, name: team.name, aadGroupId: team.aadGroupId }, channel: { id: team.threadId } },
  };
}
