import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as frenchStemmer } from '@orama/stemmers/french';
import type { ArticleLanguage } from './knowledgeBaseLink.js';

/**
 * How the knowledge base reads text, the same way for an article and for a question: words in lower
 * case, the language's stopwords dropped, each word reduced to its Snowball stem, then accents folded.
 * « invitations », « inviter » and « invité » all become « invit »; « Activation » and « activez »
 * « activ ». A word is kept under two stems (as typed, and typed without its accents) so that a
 * question typed without accents finds the accented words, and the other way round.
 */

const stemmers: Record<ArticleLanguage, (word: string) => string> = { fr: frenchStemmer, en: englishStemmer };

/** The Snowball project's stopword lists, cut to the words people actually type in a question. */
const stopwords: Record<ArticleLanguage, ReadonlySet<string>> = {
  fr: new Set(
    ('au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi mon ne nos notre nous on ou par pas pour qu que qui ' +
      'sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y été être avoir ai as avez ont est sont suis es était ' +
      'comment quoi quel quelle quels quelles où quand faire fait fais peut peux puis pouvez dois doit doivent ceci cela ça cet cette si est-ce')
      .split(' '),
  ),
  en: new Set(
    ('a an and are as at be by can could do does did for from has have how i if in into is it its me my of on or our so that the their them then there these ' +
      'they this to was we what when where which who why will with would you your yours am been being should shall may might must')
      .split(' '),
  ),
};

/** Accents, ligatures and case gone: « Étape » and « etape » are one word, « œuvre » reads « oeuvre ». */
export function foldText(text: string): string {
  return text.toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae').normalize('NFD').replace(/\p{M}/gu, '');
}

/** The words of a text as people write them: letters and digits, apostrophes and hyphens split words. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The terms one word stands for (one or two): the stem of the word as written and of the word without
 * its accents, both folded. Stopwords and lone letters stand for nothing.
 */
export function termsOfWord(word: string, language: ArticleLanguage): string[] {
  const lower = word.toLowerCase();
  const folded = foldText(lower);
  if (folded.length < 2 && !/\d/.test(folded)) return [];
  if (stopwords[language].has(lower) || stopwords[language].has(folded)) return [];
  const stem = stemmers[language];
  return [...new Set([foldText(stem(lower)), foldText(stem(folded))])];
}

/** A question as the search uses it: one group of alternative terms per meaningful word, repeated words once. */
export function analyseQuery(text: string, language: ArticleLanguage): string[][] {
  const groups: string[][] = [];
  const seen = new Set<string>();
  for (const word of wordsOf(text)) {
    const terms = termsOfWord(word, language);
    const key = terms.join('|');
    if (terms.length === 0 || seen.has(key)) continue;
    seen.add(key);
    groups.push(terms);
  }
  return groups;
}

/** How much a word counts where it stands: a title or keyword says what the article is about. */
export const fieldWeights = { title: 3, keywords: 2, body: 1 } as const;

/**
 * What an article's document carries for the search: its distinct terms (the multikey index the
 * query filters on), each term's weighted frequency, and the weighted length BM25 normalises by.
 */
export interface ArticleTerms {
  terms: string[];
  frequencies: Record<string, number>;
  length: number;
}

export function analyseArticle(article: { title: string; body: string; keywords: readonly string[]; language: ArticleLanguage }): ArticleTerms {
  const frequencies: Record<string, number> = {};
  let length = 0;
  const add = (text: string, weight: number) => {
    for (const word of wordsOf(text)) {
      const terms = termsOfWord(word, article.language);
      if (terms.length === 0) continue;
      length += weight;
      for (const term of terms) frequencies[term] = (frequencies[term] ?? 0) + weight;
    }
  };
  add(article.title, fieldWeights.title);
  add(article.keywords.join(' '), fieldWeights.keywords);
  // Markdown marks are not words: links keep their text, not their address.
  add(article.body.replace(/\]\([^)]*\)/g, ']'), fieldWeights.body);
  return { terms: Object.keys(frequencies).sort(), frequencies, length };
}
