import {
  Badge, Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, MessageBar, MessageBarBody, Switch,
  Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError, type OfferEditBody, type PortfolioApi, type SettingsOfferView, type SettingsView } from '../api';
import { format, useLanguage } from '../i18n';
import { useSettingsPageStyles } from './SettingsPage.styles';

type StatusChange = { offer: SettingsOfferView; status: 'retired' | 'proposed' | 'removed' };

function draftOf(offer: SettingsOfferView | null): OfferEditBody {
  return {
    name: offer?.name ?? '',
    description: offer?.description ?? '',
    priceNote: offer?.priceNote ?? '',
    paid: offer?.paid ?? false,
    steps: offer?.steps ?? [],
    clientLink: offer?.clientLink ?? '',
    clientNextStep: offer?.clientNextStep ?? '',
  };
}

/** The offer catalogue of the Paramètres page: add, edit, retire, propose again, delete an unused offer. */
export function OfferCatalogue({ api, settings, onChanged, onStale }: { api: PortfolioApi; settings: SettingsView; onChanged(next: SettingsView, text: string): void; onStale(): void }) {
  const styles = useSettingsPageStyles();
  const t = useLanguage().texts.settings;
  // null: closed; 'new': a new offer; else the offer edited.
  const [editing, setEditing] = useState<SettingsOfferView | 'new' | null>(null);
  const [draft, setDraft] = useState<OfferEditBody>(draftOf(null));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [change, setChange] = useState<StatusChange | null>(null);
  const [busy, setBusy] = useState(false);

  const open = (offer: SettingsOfferView | 'new') => {
    setEditing(offer);
    setDraft(draftOf(offer === 'new' ? null : offer));
    setProblems({});
    setError(null);
  };
  const failed = (failure: unknown) => {
    if (failure instanceof ApiError && failure.status === 409) {
      setEditing(null);
      setChange(null);
      onStale();
      return;
    }
    const byField: Record<string, string> = {};
    for (const problem of failure instanceof ApiError ? failure.problems : []) if (problem.field) byField[problem.field] = problem.message;
    setProblems(byField);
    setError((failure as Error).message);
  };
  const saveOffer = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.saveOffer(editing === 'new' || !editing ? null : editing.id, settings.version, draft);
      setEditing(null);
      onChanged(next, format(t.offerSaved, { name: draft.name.trim() }));
    } catch (failure) {
      failed(failure);
    } finally {
      setBusy(false);
    }
  };
  const applyChange = async () => {
    if (!change) return;
    setBusy(true);
    setError(null);
    try {
      const next = await api.setOfferStatus(change.offer.id, settings.version, change.status);
      setChange(null);
      onChanged(next, format(t.statusDone[change.status], { name: change.offer.name }));
    } catch (failure) {
      failed(failure);
    } finally {
      setBusy(false);
    }
  };
  const message = (field: string) => (problems[`offer.${field}`] ? { validationState: 'error' as const, validationMessage: problems[`offer.${field}`] } : {});
  const set = <K extends keyof OfferEditBody>(key: K, value: OfferEditBody[K]) => setDraft((current) => ({ ...current, [key]: value }));

  return (
    <fieldset className={styles.section} aria-label={t.offersSection}>
      <legend className={styles.legend}>
        <Text size={400} weight="semibold">{t.offersSection}</Text>
      </legend>
      <Text className={styles.subtle}>{t.offersHint}</Text>
      {error && !editing && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <Table aria-label={t.offersSection} size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t.offerColumns.name}</TableHeaderCell>
            <TableHeaderCell>{t.offerColumns.price}</TableHeaderCell>
            <TableHeaderCell>{t.offerColumns.status}</TableHeaderCell>
            <TableHeaderCell>{t.offerColumns.actions}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {settings.offers.map((offer) => (
            <TableRow key={offer.id}>
              <TableCell>
                <Text weight="semibold">{offer.name}</Text>
                {offer.description && <Text as="p" size={200} className={styles.subtle}>{offer.description}</Text>}
              </TableCell>
              <TableCell>{[offer.paid ? t.paid : t.free, offer.priceNote].filter(Boolean).join(' – ')}</TableCell>
              <TableCell>
                <Badge appearance="tint" color={offer.retired ? 'warning' : 'success'}>{offer.retired ? t.retired : t.proposed}</Badge>
                {offer.inUse && <Text size={200} className={styles.subtle}> {t.inUse}</Text>}
              </TableCell>
              <TableCell>
                <div className={styles.row}>
                  <Button size="small" onClick={() => open(offer)}>{t.editOffer}</Button>
                  {offer.retired ? (
                    <Button size="small" onClick={() => setChange({ offer, status: 'proposed' })}>{t.reinstateOffer}</Button>
                  ) : (
                    <Button size="small" onClick={() => setChange({ offer, status: 'retired' })}>{t.retireOffer}</Button>
                  )}
                  {!offer.inUse && <Button size="small" appearance="subtle" onClick={() => setChange({ offer, status: 'removed' })}>{t.removeOffer}</Button>}
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <div className={styles.actions}>
        <Button appearance="primary" onClick={() => open('new')}>{t.addOffer}</Button>
      </div>

      <Dialog open={editing !== null} onOpenChange={(_event, data) => !data.open && setEditing(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{editing === 'new' || !editing ? t.offerDialogNew : format(t.offerDialogEdit, { name: editing.name })}</DialogTitle>
            <DialogContent className={styles.page}>
              {error && (
                <MessageBar intent="error">
                  <MessageBarBody>{error}</MessageBarBody>
                </MessageBar>
              )}
              <Field label={t.offerName} required {...message('name')}>
                <Input value={draft.name} onChange={(_event, data) => set('name', data.value)} />
              </Field>
              <Field label={t.offerDescription} {...message('description')}>
                <Textarea value={draft.description} onChange={(_event, data) => set('description', data.value)} rows={3} />
              </Field>
              <Switch checked={draft.paid} label={t.offerPaid} onChange={(_event, data) => set('paid', data.checked)} />
              <Field label={t.offerPriceNote} {...message('priceNote')}>
                <Input value={draft.priceNote} placeholder={t.offerPriceNotePlaceholder} onChange={(_event, data) => set('priceNote', data.value)} />
              </Field>
              <Field label={t.offerSteps} {...message('steps')}>
                {settings.startSteps.map((step) => (
                  <Checkbox
                    key={step.id}
                    label={step.label}
                    checked={draft.steps.includes(step.id)}
                    onChange={(_event, data) => set('steps', data.checked ? [...draft.steps, step.id] : draft.steps.filter((id) => id !== step.id))}
                  />
                ))}
              </Field>
              <Field label={t.clientLink} hint={t.clientLinkHint} {...message('clientLink')}>
                <Input type="url" value={draft.clientLink} placeholder="https://" onChange={(_event, data) => set('clientLink', data.value)} />
              </Field>
              <Field label={t.clientNextStep} hint={t.clientNextStepHint} {...message('clientNextStep')}>
                <Textarea value={draft.clientNextStep} onChange={(_event, data) => set('clientNextStep', data.value)} rows={2} />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={busy} onClick={() => void saveOffer()}>{busy ? t.saving : t.save}</Button>
              <Button appearance="secondary" disabled={busy} onClick={() => setEditing(null)}>{t.cancel}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>

      <Dialog open={change !== null} onOpenChange={(_event, data) => !data.open && setChange(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t.confirmTitle}</DialogTitle>
            <DialogContent>
              {change ? format({ retired: t.retireConfirm, proposed: t.reinstateConfirm, removed: t.removeConfirm }[change.status], { name: change.offer.name }) : ''}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={busy} onClick={() => void applyChange()}>{t.confirm}</Button>
              <Button appearance="secondary" disabled={busy} onClick={() => setChange(null)}>{t.cancel}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </fieldset>
  );
}
