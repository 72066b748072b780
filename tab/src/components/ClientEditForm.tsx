import { Button, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Spinner, Switch, Text, Textarea } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { legalForms, taxRegimes } from '../../../bot/domain/catalogues';
import { ApiError, type ClientEditBody, type PortfolioApi, type PortfolioClientView } from '../api';
import { format, useLanguage } from '../i18n';
import { useClientEditFormStyles } from './ClientEditForm.styles';

type Equipment = PortfolioClientView['equipment'];
const mandateStates: Equipment['mandate'][] = ['none', 'sent', 'signed'];
const einvoicingStates: Equipment['einvoicingRegistration'][] = ['none', 'invited', 'registered'];

const detailKeys = ['companyName', 'legalForm', 'siret', 'apeCode', 'taxRegime'] as const;
const equipmentTextKeys = ['purchases', 'sales', 'till'] as const;
const collectionKeys = ['feedReception', 'purchaseFeed', 'salesFeed', 'bankFeed', 'payroll', 'collectionEmail'] as const;

/** The form's values, flat; text fields hold '' when empty, as inputs do. */
interface Draft {
  companyName: string;
  legalForm: string;
  siret: string;
  apeCode: string;
  taxRegime: string;
  purchases: string;
  sales: string;
  till: string;
  mandate: Equipment['mandate'];
  einvoicingRegistration: Equipment['einvoicingRegistration'];
  reformAwareness: boolean;
  feedReception: string;
  purchaseFeed: string;
  salesFeed: string;
  bankFeed: string;
  payroll: string;
  collectionEmail: string;
  notes: string;
}

function draftOf(client: PortfolioClientView): Draft {
  const { equipment, collection } = client;
  return {
    companyName: client.companyName,
    legalForm: client.legalForm ?? '',
    siret: client.siret ?? '',
    apeCode: client.apeCode ?? '',
    taxRegime: client.taxRegime ?? '',
    purchases: equipment.purchases ?? '',
    sales: equipment.sales ?? '',
    till: equipment.till ?? '',
    mandate: equipment.mandate,
    einvoicingRegistration: equipment.einvoicingRegistration,
    reformAwareness: equipment.reformAwareness,
    feedReception: collection.feedReception ?? '',
    purchaseFeed: collection.purchaseFeed ?? '',
    salesFeed: collection.salesFeed ?? '',
    bankFeed: collection.bankFeed ?? '',
    payroll: collection.payroll ?? '',
    collectionEmail: collection.collectionEmail ?? '',
    notes: client.notes ?? '',
  };
}

/**
 * Only what the user changed is sent: a value stored before today's lists (an old legal form, say)
 * is not re-checked, and refused, when nobody touched it.
 */
function bodyOf(initial: Draft, draft: Draft, expectedUpdatedAt: string): ClientEditBody {
  const body: ClientEditBody = { expectedUpdatedAt };
  for (const key of detailKeys) if (draft[key] !== initial[key]) body[key] = draft[key];
  const equipment: NonNullable<ClientEditBody['equipment']> = {};
  for (const key of equipmentTextKeys) if (draft[key] !== initial[key]) equipment[key] = draft[key];
  if (draft.mandate !== initial.mandate) equipment.mandate = draft.mandate;
  if (draft.einvoicingRegistration !== initial.einvoicingRegistration) equipment.einvoicingRegistration = draft.einvoicingRegistration;
  if (draft.reformAwareness !== initial.reformAwareness) equipment.reformAwareness = draft.reformAwareness;
  if (Object.keys(equipment).length > 0) body.equipment = equipment;
  const collection: NonNullable<ClientEditBody['collection']> = {};
  for (const key of collectionKeys) if (draft[key] !== initial[key]) collection[key] = draft[key];
  if (Object.keys(collection).length > 0) body.collection = collection;
  if (draft.notes !== initial.notes) body.notes = draft.notes;
  return body;
}

const draftKeys = new Set<string>([...detailKeys, ...equipmentTextKeys, 'mandate', 'einvoicingRegistration', 'reformAwareness', ...collectionKeys, 'notes']);

/** The server names fields as in the body (`equipment.till`); the form's keys are flat. */
function draftKeyOf(field: string | null): keyof Draft | null {
  const key = (field ?? '').replace(/^(equipment|collection)\./, '');
  return draftKeys.has(key) ? (key as keyof Draft) : null;
}

export type EditResult = { kind: 'saved'; client: PortfolioClientView } | { kind: 'changedMeanwhile' };

