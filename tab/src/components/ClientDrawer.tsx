import {
  Badge,
  Button,
  Checkbox,
  DrawerBody,
  Field,
  Radio,
  RadioGroup,
  DrawerHeader,
  DrawerHeaderTitle,
  MessageBar,
  MessageBarBody,
  OverlayDrawer,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { DismissRegular, EditRegular } from '@fluentui/react-icons';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError, guestFates, type GuestFate, type OnboardingState, type PortfolioApi, type PortfolioClientView } from '../api';
import { AddContact, ContactActions } from './ContactActions';
import { format, formatDate, useLanguage, type Language } from '../i18n';
import { useClientDrawerStyles } from './ClientDrawer.styles';
import { ClientEditForm, type EditResult } from './ClientEditForm';
import { stateColor } from './OnboardingBadges';
import { formatSiret } from './PortfolioColumns';

type Loaded = { status: 'loading' } | { status: 'ready'; client: PortfolioClientView } | { status: 'error'; message: string };
type Notice = { intent: 'success' | 'warning'; text: string } | null;

/**
 * One client: details, equipment, collection, notes, contacts (primary, scope, guest state with
 * dates) and history, oldest first; « Modifier » for those allowed to edit.
 */
export interface ClientDrawerProps {
  api: PortfolioApi;
  clientId: string | null;
  onClose(): void;
  onSaved?(): void;
  offerNames?: ReadonlyMap<string, string>;
  /** From /api/me, read once by the App: « Modifier » and « Terminer » only for those allowed. */
  canEdit: boolean;
  canEndOffers: boolean;
}

