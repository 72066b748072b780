import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, Field, MessageBar, MessageBarBody, ProgressBar, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ImportJobView, ImportPreview, PortfolioApi } from '../api';
import { format, useLanguage } from '../i18n';
import { useFollowedJob } from '../useFollowedJob';
import { useImportDialogStyles } from './ImportDialog.styles';

/** The running import, so its progress is found again after a reload (like bulk invitations). */
const storageKey = 'passerelle.importJob';

function toBase64(buffer: ArrayBuffer): string {
  let binary = '';
  const bytes = new Uint8Array(buffer);
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

type LineErrors = ImportPreview['errors'];

function LineErrorList({ errors, className }: { errors: LineErrors; className: string }) {
  const { texts: t } = useLanguage();
  return (
    <ul className={className}>
      {errors.map((line) => (
        <li key={line.line}>
          {format(t.importLine, { line: line.line })} : {line.problems.map((problem) => `${problem.column} — ${problem.message}`).join(' ; ')}
        </li>
      ))}
    </ul>
  );
}

/**
 * Choose a CSV, read the whole file's preview (each line's errors), then import the valid lines as a
 * job: a progress bar while it runs (found again after a reload), then its report to download.
 */
export function ImportDialog({ api, onImported }: { api: PortfolioApi; onImported(): void }) {
  const styles = useImportDialogStyles();
  const { texts: t } = useLanguage();
  const [open, setOpen] = useState(() => Boolean(localStorage.getItem(storageKey)));
  const [file, setFile] = useState<{ content: string; name: string } | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const { jobId, job, error, setError, follow, forget } = useFollowedJob<ImportJobView>(storageKey, (id, signal) => api.importJob(id, signal), onImported);

  const reset = () => {
    setFile(null);
    setPreview(null);
    setError(null);
    // A finished import is done with; a running one is followed again when the dialog reopens.
    if (job?.status === 'finished') forget();
  };

  const choose = async (chosen: File | undefined) => {
    reset();
    if (!chosen) return;
    setBusy(true);
    try {
      const content = toBase64(await chosen.arrayBuffer());
      setFile({ content, name: chosen.name });
      setPreview(await api.previewImport(content, chosen.name));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const run = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const started = await api.startImport(file.content, file.name, crypto.randomUUID());
      follow(started);
      setPreview(null);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const downloadReport = async () => {
    if (!job) return;
    try {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await api.importReportCsv(job.id));
      link.download = t.importReportFile;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  const running = Boolean(jobId) && job?.status !== 'finished';
  const report = job?.status === 'finished' ? job.report : undefined;
  return (
    <Dialog
      open={open}
      onOpenChange={(_event, data) => {
        setOpen(data.open);
        if (!data.open) reset();
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button>{t.importCsv}</Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t.importTitle}</DialogTitle>
          <DialogContent className={styles.body}>
            <Text className={styles.help}>{t.importHelp}</Text>
            {!jobId && (
              <Field label={t.importChoose}>
                <input type="file" accept=".csv,text/csv" onChange={(event) => void choose(event.target.files?.[0])} disabled={busy} />
              </Field>
            )}
            {error && (
              <MessageBar intent="error">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
            {preview && !jobId && (
              <>
                <Text weight="semibold" role="status">
                  {format(t.importSummary, { lines: preview.lines, valid: preview.valid, invalid: preview.invalid })}
                </Text>
                {preview.errors.length > 0 && <LineErrorList errors={preview.errors} className={styles.errors} />}
              </>
            )}
            {running && job && (
              <Field validationMessage={format(t.importProgress, { percent: Math.floor((100 * job.progress.processed) / Math.max(1, job.progress.total)), lines: job.lines })} validationState="none">
                <ProgressBar value={job.progress.processed / Math.max(1, job.progress.total)} />
              </Field>
            )}
            {report && job && (
              <>
                <MessageBar intent={job.progress.failed > 0 ? 'warning' : 'success'}>
                  <MessageBarBody role="status">
                    {format(t.importDone, { filesCreated: report.filesCreated, filesUpdated: report.filesUpdated, filesUnchanged: report.filesUnchanged, contactsCreated: report.contactsCreated, contactsUpdated: report.contactsUpdated })}
                    {job.progress.failed > 0 && ` ${t.importFailedBatches}`}
                  </MessageBarBody>
                </MessageBar>
                {job.refused > 0 && (
                  <>
                    <Text weight="semibold">{format(t.importRefused, { refused: job.refused })}</Text>
                    <LineErrorList errors={job.refusedLines} className={styles.errors} />
                  </>
                )}
              </>
            )}
          </DialogContent>
          <DialogActions>
            {preview && !jobId && preview.valid > 0 && (
              <Button appearance="primary" onClick={run} disabled={busy}>
                {format(t.importRun, { valid: preview.valid })}
              </Button>
            )}
            {report && <Button onClick={downloadReport}>{t.importReportDownload}</Button>}
            <DialogTrigger disableButtonEnhancement>
              <Button>{t.importClose}</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
