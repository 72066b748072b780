import { Button, Field, Input, MessageBar, MessageBarBody, Select, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError, helpAudiences, helpDomains, helpProducts, type HelpArticleFields, type HelpArticleView, type PortfolioApi } from '../api';
import { useLanguage } from '../i18n';
import { useHelpCenterStyles } from './HelpCenter.styles';

type FormValues = Omit<HelpArticleFields, 'keywords'> & { keywords: string };

/** Writes a new draft or edits an article; the server checks every field and says what to fix next to it. */
export function HelpArticleForm({ api, article, onSaved, onCancel }: { api: PortfolioApi; article?: HelpArticleView; onSaved: (article: HelpArticleView) => void; onCancel: () => void }) {
  const styles = useHelpCenterStyles();
  const language = useLanguage();
  const t = language.texts.help;
  const [values, setValues] = useState<FormValues>(() => ({
    title: article?.title ?? '',
    body: article?.body ?? '',
    product: article?.product ?? 'passerelle',
    domain: article?.domain ?? 'support',
    audience: article?.audience ?? 'staff',
    language: article?.language ?? (language.locale.startsWith('en') ? 'en' : 'fr'),
    keywords: article?.keywords.join(', ') ?? '',
  }));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (field: keyof FormValues) => (_event: unknown, data: { value: string }) => setValues((current) => ({ ...current, [field]: data.value }));

  const save = async () => {
    setSaving(true);
    setError(null);
    setProblems({});
    const fields: HelpArticleFields = { ...values, keywords: values.keywords.split(',').map((keyword) => keyword.trim()).filter(Boolean) };
    try {
      onSaved(article ? await api.updateHelpArticle(article.id, article.version, fields) : await api.createHelpArticle(fields));
    } catch (failure) {
      setError((failure as Error).message);
      if (failure instanceof ApiError) setProblems(Object.fromEntries(failure.problems.filter((problem) => problem.field).map((problem) => [problem.field!, problem.message])));
    } finally {
      setSaving(false);
    }
  };

  const choice = <T extends string>(field: 'product' | 'domain' | 'audience' | 'language', options: readonly T[], labels: Record<T, string>) => (
    <Field label={t.fields[field]} validationMessage={problems[field]} required>
      <Select value={values[field]} onChange={set(field)}>
        {options.map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </Select>
    </Field>
  );

  return (
    <form
      className={styles.form}
      aria-labelledby="help-form-title"
      // The server's message goes under the field, in the reader's language: not the browser's bubble.
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Text as="h2" size={500} weight="semibold" id="help-form-title">
        {article ? t.edit : t.newArticle}
      </Text>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <Field label={t.fields.title} validationMessage={problems.title} required>
        <Input value={values.title} maxLength={160} onChange={set('title')} />
      </Field>
      <Field label={t.fields.body} validationMessage={problems.body} required>
        <Textarea value={values.body} rows={12} resize="vertical" onChange={set('body')} />
      </Field>
      <div className={styles.row}>
        {choice('product', helpProducts, t.products)}
        {choice('domain', helpDomains, t.domains)}
        {choice('audience', helpAudiences, t.audiences)}
        {choice('language', ['fr', 'en'] as const, t.languages)}
      </div>
      <Field label={t.fields.keywords} validationMessage={problems.keywords}>
        <Input value={values.keywords} onChange={set('keywords')} />
      </Field>
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={saving}>
          {t.save}
        </Button>
        <Button onClick={onCancel}>{t.cancel}</Button>
      </div>
    </form>
  );
}