export function ClientDrawer({ api, clientId, onClose, onSaved, offerNames = new Map(), canEdit, canEndOffers }: ClientDrawerProps) {
  const styles = useClientDrawerStyles();
  const language = useLanguage();
  const t = language.texts.drawer;
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [reloads, setReloads] = useState(0);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);

  useEffect(() => {
    setEditing(false);
    setNotice(null);
  }, [clientId]);

  useEffect(() => {
    if (!clientId) return;
    const controller = new AbortController();
    // Reloading the same client keeps it on screen (and the focused button in place); another client starts afresh.
    setLoaded((current) => (current.status === 'ready' && current.client.id === clientId ? current : { status: 'loading' }));
    api.client(clientId, controller.signal).then(
      (client) => setLoaded({ status: 'ready', client }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ status: 'error', message: error instanceof ApiError ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [api, clientId, reloads]);

  // Back from the form, keyboard focus returns to the button that opened it, before anything else
  // can notice it lost: focus left on the page would hide the drawer from screen readers.
  useLayoutEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const finishEdit = (result: EditResult) => {
    setEditing(false);
    if (result.kind === 'saved') {
      setLoaded({ status: 'ready', client: result.client });
      setNotice({ intent: 'success', text: t.saved });
      onSaved?.();
    } else {
      setNotice({ intent: 'warning', text: t.changedMeanwhile });
      setReloads((count) => count + 1);
    }
  };

  // The previous client is never shown under another id: its buttons would take the focus, then vanish with it.
  const client = loaded.status === 'ready' && loaded.client.id === clientId ? loaded.client : undefined;
  const headerActions = (
    <div className={styles.headerActions}>
      {canEdit && client && !editing && (
        <Button
          ref={editButton}
          appearance="primary"
          icon={<EditRegular />}
          aria-label={format(t.editLabel, { name: client.companyName })}
          onClick={() => {
            setNotice(null);
            setEditing(true);
          }}
        >
          {t.edit}
        </Button>
      )}
      <Button ref={closeButton} appearance="subtle" aria-label={t.close} icon={<DismissRegular />} onClick={onClose} />
    </div>
  );
  return (
    <OverlayDrawer open={clientId !== null} position="end" size="large" onOpenChange={(_event, data) => !data.open && onClose()} aria-label={client?.companyName}>
      <DrawerHeader>
        <DrawerHeaderTitle action={headerActions}>
          {client ? client.companyName : loaded.status === 'loading' ? language.texts.loading : ''}
        </DrawerHeaderTitle>
        {client && <Text className={styles.subtitle}>{[client.code, client.legalForm].filter(Boolean).join(' · ')}</Text>}
      </DrawerHeader>
      <DrawerBody className={styles.body}>
        {loaded.status === 'loading' && <Spinner label={language.texts.loading} />}
        {loaded.status === 'error' && (
          <MessageBar intent="error">
            <MessageBarBody>{loaded.message}</MessageBarBody>
          </MessageBar>
        )}
        {notice && (
          <MessageBar intent={notice.intent} role={notice.intent === 'warning' ? 'alert' : 'status'}>
            <MessageBarBody>{notice.text}</MessageBarBody>
          </MessageBar>
        )}
        {client && editing && (
          <>
            <Text as="h2" size={500} weight="semibold">
              {t.editTitle}
            </Text>
            <ClientEditForm key={client.updatedAt} api={api} client={client} onDone={finishEdit} onCancel={() => setEditing(false)} />
          </>
        )}
        {client && !editing && (
          <ClientContent
            client={client}
            language={language}
            offerNames={offerNames}
            api={api}
            canEdit={canEdit}
            onContactChanged={(text, intent = 'success') => {
              setNotice({ intent, text });
              onSaved?.();
              setReloads((count) => count + 1);
            }}
            onEndOffer={
              canEndOffers
                ? async (offer, guestFate) => {
                    setNotice(null);
                    try {
                      await api.endOffer(offer.id, offer.version, guestFate);
                      setNotice({ intent: 'success', text: t.offerEnded });
                      onSaved?.();
                    } catch (failure) {
                      setNotice({ intent: 'warning', text: (failure as Error).message });
                    }
                    setReloads((count) => count + 1);
                    // The confirmation's buttons are gone: focus stays in the drawer, where Escape still closes it.
                    closeButton.current?.focus();
                  }
                : undefined
            }
          />
        )}
      </DrawerBody>
    </OverlayDrawer>
  );
}

type ContactOfferView = NonNullable<PortfolioClientView['contacts'][number]['offer']>;

function ClientContent({
  client,
  language,
  offerNames,
  onEndOffer,
  api,
  canEdit,
  onContactChanged,
}: {
  client: PortfolioClientView;
  language: Language;
  offerNames: ReadonlyMap<string, string>;
  onEndOffer?(offer: ContactOfferView, guestFate?: GuestFate): Promise<void>;
  api: PortfolioApi;
  canEdit: boolean;
  onContactChanged(text: string, intent?: 'success' | 'warning'): void;
}) {
  const styles = useClientDrawerStyles();
  const t = language.texts.drawer;
  const contactNames = new Map(client.contacts.map((contact) => [contact.id, [contact.firstName, contact.lastName].filter(Boolean).join(' ')]));
  const facts: [string, string | null][] = [
    [t.code, client.code],
    [t.legalForm, client.legalForm],
    [t.taxRegime, client.taxRegime],
    [t.apeCode, client.apeCode],
    [t.siret, client.siret ? formatSiret(client.siret) : null],
    [t.guestTeam, client.guestTeam?.name ?? null],
    [t.createdAt, formatDate(client.createdAt, language)],
  ];
  const { equipment: tools, collection: sources } = client;
  const equipment: [string, string | null][] = [
    [t.purchases, tools.purchases ?? null],
    [t.sales, tools.sales ?? null],
    [t.till, tools.till ?? null],
    [t.mandate, t.mandateStates[tools.mandate]],
    [t.einvoicing, t.einvoicingStates[tools.einvoicingRegistration]],
    [t.reform, tools.reformAwareness ? t.yes : t.no],
  ];
  const collection: [string, string | null][] = [
    [t.feedReception, sources.feedReception ?? null],
    [t.purchaseFeed, sources.purchaseFeed ?? null],
    [t.salesFeed, sources.salesFeed ?? null],
    [t.bankFeed, sources.bankFeed ?? null],
    [t.payroll, sources.payroll ?? null],
    [t.collectionEmail, sources.collectionEmail ?? null],
  ];
  const texts = language.texts;
  const partnerApps: [string, string | null][] = [
    [t.flow, client.flow ? format(texts.flowProgress, { done: client.flow.done, total: client.flow.total }) : t.notActivated],
    [
      t.shine,
      client.shine
        ? `${[client.shine.purchases ? texts.shinePurchases : null, client.shine.sales ? texts.shineSales : null].filter(Boolean).join(' · ')} — ${texts.shinePlans[client.shine.plan]} (${texts.shine.billingModes[client.shine.billingMode]})`
        : t.notActivated,
    ],
  ];
  return (
    <>
      <section className={styles.section} aria-labelledby="client-details">
        <Text as="h2" size={400} weight="semibold" id="client-details">
          {t.details}
        </Text>
        <Facts facts={facts} none={t.none} />
      </section>

      <section className={styles.section} aria-labelledby="client-equipment">
        <Text as="h2" size={400} weight="semibold" id="client-equipment">
          {t.equipment}
        </Text>
        <Facts facts={equipment} none={t.none} />
      </section>

      <section className={styles.section} aria-labelledby="client-partner-apps">
        <Text as="h2" size={400} weight="semibold" id="client-partner-apps">
          {t.partnerApps}
        </Text>
        <Facts facts={partnerApps} none={t.none} />
      </section>

      <section className={styles.section} aria-labelledby="client-collection">
        <Text as="h2" size={400} weight="semibold" id="client-collection">
          {t.collection}
        </Text>
        <Facts facts={collection} none={t.none} />
      </section>

      <section className={styles.section} aria-labelledby="client-notes">
        <Text as="h2" size={400} weight="semibold" id="client-notes">
          {t.notes}
        </Text>
        <Text className={styles.notes}>{client.notes || t.noNotes}</Text>
      </section>

      <section className={styles.section} aria-labelledby="client-contacts">
        <Text as="h2" size={400} weight="semibold" id="client-contacts">
          {t.contacts}
        </Text>
        {canEdit && <AddContact api={api} client={client} onDone={onContactChanged} />}
        {client.contacts.length === 0 ? (
          <Text>{t.noContacts}</Text>
        ) : (
          <Table aria-labelledby="client-contacts" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t.contactColumns.primary}</TableHeaderCell>
                <TableHeaderCell>{t.contactColumns.name}</TableHeaderCell>
                <TableHeaderCell>{t.contactColumns.email}</TableHeaderCell>
                <TableHeaderCell>{t.contactColumns.scope}</TableHeaderCell>
                <TableHeaderCell>{t.contactColumns.state}</TableHeaderCell>
                <TableHeaderCell>{t.contactColumns.offer}</TableHeaderCell>
                {canEdit && <TableHeaderCell>{language.texts.contactActions.column}</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {client.contacts.map((contact) => {
                const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
                return (
                  <TableRow key={contact.id}>
                    <TableCell>
                      <Checkbox
                        checked={contact.primary}
                        disabled={!canEdit || contact.primary}
                        aria-label={format(t.primaryCheckbox, { name })}
                        onChange={async () => {
                          try {
                            await api.setPrimaryContact(client.id, contact.id);
                            onContactChanged(format(language.texts.contactActions.primaryDone, { name }));
                          } catch (failure) {
                            onContactChanged((failure as Error).message, 'warning');
                          }
                        }}
                      />
                    </TableCell>
                    <TableCell>{name}</TableCell>
                    <TableCell>{contact.email}</TableCell>
                    <TableCell>{contact.scope}</TableCell>
                    <TableCell>
                      <GuestState guest={contact.guest} language={language} />
                    </TableCell>
                    <TableCell>
                      <ContactOffer offer={contact.offer} language={language} offerNames={offerNames} contactName={name} onEnd={onEndOffer} planFor={(offer) => api.endingPlan(offer.id)} />
                    </TableCell>
                    {canEdit && (
                      <TableCell>
                        <ContactActions api={api} client={client} contact={contact} offers={offerNames} onDone={onContactChanged} />
                      </TableCell>
                    )}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </section>

      <section className={styles.section} aria-labelledby="client-history">
        <Text as="h2" size={400} weight="semibold" id="client-history">
          {t.history}
        </Text>
        {client.history.length === 0 ? (
          <Text>{t.noHistory}</Text>
        ) : (
          <ol className={styles.history}>
            {client.history.map((entry, index) => (
              <li key={`${entry.at}-${index}`} className={styles.historyItem}>
                <Text>
                  {entry.label}
                  {entry.contactId && contactNames.get(entry.contactId) ? ` — ${contactNames.get(entry.contactId)}` : ''}
                </Text>
                {entry.details && <span className={styles.historyMeta}>{entry.details}</span>}
                <span className={styles.historyMeta}>
                  <time dateTime={entry.at}>{formatDate(entry.at, language, true)}</time> · {format(t.by, { who: entry.by })}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function Facts({ facts, none }: { facts: [string, string | null][]; none: string }) {
  const styles = useClientDrawerStyles();
  return (
    <dl className={styles.facts}>
      {facts.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.value}>{value || none}</dd>
        </div>
      ))}
    </dl>
  );
}

function ContactOffer({
  offer,
  language,
  offerNames,
  contactName,
  onEnd,
  planFor,
}: {
  offer: ContactOfferView | null;
  language: Language;
  offerNames: ReadonlyMap<string, string>;
  contactName: string;
  onEnd?(offer: ContactOfferView, guestFate?: GuestFate): Promise<void>;
  planFor(offer: ContactOfferView): Promise<{ asksGuestFate: boolean; defaultFate: GuestFate }>;
}) {
  const styles = useClientDrawerStyles();
  const t = language.texts.drawer;
  // Ending writes to the client's card too: asked for in place, confirmed once.
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  // Their last offer: what becomes of the guest is asked, the firm's default proposed.
  const [fate, setFate] = useState<GuestFate | null>(null);
  if (!offer) return <span className={styles.guestDate}>{t.none}</span>;
  const name = offerNames.get(offer.offerId) ?? offer.offerId;
  const color = offer.state === 'active' ? 'brand' : offer.state === 'waitingForGuest' ? 'warning' : 'subtle';
  return (
    <>
      <Badge appearance="tint" color={color} shape="rounded">
        {name}
      </Badge>
      <span className={styles.guestDate}>{format(t.offerStates[offer.state], { date: formatDate(offer.since, language) })}</span>
      {onEnd && offer.state !== 'ended' && !confirming && (
        <Button
          size="small"
          appearance="subtle"
          aria-label={format(t.endOfferLabel, { offer: name, name: contactName })}
          onClick={async () => {
            const plan = await planFor(offer).catch(() => null);
            setFate(plan?.asksGuestFate ? plan.defaultFate : null);
            setConfirming(true);
          }}
        >
          {t.endOffer}
        </Button>
      )}
      {onEnd && confirming && (
        <span role="group" aria-label={format(t.endOfferConfirm, { offer: name, name: contactName })} className={styles.guestDate}>
          {format(t.endOfferConfirm, { offer: name, name: contactName })}{' '}
          {fate && (
            <Field label={language.texts.contactActions.endLastOffer}>
              <RadioGroup value={fate} onChange={(_event, data) => setFate(data.value as GuestFate)}>
                {guestFates.map((value) => (
                  <Radio key={value} value={value} label={language.texts.contactActions.fates[value]} />
                ))}
              </RadioGroup>
            </Field>
          )}
          <Button
            size="small"
            appearance="primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              await onEnd(offer, fate ?? undefined);
              setBusy(false);
              setConfirming(false);
            }}
          >
            {t.endOfferYes}
          </Button>{' '}
          <Button size="small" onClick={() => setConfirming(false)}>
            {language.texts.cancel}
          </Button>
        </span>
      )}
    </>
  );
}

function GuestState({ guest, language }: { guest: PortfolioClientView['contacts'][number]['guest']; language: Language }) {
  const styles = useClientDrawerStyles();
  const state = guest.state as OnboardingState;
  const date =
    'invitedAt' in guest
      ? state === 'member'
        ? guest.memberAt
        : state === 'accepted'
          ? guest.acceptedAt
          : state === 'failed'
            ? guest.failure?.at
            : state === 'revoked'
              ? guest.revoked?.at
              : guest.lastInvitedAt ?? guest.invitedAt
      : null;
  return (
    <>
      <Badge appearance="tint" color={stateColor[state]} shape="rounded">
        {language.texts.states[state]}
      </Badge>
      <span className={styles.guestDate}>{format(language.texts.guestDates[state], { date: formatDate(date, language) })}</span>
    </>
  );
}
