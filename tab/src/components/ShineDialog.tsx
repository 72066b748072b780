import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  Textarea,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { ApiError, type PortfolioApi, type ShineActivated, type ShineActivation, type ShineBillingMode, type ShinePlan, type ShineView } from '../api';
import { format, useLanguage } from '../i18n';
import { useShineDialogStyles } from './ShineDialog.styles';

export interface ShineTarget {
  id: string;
  companyName: string;
  /** The column « + Ajouter » was clicked in: ticked to begin with. */
  use: 'purchases' | 'sales';
}

type Loaded = { status: 'loading' } | { status: 'ready'; view: ShineView } | { status: 'error'; message: string };

/**
 * Shine for one client, as in the firm's console (seed 002): choose purchases and/or sales, the
 * billing mode and the plan, check the account address and the e-mail, then « Activer ». The e-mail
 * leaves from the firm's mailbox when one is configured, otherwise « J'envoie » opens it in the
 * user's mail app.
 */
export function ShineDialog({ api, target, onClose, onActivated }: { api: PortfolioApi; target: ShineTarget | null; onClose(): void; onActivated(): void }) {
  const styles = useShineDialogStyles();
  const { texts } = useLanguage();
  const t = texts.shine;
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [form, setForm] = useState<ShineActivation | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [activated, setActivated] = useState<ShineActivated | null>(null);

  useEffect(() => {
    if (!target) return;
    const controller = new AbortController();
    setLoaded({ status: 'loading' });
    setForm(null);
    setProblems({});
    setError(null);
    setActivated(null);
    api.shine(target.id, controller.signal).then(
      (view) => {
        setLoaded({ status: 'ready', view });
        if (view.preparation) {
          const { proposedEmail, emailSubject, emailBody, defaults } = view.preparation;
          // The column clicked says which flow; billing and plan start from the firm's defaults (Paramètres).
          setForm({ purchases: target.use === 'purchases', sales: target.use === 'sales', billingMode: defaults?.billingMode ?? 'shineBillsClient', plan: defaults?.plan ?? 'start', accountEmail: proposedEmail, emailSubject, emailBody });
        }
      },
      (failure: unknown) => !controller.signal.aborted && setLoaded({ status: 'error', message: (failure as Error).message }),
    );
    return () => controller.abort();
  }, [api, target]);

  const update = (change: Partial<ShineActivation>) => setForm((current) => (current ? { ...current, ...change } : current));

  const activate = async () => {
    if (!target || !form) return;
    setSaving(true);
    setError(null);
    setProblems({});
    try {
      setActivated(await api.activateShine(target.id, form));
      onActivated();
    } catch (failure) {
      if (failure instanceof ApiError && failure.problems.length > 0) {
        setProblems(Object.fromEntries(failure.problems.filter((problem) => problem.field).map((problem) => [problem.field!, problem.message])));
      }
      setError((failure as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const view = loaded.status === 'ready' ? loaded.view : undefined;
  const primary = view?.preparation?.primary;
  const mailto = form && primary ? `mailto:${encodeURIComponent(primary.email)}?subject=${encodeURIComponent(form.emailSubject)}&body=${encodeURIComponent(form.emailBody)}` : undefined;

  return (
    <Dialog open={target !== null} onOpenChange={(_event, data) => !data.open && onClose()}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>{format(t.title, { name: target?.companyName ?? '' })}</DialogTitle>
          <DialogContent className={styles.content}>
            {loaded.status === 'loading' && <Spinner label={texts.loading} />}
            {loaded.status === 'error' && (
              <MessageBar intent="error">
                <MessageBarBody>{loaded.message}</MessageBarBody>
              </MessageBar>
            )}
            {view?.refusal && (
              <MessageBar intent="warning">
                <MessageBarBody>{view.refusal.message}</MessageBarBody>
              </MessageBar>
            )}
            {view?.setup && !activated && (
              <MessageBar intent="info">
                <MessageBarBody>
                  {format(t.alreadyActive, { plan: t.plans[view.setup.plan], email: view.setup.accountEmail, by: view.setup.activatedBy })}
                </MessageBarBody>
              </MessageBar>
            )}
            {activated && (
              <MessageBar intent={activated.emailFailed ? 'warning' : 'success'}>
                <MessageBarBody>
                  {activated.emailSent ? format(t.activatedSent, { email: primary?.email ?? '' }) : activated.emailFailed ? t.activatedMailFailed : t.activatedManual}{' '}
                  {!activated.emailSent && mailto && (
                    <Link href={mailto} target="_blank">
                      {t.sendYourself}
                    </Link>
                  )}
                </MessageBarBody>
              </MessageBar>
            )}
            {form && !activated && (
              <form className={styles.form} onSubmit={(event) => event.preventDefault()}>
                {/* Not a Field: a Field gives its one id to every control inside, and two checkboxes must keep their own. */}
                <div role="group" aria-labelledby="shine-uses" aria-describedby="shine-uses-hint" className={styles.group}>
                  <Text id="shine-uses" weight="semibold">
                    {t.uses}
                  </Text>
                  <div className={styles.row}>
                    <Checkbox label={t.purchases} checked={form.purchases} onChange={(_event, data) => update({ purchases: data.checked === true })} />
                    <Checkbox label={t.sales} checked={form.sales} onChange={(_event, data) => update({ sales: data.checked === true })} />
                  </div>
                  <Text id="shine-uses-hint" size={200} className={problems.purchases ? styles.error : styles.hint}>
                    {problems.purchases ?? t.usesHint}
                  </Text>
                </div>
                <Field label={t.billingMode} hint={t.billingModeHint}>
                  <RadioGroup layout="horizontal" value={form.billingMode} onChange={(_event, data) => update({ billingMode: data.value as ShineBillingMode })}>
                    <Radio value="shineBillsClient" label={t.billingModes.shineBillsClient} />
                    <Radio value="firmRebills" label={t.billingModes.firmRebills} />
                  </RadioGroup>
                </Field>
                <Field label={t.plan}>
                  <RadioGroup layout="horizontal" value={form.plan} onChange={(_event, data) => update({ plan: data.value as ShinePlan })}>
                    {(['easy', 'start', 'plus'] as const).map((plan) => (
                      <Radio key={plan} value={plan} label={t.plans[plan]} />
                    ))}
                  </RadioGroup>
                </Field>
                <Field label={t.accountEmail} validationMessage={problems.accountEmail} hint={view?.preparation?.aliasNeeded ? t.aliasHint : undefined}>
                  <Input value={form.accountEmail} onChange={(_event, data) => update({ accountEmail: data.value })} type="email" />
                </Field>
                <Field label={t.emailSubject} validationMessage={problems.emailSubject}>
                  <Input value={form.emailSubject} onChange={(_event, data) => update({ emailSubject: data.value })} />
                </Field>
                <Field label={format(t.emailBody, { email: primary?.email ?? '' })} hint={view?.mailerConfigured ? t.sentFromFirm : t.sentByYou}>
                  <Textarea value={form.emailBody} rows={8} resize="vertical" onChange={(_event, data) => update({ emailBody: data.value })} />
                </Field>
                {error && Object.keys(problems).length === 0 && (
                  <MessageBar intent="error">
                    <MessageBarBody>{error}</MessageBarBody>
                  </MessageBar>
                )}
              </form>
            )}
          </DialogContent>
          <DialogActions>
            {form && !activated && (
              <Button appearance="primary" onClick={activate} disabled={saving}>
                {saving ? t.activating : t.activate}
              </Button>
            )}
            <Button onClick={onClose}>{activated || !form ? texts.jobDismiss : texts.cancel}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
