import { Button, Field, MessageBar, MessageBarActions, MessageBarBody, ProgressBar, Text } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { JobView, PortfolioApi } from '../api';
import { format, useLanguage } from '../i18n';
import { useBulkInvitationsStyles } from './BulkInvitations.styles';

/** The job being followed is kept in the browser: a reload of the tab shows the same progress. */
const storageKey = 'passerelle.bulkInvitationJob';

export interface BulkInvitationsProps {
  api: PortfolioApi;
  selected: string[];
  onClear(): void;
  onFinished(): void;
}

/** Acts on the selected client files: invites their contacts as one job and follows it until it ends. */
export function BulkInvitations({ api, selected, onClear, onFinished }: BulkInvitationsProps) {
  const styles = useBulkInvitationsStyles();
  const { texts: t } = useLanguage();
  const [jobId, setJobId] = useState<string | null>(() => localStorage.getItem(storageKey));
  const [job, setJob] = useState<JobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  // Read through a ref: the poll must not restart each time the parent renders a new callback.
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const next = await api.job(jobId, controller.signal);
        if (stopped) return;
        setJob(next);
        if (next.status === 'finished') {
          finished.current();
          return;
        }
      } catch (failure) {
        if (stopped) return;
        // A job that no longer exists (or belongs to nobody here) is forgotten.
        localStorage.removeItem(storageKey);
        setJobId(null);
        setError((failure as Error).message);
        return;
      }
      timer = setTimeout(poll, 1_000);
    };
    let timer = setTimeout(poll, 0);
    return () => {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, jobId]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const started = await api.inviteClientFiles(selected, crypto.randomUUID());
      localStorage.setItem(storageKey, started.id);
      setJob(started);
      setJobId(started.id);
      onClear();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setStarting(false);
    }
  };

  const dismiss = () => {
    localStorage.removeItem(storageKey);
    setJobId(null);
    setJob(null);
  };

  const processed = job ? job.done + job.failed + job.skipped : 0;
  return (
    <>
      {selected.length > 0 && (
        <div className={styles.bar} role="region" aria-label={t.inviteSelected}>
          <Text weight="semibold">{format(t.selectedCount, { count: selected.length })}</Text>
          <Button appearance="primary" onClick={start} disabled={starting}>
            {t.inviteSelected}
          </Button>
          <Button onClick={onClear}>{t.clearSelection}</Button>
        </div>
      )}
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{format(t.jobError, { message: error })}</MessageBarBody>
        </MessageBar>
      )}
      {job && (
        <MessageBar intent={job.status === 'finished' ? (job.failed > 0 ? 'warning' : 'success') : 'info'} data-testid="bulk-job">
          <MessageBarBody>
            {job.total === 0
              ? t.jobNone
              : job.status === 'finished'
                ? format(t.jobFinished, { done: job.done, skipped: job.skipped, failed: job.failed, total: job.total })
                : format(t.jobRunning, { processed, total: job.total, done: job.done, skipped: job.skipped, failed: job.failed })}
            {job.status !== 'finished' && job.total > 0 && (
              <Field className={styles.progress} validationMessage="" validationState="none">
                <ProgressBar value={processed / job.total} />
              </Field>
            )}
          </MessageBarBody>
          {job.status === 'finished' && (
            <MessageBarActions>
              <Button onClick={dismiss}>{t.jobDismiss}</Button>
            </MessageBarActions>
          )}
        </MessageBar>
      )}
    </>
  );
}
