import { Button, MessageBar, MessageBarBody, Spinner, Text } from '@fluentui/react-components';
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { ApiError, type HelpArticleView, type PortfolioApi } from '../api';
import { format, formatDate, useLanguage } from '../i18n';
import { HelpArticleForm } from './HelpArticleForm';
import { useHelpCenterStyles } from './HelpCenter.styles';

/** The Markdown the cards render, shown the same here: **bold**, _italics_, « - » and « 1. » lists, paragraphs. */
function inline(text: string): ReactNode[] {
  return text.split(/(\*\*[^*]+\*\*|_[^_]+_)/g).map((part, index) =>
    part.startsWith('**') && part.endsWith('**') && part.length > 4 ? <strong key={index}>{part.slice(2, -2)}</strong> : part.startsWith('_') && part.endsWith('_') && part.length > 2 ? <em key={index}>{part.slice(1, -1)}</em> : <Fragment key={index}>{part}</Fragment>,
  );
}

function MarkdownBody({ body, listClass }: { body: string; listClass: string }) {
  const blocks: ReactNode[] = [];
  let items: { ordered: boolean; text: string }[] = [];
  const flush = () => {
    if (items.length === 0) return;
    const List = items[0]!.ordered ? 'ol' : 'ul';
    blocks.push(
      <List key={blocks.length} className={listClass}>
        {items.map((item, index) => (
          <li key={index}>{inline(item.text)}</li>
        ))}
      </List>,
    );
    items = [];
  };
  for (const line of body.split('\n')) {
    const bullet = /^\s*[-+*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+\.\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      items.push({ ordered: Boolean(numbered), text: (bullet ?? numbered)![1]! });
      continue;
    }
    flush();
    if (line.trim()) blocks.push(<Text key={blocks.length} as="p">{inline(line)}</Text>);
  }
  flush();
  return <>{blocks}</>;
}

export function HelpArticle({ api, id, onBack }: { api: PortfolioApi; id: string; onBack: () => void }) {
  const styles = useHelpCenterStyles();
  const language = useLanguage();
  const t = language.texts.help;
  const [article, setArticle] = useState<HelpArticleView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api.helpArticle(id, controller.signal).then(setArticle, (failure: unknown) => !controller.signal.aborted && setError((failure as Error).message));
    return () => controller.abort();
  }, [api, id]);

  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    setNotice(null);
    try {
      await run();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : (failure as Error).message);
    }
  };

  if (error && !article) {
    return (
      <MessageBar intent="error">
        <MessageBarBody>{error}</MessageBarBody>
      </MessageBar>
    );
  }
  if (!article) return <Spinner label={language.texts.loading} />;
  if (editing) {
    return (
      <HelpArticleForm
        api={api}
        article={article}
        onSaved={(saved) => {
          setArticle(saved);
          setEditing(false);
        }}
        onCancel={() => setEditing(false)}
      />
    );
  }
  return (
    <article className={styles.root} aria-labelledby="help-article-title">
      <div className={styles.actions}>
        <Button onClick={onBack}>{t.back}</Button>
      </div>
      <Text as="h2" size={500} weight="semibold" id="help-article-title">
        {article.title}
      </Text>
      <Text size={200} className={styles.meta}>
        {t.products[article.product]} · {t.domains[article.domain]}
      </Text>
      {article.canEdit && (
        <Text size={200} className={styles.meta}>
          {format(t.editorMeta, { state: t.states[article.state], audience: t.audiences[article.audience], version: article.version, date: formatDate(article.updated.at, language, true), who: article.updated.name })}
        </Text>
      )}
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {notice && (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.body}>
        <MarkdownBody body={article.body} listClass={styles.list} />
      </div>
      {article.state === 'published' && (
        <div className={styles.actions} role="group" aria-label={t.helpful}>
          <Text weight="semibold">{t.helpful}</Text>
          {([true, false] as const).map((helpful) => (
            <Button key={String(helpful)} onClick={() => act(async () => setNotice(t.feedback[(await api.helpFeedback(article.id, helpful)).outcome]))}>
              {helpful ? t.yes : t.no}
            </Button>
          ))}
        </div>
      )}
      {article.canEdit && (
        <>
          <Text size={200}>{format(t.feedbackCounts, { helpful: article.feedback?.helpful ?? 0, notHelpful: article.feedback?.notHelpful ?? 0 })}</Text>
          <div className={styles.actions}>
            <Button onClick={() => setEditing(true)}>{t.edit}</Button>
            {article.state !== 'published' && (
              <Button appearance="primary" onClick={() => act(async () => setArticle(await api.moveHelpArticle(article.id, article.version, 'publish')))}>
                {t.publish}
              </Button>
            )}
            {article.state !== 'archived' && <Button onClick={() => act(async () => setArticle(await api.moveHelpArticle(article.id, article.version, 'archive')))}>{t.archive}</Button>}
          </div>
          <Text weight="semibold">{t.history}</Text>
          <ul className={styles.list}>
            {[...(article.history ?? [])].reverse().map((entry) => (
              <li key={entry.version}>
                <Text size={200}>
                  {`Version ${entry.version} · ${t.historyActions[entry.action]} · ${formatDate(entry.at, language, true)} · ${entry.by}`}
                  {entry.changed.length > 0 ? ` (${entry.changed.map((field) => t.fields[field as keyof typeof t.fields]?.split(' (')[0] ?? field).join(', ')})` : ''}
                </Text>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
