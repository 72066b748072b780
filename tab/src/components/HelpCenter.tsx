import { Button, Field, Input, MessageBar, MessageBarBody, Select, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { helpDomains, helpProducts, type HelpResult, type HelpSearch, type PortfolioApi } from '../api';
import { useLanguage } from '../i18n';
import { HelpArticle } from './HelpArticle';
import { HelpArticleForm } from './HelpArticleForm';
import { useHelpCenterStyles } from './HelpCenter.styles';

type Loaded = { status: 'loading' } | { status: 'ready'; results: HelpResult[]; otherLanguage: boolean; emptyQuestion: boolean } | { status: 'error'; message: string };
type Showing = { kind: 'results' } | { kind: 'article'; id: string } | { kind: 'new' };

/**
 * « Aide »: the knowledge base for staff, as « aide <mots> » in Teams — a question on several words,
 * product and domain filters, the best articles first, each opened here with « Cet article vous
 * a-t-il aidé ? ». Holders of « Base de connaissances – modification » also write, publish and archive.
 */
export function HelpCenter({ api, canEdit }: { api: PortfolioApi; canEdit: boolean }) {
  const styles = useHelpCenterStyles();
  const language = useLanguage();
  const t = language.texts.help;
  const [draft, setDraft] = useState<HelpSearch>({ q: '' });
  const [search, setSearch] = useState<HelpSearch>({ q: '' });
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [showing, setShowing] = useState<Showing>({ kind: 'results' });
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ status: 'loading' });
    api.helpSearch(search, controller.signal).then(
      (answer) => setLoaded({ status: 'ready', results: answer.results, emptyQuestion: answer.emptyQuestion, otherLanguage: answer.results.some((result) => !language.locale.startsWith(result.language)) }),
      (failure: unknown) => !controller.signal.aborted && setLoaded({ status: 'error', message: (failure as Error).message }),
    );
    return () => controller.abort();
  }, [api, search, reloads, language.locale]);

  const backToResults = () => {
    setShowing({ kind: 'results' });
    setReloads((count) => count + 1);
  };

  if (showing.kind === 'article') return <HelpArticle api={api} id={showing.id} onBack={backToResults} />;
  if (showing.kind === 'new') return <HelpArticleForm api={api} onSaved={(article) => setShowing({ kind: 'article', id: article.id })} onCancel={backToResults} />;

  return (
    <section className={styles.root} aria-labelledby="help-title">
      <Text as="h2" size={500} weight="semibold" id="help-title">
        {t.title}
      </Text>
      <Text className={styles.intro}>{t.intro}</Text>
      <form
        className={styles.filters}
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(draft);
        }}
      >
        <Field label={t.question} className={styles.question}>
          <Input value={draft.q} maxLength={200} onChange={(_event, data) => setDraft((current) => ({ ...current, q: data.value }))} />
        </Field>
        <Field label={t.product}>
          <Select value={draft.product ?? ''} onChange={(_event, data) => setDraft((current) => ({ ...current, product: (data.value || undefined) as HelpSearch['product'] }))}>
            <option value="">{t.anyProduct}</option>
            {helpProducts.map((product) => (
              <option key={product} value={product}>
                {t.products[product]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.domain}>
          <Select value={draft.domain ?? ''} onChange={(_event, data) => setDraft((current) => ({ ...current, domain: (data.value || undefined) as HelpSearch['domain'] }))}>
            <option value="">{t.anyDomain}</option>
            {helpDomains.map((domain) => (
              <option key={domain} value={domain}>
                {t.domains[domain]}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" appearance="primary">
          {t.search}
        </Button>
        {canEdit && <Button onClick={() => setShowing({ kind: 'new' })}>{t.newArticle}</Button>}
      </form>
      {loaded.status === 'loading' && <Spinner label={language.texts.loading} />}
      {loaded.status === 'error' && (
        <MessageBar intent="error">
          <MessageBarBody>{loaded.message}</MessageBarBody>
        </MessageBar>
      )}
      {loaded.status === 'ready' && (
        <>
          {loaded.emptyQuestion && <Text role="status">{t.emptyQuestion}</Text>}
          {!loaded.emptyQuestion && loaded.results.length === 0 && <Text role="status">{t.none}</Text>}
          {loaded.otherLanguage && <Text role="status">{t.otherLanguage}</Text>}
          <ul className={styles.results} aria-label={t.title}>
            {loaded.results.map((result) => (
              <li key={result.id} className={styles.result}>
                <div className={styles.resultText}>
                  <Text weight="semibold">{result.title}</Text>
                  <Text size={200} className={styles.meta}>
                    {t.products[result.product]} · {t.domains[result.domain]}
                  </Text>
                  <Text size={200}>{result.excerpt}</Text>
                </div>
                <Button onClick={() => setShowing({ kind: 'article', id: result.id })} aria-label={`${t.open} : ${result.title}`}>
                  {t.open}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
