import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, Field, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ImportPreview, ImportResult, PortfolioApi } from '../api';
import { format, useLanguage } from '../i18n';
import { useImportDialogStyles } from './ImportDialog.styles';

function toBase64(buffer: ArrayBuffer): string {
  let binary = '';
  const bytes = new Uint8Array(buffer);
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

/** Choose a CSV, read its preview (each line's errors), then import the valid lines. */
export function ImportDialog({ api, onImported }: { api: PortfolioApi; onImported(): void }) {
  const styles = useImportDialogStyles();
  const { texts: t } = useLanguage();
  const [content, setContent] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setContent(null);
    setPreview(null);
    setResult(null);
    setError(null);
  };

  const choose = async (file: File | undefined) => {
    reset();
    if (!file) return;
    setBusy(true);
    try {
      const encoded = toBase64(await file.arrayBuffer());
      setContent(encoded);
      setPreview(await api.previewImport(encoded));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const run = async () => {
    if (!content) return;
    setBusy(true);
    try {
      setResult(await api.runImport(content));
      onImported();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog onOpenChange={(_event, data) => !data.open && reset()}>
      <DialogTrigger disableButtonEnhancement>
        <Button>{t.importCsv}</Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t.importTitle}</DialogTitle>
          <DialogContent className={styles.body}>
            <Text className={styles.help}>{t.importHelp}</Text>
            <Field label={t.importChoose}>
              <input type="file" accept=".csv,text/csv" onChange={(event) => void choose(event.target.files?.[0])} disabled={busy} />
            </Field>
            {error && (
              <MessageBar intent="error">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
            {preview && !result && (
              <>
                <Text weight="semibold" role="status">
                  {format(t.importSummary, { lines: preview.lines, valid: preview.valid, invalid: preview.invalid })}
                </Text>
                {preview.errors.length > 0 && (
                  <ul className={styles.errors}>
                    {preview.errors.map((line) => (
                      <li key={line.line}>
                        {format(t.importLine, { line: line.line })} : {line.problems.map((problem) => `${problem.column} — ${problem.message}`).join(' ; ')}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
            {result && (
              <MessageBar intent="success">
                <MessageBarBody role="status">{format(t.importDone, { filesCreated: result.filesCreated, filesUpdated: result.filesUpdated, filesUnchanged: result.filesUnchanged, contactsCreated: result.contactsCreated, contactsUpdated: result.contactsUpdated })}</MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions>
            {preview && !result && preview.valid > 0 && (
              <Button appearance="primary" onClick={run} disabled={busy}>
                {format(t.importRun, { valid: preview.valid })}
              </Button>
            )}
            <DialogTrigger disableButtonEnhancement>
              <Button>{t.importClose}</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
