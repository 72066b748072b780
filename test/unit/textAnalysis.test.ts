import assert from 'node:assert/strict';
import { analyseArticle, analyseQuery, foldText, termsOfWord } from '../../bot/domain/help/textAnalysis.js';
import { rankByRelevance } from '../../bot/domain/help/ranking.js';
import { checkArticleContent } from '../../bot/domain/help/article.js';

/** Whether two words meet in the search: some term of one is a term of the other. */
const meet = (a: string, b: string, language: 'fr' | 'en') => termsOfWord(a, language).some((term) => termsOfWord(b, language).includes(term));

describe('text analysis of the knowledge base', () => {
  it('matches French plurals and verb forms to one another', () => {
    for (const [a, b] of [
      ['invitations', 'inviter'],
      ['invitez', 'invité'],
      ['invitée', 'invitation'],
      ['activation', 'activer'],
      ['activez', 'activé'],
      ['structures', 'structure'],
      ['profils', 'profil'],
      ['comptes', 'compte'],
      ['acceptez', 'accepter'],
      ['demandes', 'demander'],
    ]) {
      assert.ok(meet(a!, b!, 'fr'), `« ${a} » finds « ${b} » (${termsOfWord(a!, 'fr')} / ${termsOfWord(b!, 'fr')})`);
    }
  });

  it('ignores case and accents, whichever side has them', () => {
    for (const [a, b] of [
      ['ÉTAPES', 'étape'],
      ['etapes', 'Étapes'],
      ['prerequis', 'prérequis'],
      ['invitee', 'invitée'],
      ['transferer', 'transférer'],
      ['Œuvre', 'oeuvre'],
    ]) {
      assert.ok(meet(a!, b!, 'fr'), `« ${a} » finds « ${b} »`);
    }
    assert.equal(foldText('Élève À Ça'), 'eleve a ca');
  });

  it('matches English forms', () => {
    for (const [a, b] of [
      ['inviting', 'invitation'],
      ['invited', 'invite'],
      ['accounts', 'account'],
      ['activating', 'activate'],
      ['profiles', 'profile'],
      ['requests', 'requested'],
    ]) {
      assert.ok(meet(a!, b!, 'en'), `« ${a} » finds « ${b} »`);
    }
  });

  it('does not mix unrelated words, so the checks above can fail', () => {
    assert.equal(meet('invitation', 'activation', 'fr'), false);
    assert.equal(meet('structure', 'support', 'en'), false);
  });

  it('drops stopwords and lone letters, and keeps one group per distinct word', () => {
    assert.deepEqual(analyseQuery('Comment est-ce que j’accepte l’invitation ?', 'fr').map((group) => group[0]), ['accept', 'invit']);
    assert.deepEqual(analyseQuery('How do I invite the invited guests', 'en').map((group) => group[0]), ['invit', 'guest']);
    assert.deepEqual(analyseQuery('le la les', 'fr'), []);
  });

  it('weights the title and keywords above the body', () => {
    const terms = analyseArticle({ title: 'Shine', keywords: ['facturation'], body: 'Shine facturation SIRET', language: 'fr' });
    assert.equal(terms.frequencies.shin, 3 + 1, 'title ×3 plus body ×1');
    assert.equal(terms.frequencies.factur, 2 + 1, 'keyword ×2 plus body ×1');
    assert.equal(terms.frequencies.siret, 1);
    assert.deepEqual(terms.terms, Object.keys(terms.frequencies).sort());
  });

  it('ranks an article matching more words first, then the rarer terms', () => {
    const groups = [['invit'], ['shin']];
    const ranked = rankByRelevance(groups, [
      { id: 'a', frequencies: { invit: 9 }, length: 20 },
      { id: 'b', frequencies: { invit: 1, shin: 1 }, length: 20 },
      { id: 'c', frequencies: { shin: 3 }, length: 20 },
    ], 10);
    // b matches both words; a and c one each, equally rare: the more frequent one first.
    assert.deepEqual(ranked.map((entry) => entry.candidate.id), ['b', 'a', 'c']);
    const rare = rankByRelevance([['invit'], ['shin']], [
      { id: 'a', frequencies: { invit: 1 }, length: 20 },
      { id: 'b', frequencies: { invit: 1 }, length: 20 },
      { id: 'c', frequencies: { shin: 1 }, length: 20 },
    ], 10);
    assert.equal(rare[0]!.candidate.id, 'c', 'the rarer term weighs more');
  });
});

describe('article validation', () => {
  it('reports every bad field at once, each with its own code', () => {
    const checked = checkArticleContent({ title: '  ', body: 'x'.repeat(20_001), product: 'fax', domain: '', audience: 'everyone', language: 'de', keywords: ['ok', 'y'.repeat(41)] });
    assert.equal(checked.ok, false);
    if (checked.ok) return;
    assert.deepEqual(checked.errors, {
      title: { code: 'required' },
      body: { code: 'tooLong', params: { max: 20_000 } },
      product: { code: 'article.unknownChoice' },
      domain: { code: 'required' },
      audience: { code: 'article.unknownChoice' },
      language: { code: 'article.unknownChoice' },
      keywords: { code: 'article.keywordTooLong', params: { max: 40 } },
    });
  });

  it('accepts keywords as a list or as one text, trimmed and without repeats', () => {
    const checked = checkArticleContent({ title: 'Titre', body: 'Texte', product: 'shine', domain: 'activation', audience: 'staff', language: 'fr', keywords: ' Shine , SIRET;Shine ' });
    assert.ok(checked.ok);
    assert.deepEqual(checked.ok && checked.value.keywords, ['Shine', 'SIRET']);
    const many = checkArticleContent({ title: 'T', body: 'B', product: 'shine', domain: 'activation', audience: 'staff', language: 'fr', keywords: Array.from({ length: 21 }, (_, i) => `k${i}`) });
    assert.deepEqual(!many.ok && many.errors.keywords, { code: 'article.tooManyKeywords', params: { max: 20 } });
    const wrongType = checkArticleContent({ title: 'T', body: 'B', product: 'shine', domain: 'activation', audience: 'staff', language: 'fr', keywords: [1, 2] });
    assert.deepEqual(!wrongType.ok && wrongType.errors.keywords, { code: 'article.keywordsInvalid' });
  });
});
