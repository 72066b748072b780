import type { ActorStamp } from '../actor.js';
import type { AuditEntry } from '../ports.js';

/**
 * A partner app's state for one client file (Flow's checklist, Shine's activation), one document
 * each, changed by single-document updates guarded by `version`.
 */
export interface FlowSetup {
  id: string;
  firmId: string;
  clientFileId: string;
  app: 'flow';
  version: number;
  /** Manual steps done, by id, with who and when. */
  steps: Partial<Record<FlowManualStep, ActorStamp>>;
}

export type ShineBillingMode = 'shineBillsClient' | 'firmRebills';
export type ShinePlan = 'easy' | 'start' | 'plus';

export interface ShineSetup {
  id: string;
  firmId: string;
  clientFileId: string;
  app: 'shine';
  version: number;
  purchases: boolean;
  sales: boolean;
  billingMode: ShineBillingMode;
  plan: ShinePlan;
  /** One Shine account per address: a second company of the same manager uses an alias. */
  accountEmail: string;
  activated: ActorStamp;
  email?: { sent: ActorStamp; via: 'graph' | 'manual'; subject: string };
}

/** Seed 001: the five steps of Flow for a client; the third follows the guest onboarding. */
export const flowSteps = ['appAuthorised', 'settingsChecked', 'usersInvited', 'flowActivated', 'dsp2Activated'] as const;
export type FlowStep = (typeof flowSteps)[number];
export type FlowManualStep = Exclude<FlowStep, 'usersInvited'>;

export interface PartnerAppStore {
  /** Creates the checklist if absent; returns it. */
  ensureFlow(firmId: string, clientFileId: string): Promise<FlowSetup>;
  /** Records a step only if the checklist is still at `expectedVersion`. */
  recordFlowStep(firmId: string, id: string, expectedVersion: number, step: FlowManualStep, done: ActorStamp, audit?: AuditEntry): Promise<FlowSetup | null>;
  findShine(firmId: string, clientFileId: string): Promise<ShineSetup | null>;
  /** Shine accounts of the firm using one of these addresses (for aliases). */
  findShineByEmails(firmId: string, emails: string[]): Promise<ShineSetup[]>;
  /** Inserts unless the file already has Shine; returns the stored one. The entry goes with the insert only. */
  insertShine(setup: Omit<ShineSetup, 'id' | 'version'>, audit?: AuditEntry): Promise<{ inserted: boolean; setup: ShineSetup }>;
  recordShineEmail(firmId: string, id: string, expectedVersion: number, email: NonNullable<ShineSetup['email']>, audit?: AuditEntry): Promise<ShineSetup | null>;
}
