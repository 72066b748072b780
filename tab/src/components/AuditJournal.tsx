import { Button, Field, Input, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { AuditRange, AuditRow, PortfolioApi } from '../api';
import { formatDate, useLanguage } from '../i18n';
import { useAuditJournalStyles } from './AuditJournal.styles';

type Loaded = { status: 'loading' } | { status: 'ready'; entries: AuditRow[] } | { status: 'error'; message: string };

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The audit log for staff with « Journal d'audit – consultation »: who did what, when, on which client
 * file and contact, between two days, newest first; exported for Excel. Search by file or contact
 * stays on the client's page (its history) and in Teams (« journal dossier <code> »).
 */
export function AuditJournal({ api }: { api: PortfolioApi }) {
  const styles = useAuditJournalStyles();
  const language = useLanguage();
  const t = language.texts.journal;
  const [draft, setDraft] = useState<AuditRange>(() => ({ from: isoDay(new Date(Date.now() - 7 * 86_400_000)), to: isoDay(new Date()) }));
  const [range, setRange] = useState<AuditRange>(draft);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [exportError, setExportError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ status: 'loading' });
    api.audit(range, controller.signal).then(
      (answer) => setLoaded({ status: 'ready', entries: answer.entries }),
      (failure: unknown) => !controller.signal.aborted && setLoaded({ status: 'error', message: (failure as Error).message }),
    );
    return () => controller.abort();
  }, [api, range]);

  const exportCsv = useCallback(async () => {
    setExportError(null);
    try {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await api.auditCsv(range));
      link.download = 'journal-passerelle.csv';
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (failure) {
      setExportError((failure as Error).message);
    }
  }, [api, range]);

  return (
    <section className={styles.root} aria-labelledby="journal-title">
      <Text as="h2" size={500} weight="semibold" id="journal-title">
        {t.title}
      </Text>
      <form
        className={styles.filters}
        onSubmit={(event) => {
          event.preventDefault();
          setRange(draft);
        }}
      >
        <Field label={t.from}>
          <Input type="date" value={draft.from} onChange={(_event, data) => setDraft((current) => ({ ...current, from: data.value }))} />
        </Field>
        <Field label={t.to}>
          <Input type="date" value={draft.to} onChange={(_event, data) => setDraft((current) => ({ ...current, to: data.value }))} />
        </Field>
        <Button type="submit" appearance="primary">
          {t.show}
        </Button>
        <Button onClick={exportCsv}>{t.export}</Button>
      </form>
      {exportError && (
        <MessageBar intent="error">
          <MessageBarBody>{exportError}</MessageBarBody>
        </MessageBar>
      )}
      {loaded.status === 'loading' && <Spinner label={language.texts.loading} />}
      {loaded.status === 'error' && (
        <MessageBar intent="error">
          <MessageBarBody>{loaded.message}</MessageBarBody>
        </MessageBar>
      )}
      {loaded.status === 'ready' && loaded.entries.length === 0 && <Text role="status">{t.empty}</Text>}
      {loaded.status === 'ready' && loaded.entries.length > 0 && (
        <>
          <Text role="status" className={styles.count}>
            {loaded.entries.length >= 200 ? t.latest : ''}
          </Text>
          <Table aria-label={t.title} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t.columns.at}</TableHeaderCell>
                <TableHeaderCell>{t.columns.who}</TableHeaderCell>
                <TableHeaderCell>{t.columns.action}</TableHeaderCell>
                <TableHeaderCell>{t.columns.clientFile}</TableHeaderCell>
                <TableHeaderCell>{t.columns.contact}</TableHeaderCell>
                <TableHeaderCell>{t.columns.details}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {loaded.entries.map((entry, index) => (
                <TableRow key={`${entry.at}-${index}`}>
                  <TableCell>
                    <time dateTime={entry.at}>{formatDate(entry.at, language, true)}</time>
                  </TableCell>
                  <TableCell>{entry.who}</TableCell>
                  <TableCell>{entry.label}</TableCell>
                  <TableCell>{entry.clientFile}</TableCell>
                  <TableCell>{entry.contact}</TableCell>
                  <TableCell>{entry.details}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </section>
  );
}
