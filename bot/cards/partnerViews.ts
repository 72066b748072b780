import type { ClientFile } from '../domain/clientFile.js';
import type { FlowChecklist } from '../domain/partners/flowService.js';
import type { ShineSetup } from '../domain/partners/partnerApps.js';
import type { ShinePreparation, ShineRefusal } from '../domain/partners/shineService.js';
import { shineBillingModes, shinePlans } from '../domain/partners/shineService.js';
import { format, messagesFor, type Language } from '../i18n/index.js';
import { formatDate } from './guestViews.js';
import { renderCard, type AdaptiveCard } from './render.js';

export function flowChecklistCard(language: Language, file: ClientFile, checklist: FlowChecklist, banner?: { text: string; good: boolean }): AdaptiveCard {
  const t = messagesFor(language).partners;
  const next = checklist.steps.find((step) => step.state === 'next');
  return renderCard('flowChecklist', {
    banner: banner?.text ?? '',
    bannerColor: banner?.good === false ? 'Attention' : 'Good',
    title: format(t.flowTitle, { code: file.code, name: file.companyName }),
    intro: t.flowIntro,
    steps: checklist.steps.map((step) => ({
      line: format(t.flowStepLine, {
        mark: step.state === 'done' ? '✔' : step.state === 'next' ? '➜' : '○',
        step: t.flowSteps[step.id],
        extra: step.accepted
          ? format(t.flowAccepted, step.accepted)
          : step.done
            ? format(t.flowDoneBy, { who: step.done.displayName, date: formatDate(language, step.done.at) })
            : '',
      }),
    })),
    complete: checklist.complete,
    completeText: t.flowComplete,
    clientFileId: file.id,
    version: checklist.setup.version,
    nextStepId: next && next.id !== 'usersInvited' ? next.id : '',
    nextLabel: next ? format(t.flowMarkDone, { step: t.flowSteps[next.id] }) : '',
    inviteStep: next?.id === 'usersInvited',
    inviteLabel: t.flowInvite,
  });
}

/** The activation form, a refusal with its exact reason, or the activated state (with the e-mail to copy). */
export function shineCard(
  language: Language,
  file: ClientFile,
  state: { preparation?: ShinePreparation; refusal?: ShineRefusal; setup?: ShineSetup; emailBody?: string; banner?: { text: string; good: boolean } },
): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.partners;
  const { preparation, setup } = state;
  const flows = setup ? [setup.purchases ? t.purchases : '', setup.sales ? t.sales : ''].filter(Boolean).join(' + ') : '';
  return renderCard('shineActivation', {
    title: format(t.shineTitle, { code: file.code, name: file.companyName }),
    banner: state.banner?.text ?? (state.refusal ? t.shineRefusals[state.refusal] : ''),
    bannerColor: state.banner?.good ? 'Good' : 'Attention',
    intro: t.shineIntro,
    canActivate: Boolean(preparation) && !setup,
    summary: setup
      ? `${format(t.summary, { flows, billing: t.billingModes[setup.billingMode], plan: t.plans[setup.plan], email: setup.accountEmail })} ${format(t.activeSince, { who: setup.activated.displayName, date: formatDate(language, setup.activated.at) })}`
      : '',
    purchasesLabel: t.purchases,
    salesLabel: t.sales,
    // The firm's defaults (its settings) are what the form proposes first.
    defaultPurchases: String(preparation?.defaults.purchases ?? true),
    defaultSales: String(preparation?.defaults.sales ?? true),
    defaultBillingMode: preparation?.defaults.billingMode ?? 'shineBillsClient',
    defaultPlan: preparation?.defaults.plan ?? 'start',
    billingLabel: t.billingMode,
    billingModes: shineBillingModes.map((value) => ({ title: t.billingModes[value], value })),
    planLabel: t.plan,
    plans: shinePlans.map((value) => ({ title: t.plans[value], value })),
    accountEmailLabel: t.accountEmail,
    accountEmail: preparation?.proposedEmail ?? '',
    aliasHint: preparation?.aliasNeeded ? format(t.aliasHint, { email: preparation.primary.email }) : '',
    subjectLabel: t.emailSubject,
    emailSubject: preparation?.emailSubject ?? '',
    bodyLabel: t.emailBody,
    emailBody: state.emailBody ?? preparation?.emailBody ?? '',
    activateLabel: t.activate,
    clientFileId: file.id,
    requiredMessage: messages.errors.requiredField,
  });
}
