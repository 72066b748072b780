import { Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Spinner, Switch, Text } from '@fluentui/react-components';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError, type PortfolioApi, type SettingsEditBody, type SettingsView } from '../api';
import { format, formatDate, useLanguage } from '../i18n';
import { OfferCatalogue } from './OfferCatalogue';
import { useSettingsPageStyles } from './SettingsPage.styles';

type Section = 'name' | 'guest' | 'engagement' | 'support' | 'partners';
const fates = ['keep', 'removeFromTeam', 'block', 'delete'] as const;
const billingModes = ['shineBillsClient', 'firmRebills'] as const;
const plans = ['easy', 'start', 'plus'] as const;
const defaultChannel = '';

/** The form's values as typed (numbers too: the server checks them and says what is wrong). */
interface Draft {
  name: string;
  reminderAfterDays: string;
  maxReminders: string;
  allowSharedGuestTeams: boolean;
  guestFateAtEnd: string;
  reviewAfterDays: string;
  channelTeamId: string;
  firstAnswerWithinWorkingDays: string;
  autoCloseAfterDays: string;
  shinePurchases: boolean;
  shineSales: boolean;
  shineBillingMode: string;
  shinePlan: string;
}

function draftOf(settings: SettingsView): Draft {
  return {
    name: settings.name ?? settings.displayName ?? '',
    reminderAfterDays: String(settings.guestPolicy.reminderAfterDays),
    maxReminders: String(settings.guestPolicy.maxReminders),
    allowSharedGuestTeams: settings.guestPolicy.allowSharedGuestTeams,
    guestFateAtEnd: settings.engagementPolicy.guestFateAtEnd,
    reviewAfterDays: String(settings.engagementPolicy.reviewAfterDays),
    channelTeamId: settings.supportPolicy.channelTeamId ?? defaultChannel,
    firstAnswerWithinWorkingDays: String(settings.supportPolicy.firstAnswerWithinWorkingDays),
    autoCloseAfterDays: String(settings.supportPolicy.autoCloseAfterDays),
    shinePurchases: settings.partnerDefaults.shine.purchases,
    shineSales: settings.partnerDefaults.shine.sales,
    shineBillingMode: settings.partnerDefaults.shine.billingMode,
    shinePlan: settings.partnerDefaults.shine.plan,
  };
}

/** One section of the body: only what that section's « Enregistrer » saves. */
function bodyOf(section: Section, draft: Draft, expectedVersion: number): SettingsEditBody {
  switch (section) {
    case 'name':
      return { expectedVersion, name: draft.name };
    case 'guest':
      return { expectedVersion, guestPolicy: { reminderAfterDays: draft.reminderAfterDays, maxReminders: draft.maxReminders, allowSharedGuestTeams: draft.allowSharedGuestTeams } };
    case 'engagement':
      return { expectedVersion, engagementPolicy: { guestFateAtEnd: draft.guestFateAtEnd, reviewAfterDays: draft.reviewAfterDays } };
    case 'support':
      return { expectedVersion, supportPolicy: { channelTeamId: draft.channelTeamId || null, firstAnswerWithinWorkingDays: draft.firstAnswerWithinWorkingDays, autoCloseAfterDays: draft.autoCloseAfterDays } };
    case 'partners':
      return { expectedVersion, partnerDefaults: { shine: { purchases: draft.shinePurchases, sales: draft.shineSales, billingMode: draft.shineBillingMode, plan: draft.shinePlan } } };
  }
}

