import { DirectoryError } from '../directory.js';
import type { ActorStamp } from '../actor.js';
import { newAuditEntry } from '../audit.js';
import type { ClientFile } from '../clientFile.js';
import { contactDisplayName, type Contact } from '../contact.js';
import { checkEmail, checkMultilineText, checkSiret } from '../fieldRules.js';
import type { AuditLog, ClientFileStore, ContactStore, PartnerDefaults } from '../ports.js';
import type { PartnerAppStore, ShineBillingMode, ShinePlan, ShineSetup } from './partnerApps.js';

export const shinePlans: ShinePlan[] = ['easy', 'start', 'plus'];
export const shineBillingModes: ShineBillingMode[] = ['shineBillsClient', 'firmRebills'];

/** Why Shine cannot be activated for a client file, as the original console says it (seed 002). */
export type ShineRefusal = 'noPrimaryContact' | 'siretRequired' | 'alreadyActive' | 'nothingChosen' | 'emailInvalid' | 'emailTaken' | 'clientFileNotFound';

export interface ShinePreparation {
  file: ClientFile;
  primary: Contact;
  /** The address the Shine account will use: the primary contact's, or an alias when it is taken. */
  proposedEmail: string;
  /** The primary contact's address already has a Shine account (another company of the same manager). */
  aliasNeeded: boolean;
  emailSubject: string;
  emailBody: string;
  /** What the form proposes first: the firm's Shine defaults (its settings). */
  defaults: PartnerDefaults['shine'];
}

/** Sends the offer e-mail from a firm mailbox (Graph sendMail); absent when no mailbox is configured. */
export interface OfferMailer {
  send(message: { to: string; subject: string; body: string }): Promise<void>;
}

/** `client@x.fr` → `client+alias1@x.fr`, then alias2…: every mail still reaches the main box. */
export function aliasOf(email: string, index: number): string {
  const [local, domain] = email.split('@') as [string, string];
  return `${local.split('+')[0]}+alias${index}@${domain}`;
}

/** How the console names Shine in the Achat / Vente columns: « Shine Plus ». */
export function shineEquipmentName(plan: ShinePlan): string {
  return `Shine ${plan.charAt(0).toUpperCase()}${plan.slice(1)}`;
}

export class ShineService {
  constructor(
    private readonly deps: {
      apps: PartnerAppStore;
      clientFiles: ClientFileStore;
      contacts: ContactStore;
      audit: AuditLog;
      mailer?: OfferMailer;
      /** The firm's settings, for the defaults the form proposes; absent: Shine bills the client, Start plan, both flows. */
      settings?: { settings(firmId: string): Promise<{ partnerDefaults: PartnerDefaults }> };
    },
  ) {}

  async current(firmId: string, clientFileId: string): Promise<ShineSetup | null> {
    return this.deps.apps.findShine(firmId, clientFileId);
  }

  /** Checks the prerequisites and prepares what the card proposes; refusals carry the exact reason. */
  async prepare(firmId: string, clientFileId: string): Promise<{ ok: true; value: ShinePreparation } | { ok: false; refusal: ShineRefusal; file?: ClientFile }> {
    const file = await this.deps.clientFiles.findById(firmId, clientFileId);
    if (!file) return { ok: false, refusal: 'clientFileNotFound' };
    if (await this.deps.apps.findShine(firmId, clientFileId)) return { ok: false, refusal: 'alreadyActive', file };
    const primary = file.primaryContactId ? await this.deps.contacts.findById(firmId, file.primaryContactId) : null;
    if (!primary) return { ok: false, refusal: 'noPrimaryContact', file };
    if (!file.siret || !checkSiret(file.siret).ok) return { ok: false, refusal: 'siretRequired', file };
    const proposedEmail = await this.freeAddress(firmId, primary.email);
    const defaults = (await this.deps.settings?.settings(firmId))?.partnerDefaults.shine ?? { purchases: true, sales: true, billingMode: 'shineBillsClient', plan: 'start' };
    return {
      ok: true,
      value: {
        file,
        primary,
        defaults,
        proposedEmail,
        aliasNeeded: proposedEmail !== primary.email,
        emailSubject: `Votre facturation avec Shine – ${file.companyName}`,
        emailBody: [
          `Bonjour ${contactDisplayName(primary)},`,
          '',
          `Le cabinet met en place pour ${file.companyName} la solution de facturation Shine, reliée à votre dossier comptable.`,
          `Vous allez recevoir un e-mail de Shine à l’adresse ${proposedEmail} pour créer votre compte.`,
          proposedEmail !== primary.email ? `Cette adresse est un alias de ${primary.email} : tous les e-mails arrivent dans votre boîte habituelle.` : '',
          '',
          'Votre collaborateur reste à votre disposition pour toute question.',
        ].filter((line, index, lines) => line !== '' || lines[index - 1] !== '').join('\n'),
      },
    };
  }

