import type { ActorStamp } from '../actor.js';
import { newAuditEntry } from '../audit.js';
import type { Contact } from '../contact.js';
import type { ClientFileStore, ContactLinkStore, ContactStore } from '../ports.js';
import { flowSteps, type FlowManualStep, type FlowSetup, type FlowStep, type PartnerAppStore } from './partnerApps.js';

export interface FlowStepView {
  id: FlowStep;
  state: 'done' | 'next' | 'waiting';
  done?: ActorStamp;
  /** Step 3: how many of the file's contacts are guests (invited or further). */
  invited?: { invited: number; total: number };
}

export interface FlowChecklist {
  setup: FlowSetup;
  steps: FlowStepView[];
  complete: boolean;
}

export type FlowStepOutcome =
  | { status: 'done'; checklist: FlowChecklist }
  | { status: 'stale' | 'outOfOrder' | 'derivedStep'; checklist: FlowChecklist }
  | { status: 'clientFileNotFound' };

const isGuest = (contact: Contact) => contact.guest?.state === 'invited' || contact.guest?.state === 'accepted' || contact.guest?.state === 'member';

/**
 * Flow's five steps for a client file, in order. Step 3 is not ticked by hand: it is done when
 * every contact of the file has been invited as a guest (the guest onboarding does it).
 */
export class FlowService {
  constructor(private readonly deps: { apps: PartnerAppStore; clientFiles: ClientFileStore; links: ContactLinkStore; contacts: ContactStore }) {}

  async checklist(firmId: string, clientFileId: string): Promise<FlowChecklist | null> {
    if (!(await this.deps.clientFiles.findById(firmId, clientFileId))) return null;
    return this.view(await this.deps.apps.ensureFlow(firmId, clientFileId));
  }

  async completeStep(firmId: string, clientFileId: string, expectedVersion: number, step: FlowStep, by: ActorStamp): Promise<FlowStepOutcome> {
    const current = await this.checklist(firmId, clientFileId);
    if (!current) return { status: 'clientFileNotFound' };
    if (current.setup.version !== expectedVersion) return { status: 'stale', checklist: current };
    if (step === 'usersInvited') return { status: 'derivedStep', checklist: current };
    const next = current.steps.find((candidate) => candidate.state === 'next');
    if (next?.id !== step) return { status: 'outOfOrder', checklist: current };
    const stepDone = newAuditEntry({ firmId, actor: by, action: 'flow.stepDone', clientFileId, details: { step } });
    const updated = await this.deps.apps.recordFlowStep(firmId, current.setup.id, expectedVersion, step as FlowManualStep, by, stepDone);
    if (!updated) return { status: 'stale', checklist: (await this.checklist(firmId, clientFileId))! };
    return { status: 'done', checklist: await this.view(updated) };
  }

  private async view(setup: FlowSetup): Promise<FlowChecklist> {
    const links = await this.deps.links.listByClientFile(setup.firmId, setup.clientFileId);
    const contacts = await this.deps.contacts.findByIds(setup.firmId, links.map((link) => link.contactId));
    const invited = { invited: contacts.filter(isGuest).length, total: contacts.length };
    let reachedNext = false;
    const steps = flowSteps.map((id): FlowStepView => {
      const done = id === 'usersInvited' ? invited.total > 0 && invited.invited === invited.total : Boolean(setup.steps[id as FlowManualStep]);
      const doneStamp = id === 'usersInvited' ? undefined : setup.steps[id as FlowManualStep];
      if (done && !reachedNext) return { id, state: 'done', done: doneStamp, ...(id === 'usersInvited' ? { invited } : {}) };
      const state = reachedNext ? 'waiting' : 'next';
      reachedNext = true;
      return { id, state, done: done ? doneStamp : undefined, ...(id === 'usersInvited' ? { invited } : {}) };
    });
    return { setup, steps, complete: steps.every((step) => step.state === 'done') };
  }
}