/** Edits what staff may change on a client file; the server re-checks everything with the bot's rules. */
export function ClientEditForm({ api, client, onDone, onCancel }: { api: PortfolioApi; client: PortfolioClientView; onDone(result: EditResult): void; onCancel(): void }) {
  const styles = useClientEditFormStyles();
  const { texts } = useLanguage();
  const t = texts.drawer;
  const [initial] = useState(() => draftOf(client));
  const [draft, setDraft] = useState<Draft>(initial);
  const [problems, setProblems] = useState<Partial<Record<keyof Draft, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    setProblems({});
    try {
      onDone({ kind: 'saved', client: await api.updateClient(client.id, bodyOf(initial, draft, client.updatedAt)) });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        onDone({ kind: 'changedMeanwhile' });
        return;
      }
      const byField: Partial<Record<keyof Draft, string>> = {};
      const unplaced: string[] = [];
      for (const problem of failure instanceof ApiError ? failure.problems : []) {
        const key = draftKeyOf(problem.field);
        if (key) byField[key] = problem.message;
        else unplaced.push(problem.message);
      }
      setProblems(byField);
      // The summary names the fields; a problem with no field of its own is added to it.
      setError([(failure as Error).message, ...unplaced].join(' '));
      setSaving(false);
    }
  };

  const message = (key: keyof Draft) => (problems[key] ? { validationState: 'error' as const, validationMessage: problems[key] } : {});
  const text = (key: Exclude<keyof Draft, 'mandate' | 'einvoicingRegistration' | 'reformAwareness'>, label: string, options: { required?: boolean; placeholder?: string; type?: 'email'; autoFocus?: boolean } = {}) => (
    <Field label={label} required={options.required} {...message(key)}>
      <Input
        value={draft[key]}
        onChange={(_event, data) => set(key, data.value)}
        placeholder={options.placeholder}
        type={options.type}
        autoFocus={options.autoFocus}
      />
    </Field>
  );
  const choice = (key: 'legalForm' | 'taxRegime', label: string, values: readonly string[]) => (
    <Field label={label} {...message(key)}>
      <Dropdown
        value={draft[key] || t.notFilled}
        selectedOptions={[draft[key]]}
        onOptionSelect={(_event, data) => set(key, data.optionValue ?? '')}
      >
        <Option value="">{t.notFilled}</Option>
        {/* A stored value missing from today's list stays selectable, so opening the list never loses it. */}
        {[...new Set([...values, ...(initial[key] ? [initial[key]] : [])])].map((value) => (
          <Option key={value} value={value}>
            {value}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );

  return (
    <form className={styles.form} onSubmit={submit} aria-label={format(t.editLabel, { name: client.companyName })} noValidate>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <fieldset className={styles.group}>
        <legend className={styles.legend}>
          <Text size={400} weight="semibold">{t.details}</Text>
        </legend>
        <Field label={t.code}>
          <Input value={client.code} readOnly disabled />
        </Field>
        {text('companyName', t.companyName, { required: true, autoFocus: true })}
        {choice('legalForm', t.legalForm, legalForms)}
        {text('siret', t.siret, { placeholder: '732 829 320 00074' })}
        {text('apeCode', t.apeCode, { placeholder: '6920Z' })}
        {choice('taxRegime', t.taxRegime, taxRegimes)}
      </fieldset>

      <fieldset className={styles.group}>
        <legend className={styles.legend}>
          <Text size={400} weight="semibold">{t.equipment}</Text>
        </legend>
        {text('purchases', t.purchases, { placeholder: t.appPlaceholder })}
        {text('sales', t.sales, { placeholder: t.appPlaceholder })}
        {text('till', t.till)}
        <Field label={t.mandate} {...message('mandate')}>
          <Dropdown value={t.mandateStates[draft.mandate]} selectedOptions={[draft.mandate]} onOptionSelect={(_event, data) => set('mandate', (data.optionValue ?? 'none') as Draft['mandate'])}>
            {mandateStates.map((state) => (
              <Option key={state} value={state}>
                {t.mandateStates[state]}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label={t.einvoicing} hint={t.einvoicingHint} {...message('einvoicingRegistration')}>
          <Dropdown
            value={t.einvoicingStates[draft.einvoicingRegistration]}
            selectedOptions={[draft.einvoicingRegistration]}
            onOptionSelect={(_event, data) => set('einvoicingRegistration', (data.optionValue ?? 'none') as Draft['einvoicingRegistration'])}
          >
            {einvoicingStates.map((state) => (
              <Option key={state} value={state}>
                {t.einvoicingStates[state]}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Switch checked={draft.reformAwareness} label={t.reform} onChange={(_event, data) => set('reformAwareness', data.checked)} />
      </fieldset>

      <fieldset className={styles.group}>
        <legend className={styles.legend}>
          <Text size={400} weight="semibold">{t.collection}</Text>
        </legend>
        {text('feedReception', t.feedReception)}
        {text('purchaseFeed', t.purchaseFeed)}
        {text('salesFeed', t.salesFeed)}
        {text('bankFeed', t.bankFeed)}
        {text('payroll', t.payroll)}
        {text('collectionEmail', t.collectionEmail, { type: 'email', placeholder: 'factures@entreprise.fr' })}
      </fieldset>

      <Field label={t.notes} {...message('notes')}>
        <Textarea value={draft.notes} onChange={(_event, data) => set('notes', data.value)} resize="vertical" rows={4} />
      </Field>

      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={saving} icon={saving ? <Spinner size="tiny" /> : undefined}>
          {saving ? t.saving : t.save}
        </Button>
        <Button appearance="secondary" type="button" onClick={onCancel} disabled={saving}>
          {t.cancel}
        </Button>
      </div>
    </form>
  );
}
