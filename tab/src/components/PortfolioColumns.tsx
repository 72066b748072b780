import { Badge, Button, ProgressBar, Tooltip } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { PortfolioItem } from '../api';
import { format, useLanguage, type Texts } from '../i18n';
import { OnboardingBadges } from './OnboardingBadges';
import { usePortfolioColumnsStyles } from './PortfolioColumns.styles';

/** The table's column sets, like the seed's console: onboarding (Passerelle's own), « Équipement », « Collecte ». */
export const portfolioViews = ['onboarding', 'equipment', 'collection'] as const;
export type PortfolioView = (typeof portfolioViews)[number];

export interface PortfolioColumn {
  id: string;
  /** Fixed width for columns whose content must not wrap or clip (a SIRET). */
  width?: string;
  header(t: Texts): string;
  render(item: PortfolioItem, context: CellContext): ReactNode;
}

interface CellContext {
  t: Texts;
  offerName(id: string): string;
  styles: ReturnType<typeof usePortfolioColumnsStyles>;
  /** « + Ajouter » in Achat / Vente opens Shine's activation (seed 002); absent for users who may not. */
  onAddShine?(item: PortfolioItem, use: 'purchases' | 'sales'): void;
}

const text = (value: string | null | undefined, context: CellContext) => (value ? <span>{value}</span> : <span className={context.styles.none}>{context.t.noState}</span>);

export const columnsByView: Record<PortfolioView, PortfolioColumn[]> = {
  onboarding: [
    { id: 'onboarding', header: (t) => t.columns.onboarding, render: (item) => <OnboardingBadges states={item.contacts.states} /> },
    { id: 'offers', header: (t) => t.columns.offers, render: (item, context) => <OfferBadges item={item} context={context} /> },
    { id: 'flow', header: (t) => t.columns.flow, render: (item, context) => <FlowProgress item={item} context={context} /> },
    { id: 'shine', header: (t) => t.columns.shine, render: (item, context) => <ShineCell item={item} context={context} /> },
    {
      id: 'siret',
      width: '156px',
      header: (t) => t.columns.siret,
      render: (item, { t, styles }) =>
        item.siret ? <span className={styles.siret} aria-label={`${t.siretPresent} : ${item.siret}`}>{formatSiret(item.siret)}</span> : <span className={styles.missing}>{t.siretMissing}</span>,
    },
  ],
  equipment: [
    { id: 'purchases', header: (t) => t.columns.purchases, render: (item, context) => <PartnerAppCell item={item} use="purchases" context={context} /> },
    { id: 'sales', header: (t) => t.columns.sales, render: (item, context) => <PartnerAppCell item={item} use="sales" context={context} /> },
    { id: 'till', header: (t) => t.columns.till, render: (item, context) => text(item.equipment.till, context) },
    { id: 'mandate', header: (t) => t.columns.mandate, render: (item, context) => text(item.equipment.mandate === 'none' ? null : context.t.mandate[item.equipment.mandate], context) },
    {
      id: 'einvoicing',
      header: (t) => t.columns.einvoicing,
      render: (item, context) => text(item.equipment.einvoicingRegistration === 'none' ? null : context.t.einvoicing[item.equipment.einvoicingRegistration], context),
    },
    {
      id: 'reform',
      header: (t) => t.columns.reform,
      render: (item, { t }) => (
        <Badge appearance="tint" shape="rounded" color={item.equipment.reformAwareness ? 'success' : 'danger'}>
          {item.equipment.reformAwareness ? t.yes : t.no}
        </Badge>
      ),
    },
    {
      id: 'notes',
      header: (t) => t.columns.notes,
      render: (item, context) =>
        item.notes ? (
          <Tooltip content={item.notes} relationship="description">
            <span className={context.styles.notes}>{item.notes}</span>
          </Tooltip>
        ) : (
          text(null, context)
        ),
    },
  ],
  collection: [
    { id: 'feedReception', header: (t) => t.columns.feedReception, render: (item, context) => text(item.collection.feedReception, context) },
    { id: 'purchaseFeed', header: (t) => t.columns.purchaseFeed, render: (item, context) => text(item.collection.purchaseFeed, context) },
    { id: 'salesFeed', header: (t) => t.columns.salesFeed, render: (item, context) => text(item.collection.salesFeed, context) },
    { id: 'bankFeed', header: (t) => t.columns.bankFeed, render: (item, context) => text(item.collection.bankFeed, context) },
    { id: 'payroll', header: (t) => t.columns.payroll, render: (item, context) => text(item.collection.payroll, context) },
    { id: 'collectionEmail', header: (t) => t.columns.collectionEmail, render: (item, context) => text(item.collection.collectionEmail, context) },
  ],
};