  /** The primary contact's address, or its first alias not yet used by another Shine account of the firm. */
  private async freeAddress(firmId: string, email: string): Promise<string> {
    const candidates = [email, ...Array.from({ length: 20 }, (_, index) => aliasOf(email, index + 1))];
    const used = new Set((await this.deps.apps.findShineByEmails(firmId, candidates)).map((setup) => setup.accountEmail));
    return candidates.find((candidate) => !used.has(candidate)) ?? aliasOf(email, 21);
  }

  async activate(
    firmId: string,
    clientFileId: string,
    input: { purchases: boolean; sales: boolean; billingMode: ShineBillingMode; plan: ShinePlan; accountEmail: string; emailSubject: string; emailBody?: string },
    by: ActorStamp,
  ): Promise<{ ok: true; setup: ShineSetup; emailSent: boolean; emailFailed: boolean } | { ok: false; refusal: ShineRefusal }> {
    const prepared = await this.prepare(firmId, clientFileId);
    if (!prepared.ok) return { ok: false, refusal: prepared.refusal };
    if (!input.purchases && !input.sales) return { ok: false, refusal: 'nothingChosen' };
    const email = checkEmail(input.accountEmail);
    if (!email.ok) return { ok: false, refusal: 'emailInvalid' };
    if ((await this.deps.apps.findShineByEmails(firmId, [email.value])).length > 0) return { ok: false, refusal: 'emailTaken' };
    // The e-mail keeps its paragraphs: it is a letter to the client, not a one-line field.
    const body = checkMultilineText(input.emailBody, { required: false, max: 5_000 });
    const activated = newAuditEntry({
      firmId, actor: by, action: 'shine.activated', clientFileId, contactId: prepared.value.primary.id,
      details: { purchases: input.purchases, sales: input.sales, billingMode: input.billingMode, plan: input.plan, alias: email.value !== prepared.value.primary.email },
    });
    const { inserted, setup } = await this.deps.apps.insertShine(
      { firmId, clientFileId, app: 'shine', purchases: input.purchases, sales: input.sales, billingMode: input.billingMode, plan: input.plan, accountEmail: email.value, activated: by },
      activated,
    );
    if (!inserted) return { ok: false, refusal: 'alreadyActive' };
    // The activation is the truth about the client's tools: it replaces whatever was typed in Achat / Vente.
    const app = shineEquipmentName(input.plan);
    await this.deps.clientFiles.setPartnerEquipment(firmId, clientFileId, { purchases: input.purchases ? app : undefined, sales: input.sales ? app : undefined }, by.at);
    let emailSent = false;
    let emailFailed = false;
    if (this.deps.mailer && body.ok && body.value) {
      try {
        await this.deps.mailer.send({ to: prepared.value.primary.email, subject: input.emailSubject, body: body.value });
        emailSent = true;
      } catch (error) {
        // Shine is active either way; the e-mail is then handed to staff to send themselves.
        if (!(error instanceof DirectoryError)) throw error;
        emailFailed = true;
      }
    }
    const mailed = newAuditEntry({ firmId, actor: by, action: emailSent ? 'shine.emailSent' : emailFailed ? 'shine.emailFailed' : 'shine.emailPrepared', clientFileId, details: { subject: input.emailSubject } });
    const recorded = await this.deps.apps.recordShineEmail(firmId, setup.id, setup.version, { sent: by, via: emailSent ? 'graph' : 'manual', subject: input.emailSubject }, mailed);
    // The e-mail left even if the setup changed meanwhile: then it is logged on its own.
    if (!recorded) await this.deps.audit.record(mailed);
    return { ok: true, setup: recorded ?? setup, emailSent, emailFailed };
  }
}
