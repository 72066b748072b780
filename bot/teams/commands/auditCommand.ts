import type { TurnContext } from 'botbuilder';
import { auditLogCard } from '../../cards/views.js';
import { requirements } from '../../domain/access/policy.js';
import type { AuditNameResolver } from '../../domain/auditNames.js';
import { contactDisplayName } from '../../domain/contact.js';
import type { AuditLog, AuditQuery, ClientFileStore, ContactStore } from '../../domain/ports.js';
import { format } from '../../i18n/index.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { contactFor, findClientFileFor, visibilityOf } from '../visibility.js';

/** "journal", "journal dossier 000001", "journal interlocuteur lea@…": the latest entries of the audit log. */
export class AuditLogCommand implements BotCommand {
  readonly name = 'auditLog';
  readonly requires: Access = requirements.read('audit');
  readonly match = keywordMatcher([/journal/, /log/], { takesArguments: true });

  constructor(private readonly services: TeamsServices, private readonly deps: { audit: AuditLog; clientFiles: ClientFileStore; contacts: ContactStore; names: AuditNameResolver }) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    const fileArgs = /^(?:dossier|file|client\s+file)\s+(.+)$/i.exec(args.trim());
    const contactArgs = /^(?:interlocuteur|contact)\s+(.+)$/i.exec(args.trim());
    let query: AuditQuery = {};
    let title = t.history.titleFirm;
    if (fileArgs) {
      const found = await findClientFileFor(this.services, session, fileArgs[1]!);
      if (found.kind !== 'one') return replyWithText(context, format(t.clientFile.notFound, { query: fileArgs[1]! }));
      query = { clientFileId: found.record.id };
      title = format(t.history.titleFile, { code: found.record.code, name: found.record.companyName });
    } else if (contactArgs) {
      const found = await this.services.contacts.find(actor.firmId, contactArgs[1]!);
      if (found.kind !== 'one') return replyWithText(context, format(t.contact.notFound, { query: contactArgs[1]! }));
      await contactFor(this.services, session, found.record.id);
      query = { contactId: found.record.id };
      title = format(t.history.titleContact, { name: contactDisplayName(found.record) });
    } else if (args.trim()) {
      return replyWithText(context, t.commands.auditLog.usage);
    }
    // A user of services reads nothing about other services' files, nor about contacts linked only to them.
    const visibility = visibilityOf(session);
    if (visibility !== 'all') {
      const hidden = await this.services.clientFiles.hiddenFilesAndContacts(actor.firmId, visibility);
      query = { ...query, excluding: { clientFileIds: [...hidden.clientFileIds], contactIds: [...hidden.contactIds] } };
    }
    const entries = await this.deps.audit.search(actor.firmId, query, 15);
    const [files, contacts, names] = await Promise.all([
      this.deps.clientFiles.findByIds(actor.firmId, entries.flatMap((entry) => (entry.clientFileId ? [entry.clientFileId] : []))),
      this.deps.contacts.findByIds(actor.firmId, entries.flatMap((entry) => (entry.contactId ? [entry.contactId] : []))),
      this.deps.names.namesFor(actor.firmId, entries),
    ]);
    const fileName = new Map(files.map((file) => [file.id, `${file.code} – ${file.companyName}`]));
    const contactName = new Map(contacts.map((contact) => [contact.id, contactDisplayName(contact)]));
    await replyWithCard(
      context,
      auditLogCard(language, title, entries.map((entry) => ({ entry, clientFile: entry.clientFileId ? fileName.get(entry.clientFileId) : undefined, contact: entry.contactId ? contactName.get(entry.contactId) : undefined })),
        names,
      ),
    );
  }
}
