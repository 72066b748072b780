import { Button, Dropdown, Field, Input, Link, MessageBar, MessageBarBody, Option, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { supportCategoryIds, supportQueueStates, type PortfolioApi, type SupportDetailView, type SupportItemView, type SupportMoveName, type SupportQuery } from '../api';
import { format, formatDate, useLanguage } from '../i18n';
import { useSupportQueueStyles } from './SupportQueue.styles';

type Loaded = { status: 'loading' } | { status: 'ready'; items: SupportItemView[]; total: number; counts: Record<string, number> } | { status: 'error'; message: string };

/**
 * The « Assistance » page for holders of « Assistance – modification »: the firm's queue (within their
 * services) by state, category and keyword or number, a request's detail and timeline, the support's
 * moves from there, and the view's export for Excel. The API decides everything; the page shows it.
 */
export function SupportQueue({ api }: { api: PortfolioApi }) {
  const styles = useSupportQueueStyles();
  const language = useLanguage();
  const t = language.texts.support;
  const [draft, setDraft] = useState<SupportQuery>({ state: 'inProgress', category: '', search: '', clientFile: '', page: 1 });
  const [query, setQuery] = useState<SupportQuery>(draft);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [reloads, setReloads] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ status: 'loading' });
    api.supportQueue(query, controller.signal).then(
      (answer) => setLoaded({ status: 'ready', items: answer.items, total: answer.total, counts: answer.counts }),
      (failure: unknown) => !controller.signal.aborted && setLoaded({ status: 'error', message: (failure as Error).message }),
    );
    return () => controller.abort();
  }, [api, query, reloads]);

  const exportCsv = useCallback(async () => {
    setError(null);
    try {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await api.supportCsv(query));
      link.download = language.locale === 'fr-FR' ? 'assistance-passerelle.csv' : 'passerelle-support.csv';
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [api, query, language.locale]);

  return (
    <section className={styles.root} aria-labelledby="support-title">
      <Text as="h2" size={500} weight="semibold" id="support-title">
        {t.title}
      </Text>
      <form
        className={styles.filters}
        onSubmit={(event) => {
          event.preventDefault();
          setQuery({ ...draft, page: 1 });
        }}
      >
        <Field label={t.state}>
          <Dropdown value={draft.state ? t.states[draft.state] : t.all} selectedOptions={[draft.state]} onOptionSelect={(_event, data) => setDraft((current) => ({ ...current, state: (data.optionValue ?? '') as SupportQuery['state'] }))}>
            <Option value="">{t.all}</Option>
            {supportQueueStates.map((state) => (
              <Option key={state} value={state}>
                {`${t.states[state]} (${loaded.status === 'ready' ? (loaded.counts[state] ?? 0) : '…'})`}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label={t.category}>
          <Dropdown value={draft.category ? t.categories[draft.category] : t.all} selectedOptions={[draft.category]} onOptionSelect={(_event, data) => setDraft((current) => ({ ...current, category: (data.optionValue ?? '') as SupportQuery['category'] }))}>
            <Option value="">{t.all}</Option>
            {supportCategoryIds.map((category) => (
              <Option key={category} value={category}>
                {t.categories[category]}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label={t.clientFile}>
          <Input value={draft.clientFile} maxLength={40} onChange={(_event, data) => setDraft((current) => ({ ...current, clientFile: data.value }))} />
        </Field>
        <Field label={t.search}>
          <Input value={draft.search} maxLength={100} onChange={(_event, data) => setDraft((current) => ({ ...current, search: data.value }))} />
        </Field>
        <Button type="submit" appearance="primary">
          {t.show}
        </Button>
        <Button onClick={exportCsv}>{t.export}</Button>
      </form>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {loaded.status === 'loading' && <Spinner label={language.texts.loading} />}
      {loaded.status === 'error' && (
        <MessageBar intent="error">
          <MessageBarBody>{loaded.message}</MessageBarBody>
        </MessageBar>
      )}
      {loaded.status === 'ready' && (
        <>
          <Text role="status" className={styles.counts}>
            {format(t.total, { total: loaded.total })}
          </Text>
          {loaded.items.length === 0 ? (
            <Text>{t.empty}</Text>
          ) : (
            <Table aria-label={t.title} size="small">
              <TableHeader>
                <TableRow>
                  {(['number', 'subject', 'category', 'state', 'clientFile', 'requester', 'assignee', 'updatedAt'] as const).map((column) => (
                    <TableHeaderCell key={column}>{t.columns[column]}</TableHeaderCell>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {loaded.items.map((item) => (
                  <TableRow key={item.id}>
                    <TableCell>{item.number}</TableCell>
                    <TableCell>
                      <Link onClick={() => setOpenId(item.id)} aria-label={format(t.open, { number: item.number })}>
                        {item.subject}
                      </Link>
                    </TableCell>
                    <TableCell>{item.categoryLabel}</TableCell>
                    <TableCell>{item.stateLabel}</TableCell>
                    <TableCell>{item.clientFile ?? ''}</TableCell>
                    <TableCell>{item.requester.name}</TableCell>
                    <TableCell>{item.assignee ?? ''}</TableCell>
                    <TableCell>
                      <time dateTime={item.updatedAt}>{formatDate(item.updatedAt, language, true)}</time>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <div className={styles.pager}>
            <Button disabled={query.page <= 1} onClick={() => setQuery((current) => ({ ...current, page: current.page - 1 }))}>
              {t.previous}
            </Button>
            <Button disabled={query.page * 25 >= loaded.total} onClick={() => setQuery((current) => ({ ...current, page: current.page + 1 }))}>
              {t.next}
            </Button>
          </div>
        </>
      )}
      {openId && <SupportDetail api={api} id={openId} onClose={() => setOpenId(null)} onChanged={() => setReloads((count) => count + 1)} />}
    </section>
  );
}

function SupportDetail({ api, id, onClose, onChanged }: { api: PortfolioApi; id: string; onClose: () => void; onChanged: () => void }) {
  const styles = useSupportQueueStyles();
  const language = useLanguage();
  const t = language.texts.support;
  const [detail, setDetail] = useState<SupportDetailView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [move, setMove] = useState<SupportMoveName>('answer');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setDetail(null);
    api.supportRequest(id, controller.signal).then(setDetail, (failure: unknown) => !controller.signal.aborted && setError((failure as Error).message));
    return () => controller.abort();
  }, [api, id]);

  const act = async (chosen: SupportMoveName) => {
    if (!detail) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await api.supportMove(detail.id, { move: chosen, expectedVersion: detail.version, ...(chosen === 'take' ? {} : { text }) });
      setDetail(updated);
      setText('');
      onChanged();
    } catch (failure) {
      setError((failure as Error).message);
      // Someone acted meanwhile: show the request as it is now.
      api.supportRequest(id).then(setDetail, () => undefined);
    } finally {
      setBusy(false);
    }
  };

  if (!detail) return error ? <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar> : <Spinner label={language.texts.loading} />;
  const textMoves = (['answer', 'askInformation', 'proposeSolution'] as const).filter((candidate) => detail.moves.includes(candidate));
  return (
    <section className={styles.detail} aria-labelledby="support-detail-title">
      <Text as="h3" size={400} weight="semibold" id="support-detail-title">
        {format(t.detailTitle, { number: detail.number, subject: detail.subject })}
      </Text>
      <Text className={styles.meta}>{[detail.stateLabel, detail.categoryLabel, detail.clientFile, detail.requester.name, detail.assignee].filter(Boolean).join(' · ')}</Text>
      <Text weight="semibold">{t.description}</Text>
      <Text>{detail.description}</Text>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.answer}>
        {detail.moves.includes('take') && (
          <Button disabled={busy} onClick={() => act('take')}>
            {t.moves.take}
          </Button>
        )}
        {textMoves.length > 0 && (
          <>
            <Field label={t.moves[move]}>
              <Dropdown value={t.moves[move]} selectedOptions={[move]} onOptionSelect={(_event, data) => setMove((data.optionValue ?? 'answer') as SupportMoveName)}>
                {textMoves.map((candidate) => (
                  <Option key={candidate} value={candidate}>
                    {t.moves[candidate]}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <Field label={t.text} className={styles.text}>
              <Textarea value={text} maxLength={5000} onChange={(_event, data) => setText(data.value)} />
            </Field>
            <Button appearance="primary" disabled={busy || !textMoves.includes(move as (typeof textMoves)[number])} onClick={() => act(move)}>
              {t.send}
            </Button>
          </>
        )}
        <Button onClick={onClose}>{t.close}</Button>
      </div>
      <Text weight="semibold">{t.timeline}</Text>
      {detail.timeline.map((entry, index) => (
        <div key={`${entry.at}-${index}`} className={styles.entry}>
          <Text className={styles.meta}>
            <time dateTime={entry.at}>{formatDate(entry.at, language, true)}</time> · {entry.by} · {entry.label}
          </Text>
          {entry.text && <Text>{entry.text}</Text>}
          {entry.attachments.map((file) => (
            <Link key={file.url} href={file.url} target="_blank" rel="noreferrer">
              {file.name}
            </Link>
          ))}
        </div>
      ))}
    </section>
  );
}
