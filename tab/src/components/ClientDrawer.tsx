import {
  Badge,
  Button,
  Checkbox,
  DrawerBody,
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
import { DismissRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { ApiError, type OnboardingState, type PortfolioApi, type PortfolioClientView } from '../api';
import { format, formatDate, useLanguage, type Language } from '../i18n';
import { useClientDrawerStyles } from './ClientDrawer.styles';
import { stateColor } from './OnboardingBadges';
import { formatSiret } from './PortfolioTable';

type Loaded = { status: 'loading' } | { status: 'ready'; client: PortfolioClientView } | { status: 'error'; message: string };

/** One client: details, contacts (primary, scope, guest state with dates) and history, oldest first. */
export function ClientDrawer({ api, clientId, onClose }: { api: PortfolioApi; clientId: string | null; onClose(): void }) {
  const styles = useClientDrawerStyles();
  const language = useLanguage();
  const t = language.texts.drawer;
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  useEffect(() => {
    if (!clientId) return;
    const controller = new AbortController();
    setLoaded({ status: 'loading' });
    api.client(clientId, controller.signal).then(
      (client) => setLoaded({ status: 'ready', client }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ status: 'error', message: error instanceof ApiError ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [api, clientId]);

  const client = loaded.status === 'ready' ? loaded.client : undefined;
  return (
    <OverlayDrawer open={clientId !== null} position="end" size="large" onOpenChange={(_event, data) => !data.open && onClose()} aria-label={client?.companyName}>
      <DrawerHeader>
        <DrawerHeaderTitle action={<Button appearance="subtle" aria-label={t.close} icon={<DismissRegular />} onClick={onClose} />}>
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
        {client && <ClientContent client={client} language={language} />}
      </DrawerBody>
    </OverlayDrawer>
  );
}

function ClientContent({ client, language }: { client: PortfolioClientView; language: Language }) {
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
  return (
    <>
      <section className={styles.section} aria-labelledby="client-details">
        <Text as="h2" size={400} weight="semibold" id="client-details">
          {t.details}
        </Text>
        <dl className={styles.facts}>
          {facts.map(([term, value]) => (
            <div key={term} style={{ display: 'contents' }}>
              <dt className={styles.term}>{term}</dt>
              <dd className={styles.value}>{value || t.none}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className={styles.section} aria-labelledby="client-contacts">
        <Text as="h2" size={400} weight="semibold" id="client-contacts">
          {t.contacts}
        </Text>
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
              </TableRow>
            </TableHeader>
            <TableBody>
              {client.contacts.map((contact) => {
                const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
                return (
                  <TableRow key={contact.id}>
                    <TableCell>
                      {/* Read-only for now: the primary contact is changed from the bot's card. */}
                      <Checkbox checked={contact.primary} disabled aria-label={format(t.primaryCheckbox, { name })} />
                    </TableCell>
                    <TableCell>{name}</TableCell>
                    <TableCell>{contact.email}</TableCell>
                    <TableCell>{contact.scope}</TableCell>
                    <TableCell>
                      <GuestState guest={contact.guest} language={language} />
                    </TableCell>
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
                  {language.texts.actions[entry.action] ?? entry.action}
                  {entry.contactId && contactNames.get(entry.contactId) ? ` — ${contactNames.get(entry.contactId)}` : ''}
                </Text>
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
