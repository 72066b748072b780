import type { ActorStamp } from '../actor.js';
import { newAuditEntry } from '../audit.js';
import type { Contact } from '../contact.js';
import type { ClientFileStore, ContactLinkStore, ContactStore } from '../ports.js';
import { flowSteps, type FlowManualStep, type FlowSetup, type FlowStep, type PartnerAppStore } from './partnerApps.js';

export interface FlowStepView {
  id: FlowStep;
  state: 'done' | 'next' | 'waiting';
  done?: ActorStamp;
  /** Step 3: how many of the file's contacts accepted their guest invitation (seed 001: « l'invitation acceptée »). */
  accepted?: { accepted: number; total: number };
}

/** Where Flow's first step, the firm's own, is recorded. */
export interface FlowFirmAuthorisation {
  settings(firmId: string): Promise<{ flowAppAuthorised?: ActorStamp }>;
  recordFlowAppAuthorised(firmId: string, by: ActorStamp): Promise<boolean>;
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

/** Only once the invitation is accepted is the client ready to collaborate in Flow (seed 001). */
const hasAccepted = (contact: Contact) => contact.guest?.state === 'accepted' || contact.guest?.state === 'member';

/**
 * Flow's five steps for a client file, in order. Step 1 is the firm's: done once, it is done on every
 * file. Step 3 is not ticked by hand: it is done when every contact of the file has accepted their
 * guest invitation (the guest onboarding follows it).
 */
export class FlowService {
  constructor(private readonly deps: { apps: PartnerAppStore; clientFiles: ClientFileStore; links: ContactLinkStore; contacts: ContactStore; firm: FlowFirmAuthorisation }) {}

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
    // The file keeps its own record (and version); the firm's makes the step done on every other file.
    if (step === 'appAuthorised') await this.deps.firm.recordFlowAppAuthorised(firmId, by);
    return { status: 'done', checklist: await this.view(updated) };
  }

  private async view(setup: FlowSetup): Promise<FlowChecklist> {
    const [links, firm] = await Promise.all([this.deps.links.listByClientFile(setup.firmId, setup.clientFileId), this.deps.firm.settings(setup.firmId)]);
    const contacts = await this.deps.contacts.findByIds(setup.firmId, links.map((link) => link.contactId));
    const accepted = { accepted: contacts.filter(hasAccepted).length, total: contacts.length };
    const stampOf = (id: FlowStep) => (id === 'usersInvited' ? undefined : id === 'appAuthorised' ? (setup.steps.appAuthorised ?? firm.flowAppAuthorised) : setup.steps[id]);
    let reachedNext = false;
    const steps = flowSteps.map((id): FlowStepView => {
      const done = id === 'usersInvited' ? accepted.total > 0 && accepted.accepted === accepted.total : Boolean(stampOf(id));
      const doneStamp = stampOf(id);
      if (done && !reachedNext) return { id, state: 'done', done: doneStamp, ...(id === 'usersInvited' ? { accepted } : {}) };
      const state = reachedNext ? 'waiting' : 'next';
      reachedNext = true;
      return { id, state, done: done ? doneStamp : undefined, ...(id === 'usersInvited' ? { accepted } : {}) };
    });
    return { setup, steps, complete: steps.every((step) => step.state === 'done') };
  }
}
