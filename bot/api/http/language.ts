import { languageOf, type Language } from '../../i18n/index.js';

/**
 * The language the tab API answers in: the first language of `Accept-Language` (by its weights) that
 * Passerelle speaks. The tab sends Teams' locale there; without it, or with nothing we speak, French.
 */
export function requestLanguage(acceptLanguage: string | undefined): Language {
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...options] = part.trim().split(';');
      const weight = options.map((option) => /^\s*q=([\d.]+)\s*$/.exec(option)?.[1]).find(Boolean);
      return { tag: tag.trim(), quality: weight === undefined ? 1 : Number(weight), order };
    })
    .filter((range) => range.tag && range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order);
  for (const range of ranges) {
    const language = languageOf(range.tag);
    if (language) return language;
  }
  return 'fr';
}