/** « Paramètres »: the firm's settings for administrators; every save is confirmed, then checked by the server. */
export function SettingsPage({ api, onCatalogueChanged }: { api: PortfolioApi; onCatalogueChanged(): void }) {
  const styles = useSettingsPageStyles();
  const language = useLanguage();
  const t = language.texts.settings;
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ intent: 'success' | 'warning' | 'error'; text: string } | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState<Section | null>(null);
  const [saving, setSaving] = useState(false);

  const show = useCallback((next: SettingsView) => {
    setSettings(next);
    setDraft(draftOf(next));
  }, []);
  const load = useCallback(
    (signal?: AbortSignal) => {
      setLoadError(null);
      api.settings(signal).then(show, (failure: Error) => {
        if (!signal?.aborted) setLoadError(failure.message);
      });
    },
    [api, show],
  );
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const sectionTitle: Record<Section, string> = { name: t.nameSection, guest: t.guestSection, engagement: t.engagementSection, support: t.supportSection, partners: t.partnersSection };

  const save = async (section: Section) => {
    if (!settings || !draft) return;
    setConfirming(null);
    setSaving(true);
    setProblems({});
    setNotice(null);
    try {
      const saved = await api.updateSettings(bodyOf(section, draft, settings.version));
      show(saved);
      setNotice({ intent: 'success', text: saved.version === settings.version ? t.unchanged : format(t.saved, { section: sectionTitle[section] }) });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        setNotice({ intent: 'warning', text: t.changedMeanwhile });
        load();
      } else {
        const byField: Record<string, string> = {};
        for (const problem of failure instanceof ApiError ? failure.problems : []) if (problem.field) byField[problem.field] = problem.message;
        setProblems(byField);
        setNotice({ intent: 'error', text: (failure as Error).message });
      }
    } finally {
      setSaving(false);
    }
  };

  if (loadError) {
    return (
      <MessageBar intent="error">
        <MessageBarBody>
          {loadError} <Button appearance="transparent" onClick={() => load()}>{t.retry}</Button>
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (!settings || !draft) return <Spinner label={t.loading} />;

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => (current ? { ...current, [key]: value } : current));
  const error = (field: string) => (problems[field] ? { validationState: 'error' as const, validationMessage: problems[field] } : {});
  const number = (key: keyof Draft, field: string, label: string) => (
    <Field label={label} {...error(field)}>
      <Input type="number" value={String(draft[key])} onChange={(_event, data) => set(key, data.value as never)} />
    </Field>
  );
  const section = (name: Section, children: ReactNode) => (
    <fieldset className={styles.section} aria-label={sectionTitle[name]}>
      <legend className={styles.legend}>
        <Text size={400} weight="semibold">{sectionTitle[name]}</Text>
      </legend>
      {children}
      <div className={styles.actions}>
        <Button appearance="primary" disabled={saving} onClick={() => setConfirming(name)}>
          {saving ? t.saving : t.save}
        </Button>
      </div>
    </fieldset>
  );
  const choice = (key: keyof Draft, field: string, label: string, options: readonly string[], names: Record<string, string>) => (
    <Field label={label} {...error(field)}>
      <Dropdown value={names[String(draft[key])] ?? String(draft[key])} selectedOptions={[String(draft[key])]} onOptionSelect={(_event, data) => set(key, (data.optionValue ?? '') as never)}>
        {options.map((option) => (
          <Option key={option} value={option}>
            {names[option] ?? option}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
  const teamNames: Record<string, string> = { [defaultChannel]: t.defaultChannel, ...Object.fromEntries(settings.teams.map((team) => [team.teamId, team.displayName])) };
  const authorised = settings.flowAppAuthorised;

  return (
    <div className={styles.page}>
      <div>
        <Text as="h2" size={500} weight="semibold">{t.title}</Text>
        <Text as="p" className={styles.subtle}>{t.intro}</Text>
      </div>
      {notice && (
        <MessageBar intent={notice.intent} role="status">
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      )}
      {section('name', (
        <Field label={t.nameLabel} hint={settings.displayName ? format(t.nameHint, { name: settings.displayName }) : undefined} {...error('name')}>
          <Input value={draft.name} onChange={(_event, data) => set('name', data.value)} />
        </Field>
      ))}
      <OfferCatalogue api={api} settings={settings} onChanged={(next, text) => { show(next); setNotice({ intent: 'success', text }); onCatalogueChanged(); }} onStale={() => { setNotice({ intent: 'warning', text: t.changedMeanwhile }); load(); }} />
      {section('guest', (
        <>
          <div className={styles.row}>
            {number('reminderAfterDays', 'guestPolicy.reminderAfterDays', t.reminderAfterDays)}
            {number('maxReminders', 'guestPolicy.maxReminders', t.maxReminders)}
          </div>
          <Switch checked={draft.allowSharedGuestTeams} label={t.allowSharedGuestTeams} onChange={(_event, data) => set('allowSharedGuestTeams', data.checked)} />
        </>
      ))}
      {section('engagement', (
        <>
          {choice('guestFateAtEnd', 'engagementPolicy.guestFateAtEnd', t.guestFateAtEnd, fates, t.fates)}
          {number('reviewAfterDays', 'engagementPolicy.reviewAfterDays', t.reviewAfterDays)}
        </>
      ))}
      {section('support', (
        <>
          {choice('channelTeamId', 'supportPolicy.channelTeamId', t.channel, [defaultChannel, ...settings.teams.map((team) => team.teamId)], teamNames)}
          <div className={styles.row}>
            {number('firstAnswerWithinWorkingDays', 'supportPolicy.firstAnswerWithinWorkingDays', t.firstAnswer)}
            {number('autoCloseAfterDays', 'supportPolicy.autoCloseAfterDays', t.autoClose)}
          </div>
        </>
      ))}
      {section('partners', (
        <>
          <Text>{authorised ? format(t.flowAuthorised, { who: authorised.by, date: formatDate(String(authorised.at), language) }) : t.flowNotAuthorised}</Text>
          <Field {...error('partnerDefaults.shine.purchases')}>
            <Checkbox checked={draft.shinePurchases} label={t.shinePurchases} onChange={(_event, data) => set('shinePurchases', Boolean(data.checked))} />
          </Field>
          <Checkbox checked={draft.shineSales} label={t.shineSales} onChange={(_event, data) => set('shineSales', Boolean(data.checked))} />
          {choice('shineBillingMode', 'partnerDefaults.shine.billingMode', t.billingMode, billingModes, t.billingModes)}
          {choice('shinePlan', 'partnerDefaults.shine.plan', t.plan, plans, { easy: 'Easy', start: 'Start', plus: 'Plus' })}
        </>
      ))}
      <Dialog open={confirming !== null} onOpenChange={(_event, data) => !data.open && setConfirming(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t.confirmTitle}</DialogTitle>
            <DialogContent>{confirming ? format(t.confirmBody, { section: sectionTitle[confirming] }) : ''}</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => confirming && void save(confirming)}>{t.confirm}</Button>
              <Button appearance="secondary" onClick={() => setConfirming(null)}>{t.cancel}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
