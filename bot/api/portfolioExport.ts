import type { PortfolioPage } from '../domain/portfolio.js';
import { apiMessagesFor } from '../i18n/apiMessages.js';
import { format, type Language } from '../i18n/index.js';
import { csvLine } from './http/csv.js';
import { presentPortfolioPage } from './portfolioPresenter.js';

/** 100 pages of 100: a firm of 10,000 clients exports in one file. */
const maxExportPages = 100;
const exportPageSize = 100;

/**
 * The portfolio export's lines: the header and the words in the cells in the user's language, the
 * values (codes, names, counts, the firm's offer names) as they are.
 */
export async function portfolioCsvLines(
  language: Language,
  catalogue: readonly { id: string; name: string }[],
  pageOf: (page: number) => Promise<PortfolioPage>,
): Promise<string[]> {
  const t = apiMessagesFor(language).portfolioCsv;
  const offerName = (id: string) => catalogue.find((offer) => offer.id === id)?.name ?? id;
  const lines: string[] = [csvLine(t.header)];
  for (let page = 1; page <= maxExportPages; page++) {
    const view = presentPortfolioPage(await pageOf(page));
    for (const item of view.items) {
      const states = item.contacts.states as Partial<Record<string, number>>;
      const { equipment, collection } = item;
      lines.push(
        csvLine([
          item.code, item.companyName, item.legalForm ?? '', item.siret ?? '', String(item.contacts.count), item.contacts.primary?.name ?? '', item.contacts.primary?.email ?? '',
          ...['notInvited', 'invited', 'accepted', 'member', 'failed'].map((name) => String(states[name] ?? 0)),
          item.offers.map((entry) => `${offerName(entry.offerId)} (${entry.active + entry.waiting})`).join(', '),
          item.flow ? `${item.flow.done}/${item.flow.total}` : '',
          item.shine ? [item.shine.purchases ? t.shinePurchases : '', item.shine.sales ? t.shineSales : '', format(t.shinePlan, { plan: item.shine.plan })].filter(Boolean).join(' ') : '',
          equipment.purchases ?? '', equipment.sales ?? '', equipment.till ?? '', t.mandate[equipment.mandate], t.registration[equipment.einvoicingRegistration], equipment.reformAwareness ? t.yes : t.no,
          collection.feedReception ?? '', collection.purchaseFeed ?? '', collection.salesFeed ?? '', collection.bankFeed ?? '', collection.payroll ?? '', collection.collectionEmail ?? '', item.notes ?? '',
        ]),
      );
    }
    if (page * exportPageSize >= view.total) break;
  }
  return lines;
}