/** The cells of one row for a view; the styles and texts are read once per row. */
export function useCellContext(offerNames: ReadonlyMap<string, string>, onAddShine?: CellContext['onAddShine']): CellContext {
  const styles = usePortfolioColumnsStyles();
  const { texts: t } = useLanguage();
  return { t, styles, offerName: (id) => offerNames.get(id) ?? id, onAddShine };
}

/** Achat or Vente: the app in use, or « + Ajouter » to activate Shine when the client has none yet. */
function PartnerAppCell({ item, use, context }: { item: PortfolioItem; use: 'purchases' | 'sales'; context: CellContext }) {
  const value = item.equipment[use];
  if (value || item.shine || !context.onAddShine) return text(value, context);
  const { t } = context;
  return (
    <Button
      appearance="subtle"
      size="small"
      aria-label={format(t.shine.addLabel, { use: use === 'purchases' ? t.columns.purchases.toLowerCase() : t.columns.sales.toLowerCase(), name: item.companyName })}
      onClick={(event) => {
        event.stopPropagation();
        context.onAddShine!(item, use);
      }}
    >
      {t.shine.add}
    </Button>
  );
}

function OfferBadges({ item, context }: { item: PortfolioItem; context: CellContext }) {
  const { t, styles } = context;
  if (item.offers.length === 0) return text(null, context);
  return (
    <ul className={styles.list}>
      {item.offers.map((offer) => {
        const name = context.offerName(offer.offerId);
        // The name alone keeps the column narrow; the colour says whether it started, the tooltip says how many.
        return (
          <li key={offer.offerId}>
            <Tooltip content={format(t.offerDetail, { name, active: offer.active, waiting: offer.waiting })} relationship="description">
              <Badge appearance="tint" shape="rounded" color={offer.active > 0 ? 'brand' : 'warning'} className={styles.nowrap}>
                {offer.active > 0 ? name : format(t.offerWaiting, { name })}
              </Badge>
            </Tooltip>
          </li>
        );
      })}
    </ul>
  );
}

function FlowProgress({ item, context }: { item: PortfolioItem; context: CellContext }) {
  const { t, styles } = context;
  if (!item.flow) return text(null, context);
  const label = format(t.flowProgress, { done: item.flow.done, total: item.flow.total });
  return (
    <div className={styles.flow}>
      <ProgressBar value={item.flow.done} max={item.flow.total} thickness="large" aria-label={label} color={item.flow.done === item.flow.total ? 'success' : 'brand'} />
      <span className={styles.secondary}>{label}</span>
    </div>
  );
}

function ShineCell({ item, context }: { item: PortfolioItem; context: CellContext }) {
  const { t } = context;
  if (!item.shine) return text(null, context);
  const uses = [item.shine.purchases ? t.shinePurchases : null, item.shine.sales ? t.shineSales : null].filter(Boolean).join(' · ');
  return <span>{format(t.shineSummary, { uses, plan: t.shinePlans[item.shine.plan] })}</span>;
}

/** "73282932000074" → "732 829 320 00074" (SIREN by threes, then the NIC). */
export function formatSiret(siret: string): string {
  return /^\d{14}$/.test(siret) ? `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}` : siret;
}
