/**
 * Okapi BM25 over the articles a search found, with the fields already weighted into each article's
 * term frequencies (title ×3, keywords ×2, body ×1: a BM25F with one length). A question's word is a
 * group of alternative terms (bot/domain/help/textAnalysis.ts): an article scores on the best of them.
 */
export interface RankedCandidate {
  id: string;
  /** Weighted frequencies of the question's terms in the article (other terms need not be there). */
  frequencies: Record<string, number>;
  length: number;
}

const k1 = 1.2;
const b = 0.75;

/**
 * `total` is the number of articles the reader could have found (the scope), `candidates` those
 * holding at least one of the question's terms: how many hold each term gives its rarity. Articles
 * matching more of the question's words always come first, then the higher score, then the id.
 */
export function rankByRelevance<T extends RankedCandidate>(groups: string[][], candidates: readonly T[], total: number): { candidate: T; score: number; matched: number }[] {
  if (candidates.length === 0 || groups.length === 0) return [];
  const averageLength = candidates.reduce((sum, candidate) => sum + candidate.length, 0) / candidates.length || 1;
  const documentFrequency = new Map<string, number>();
  for (const candidate of candidates) {
    for (const term of Object.keys(candidate.frequencies)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const scope = Math.max(total, candidates.length);
  const rarity = (term: string) => {
    const holding = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (scope - holding + 0.5) / (holding + 0.5));
  };
  return candidates
    .map((candidate) => {
      let score = 0;
      let matched = 0;
      for (const group of groups) {
        let best = 0;
        for (const term of group) {
          const frequency = candidate.frequencies[term] ?? 0;
          if (frequency === 0) continue;
          const saturated = (frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * candidate.length) / averageLength));
          best = Math.max(best, rarity(term) * saturated);
        }
        if (best > 0) matched += 1;
        score += best;
      }
      return { candidate, score, matched };
    })
    .filter((ranked) => ranked.matched > 0)
    .sort((x, y) => y.matched - x.matched || y.score - x.score || x.candidate.id.localeCompare(y.candidate.id));
}
