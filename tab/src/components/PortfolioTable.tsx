import {
  Button,
  Checkbox,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  mergeClasses,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import type { PortfolioItem, PortfolioRequest } from '../api';
import { format, useLanguage } from '../i18n';
import type { LoadState } from '../usePortfolio';
import { columnsByView, useCellContext, type PortfolioView } from './PortfolioColumns';
import { usePortfolioTableStyles } from './PortfolioTable.styles';

export interface PortfolioTableProps {
  state: LoadState;
  request: PortfolioRequest;
  onOpen(id: string): void;
  onSort(change: Pick<PortfolioRequest, 'sort' | 'direction'>): void;
  onRetry(): void;
  selected: ReadonlySet<string>;
  onSelect(ids: string[], checked: boolean): void;
  /** Which column set follows the company and its contacts. */
  view: PortfolioView;
  offerNames: ReadonlyMap<string, string>;
  onAddShine?(item: PortfolioItem, use: 'purchases' | 'sales'): void;
}

/** One page of the firm's clients. The company name is a link: Enter or a click opens the client. */
export function PortfolioTable({ state, request, onOpen, onSort, onRetry, selected, onSelect, view, offerNames, onAddShine }: PortfolioTableProps) {
  const styles = usePortfolioTableStyles();
  const { texts: t } = useLanguage();

  if (state.status === 'error') {
    return (
      <MessageBar intent="error">
        <MessageBarBody>{format(t.error, { message: state.message })}</MessageBarBody>
        <MessageBarActions>
          <Button onClick={onRetry}>{t.retry}</Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
  const data = state.status === 'ready' ? state.data : state.previous;
  const loading = state.status === 'loading';
  const items = data?.items ?? [];
  const nameSort = request.sort === 'name' ? (request.direction === 'asc' ? 'ascending' : 'descending') : undefined;

  return (
    <div className={styles.wrapper} aria-busy={loading}>
      <Table aria-label={t.tableCaption} className={mergeClasses(styles.table, loading && data ? styles.busy : undefined)} sortable>
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.selectColumn}>
              <Checkbox
                aria-label={t.selectPage}
                checked={items.length > 0 && items.every((item) => selected.has(item.id)) ? true : items.some((item) => selected.has(item.id)) ? 'mixed' : false}
                onChange={(_event, data) => onSelect(items.map((item) => item.id), data.checked === true)}
              />
            </TableHeaderCell>
            <TableHeaderCell
              className={styles.companyColumn}
              sortDirection={nameSort}
              onClick={() => onSort({ sort: 'name', direction: request.sort === 'name' && request.direction === 'asc' ? 'desc' : 'asc' })}
            >
              {t.columns.company}
            </TableHeaderCell>
            <TableHeaderCell className={styles.contactsColumn}>{t.columns.contacts}</TableHeaderCell>
            {columnsByView[view].map((column) => (
              <TableHeaderCell key={column.id} style={column.width ? { width: column.width } : undefined}>
                {column.header(t)}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((item) => (
            <PortfolioRow key={item.id} item={item} onOpen={onOpen} selected={selected.has(item.id)} onSelect={onSelect} view={view} offerNames={offerNames} onAddShine={onAddShine} />
          ))}
        </TableBody>
      </Table>
      {loading && !data && <Spinner label={t.loading} className={styles.message} />}
      {loading && data && <Spinner size="small" className={styles.spinner} aria-label={t.loading} />}
      {!loading && items.length === 0 && (
        <div className={styles.message} role="status">
          {t.empty}
        </div>
      )}
    </div>
  );
}

interface PortfolioRowProps {
  item: PortfolioItem;
  onOpen(id: string): void;
  selected: boolean;
  onSelect(ids: string[], checked: boolean): void;
  view: PortfolioView;
  offerNames: ReadonlyMap<string, string>;
  onAddShine?(item: PortfolioItem, use: 'purchases' | 'sales'): void;
}

function PortfolioRow({ item, onOpen, selected, onSelect, view, offerNames, onAddShine }: PortfolioRowProps) {
  const styles = usePortfolioTableStyles();
  const { texts: t } = useLanguage();
  const cells = useCellContext(offerNames, onAddShine);
  const count = item.contacts.count;
  const countText = count === 0 ? t.contactsCount.zero : count === 1 ? t.contactsCount.one : format(t.contactsCount.many, { count });
  return (
    <TableRow className={styles.row} onClick={() => onOpen(item.id)} data-client-code={item.code}>
      <TableCell onClick={(event) => event.stopPropagation()}>
        <Checkbox aria-label={format(t.selectRow, { name: item.companyName })} checked={selected} onChange={(_event, data) => onSelect([item.id], data.checked === true)} />
      </TableCell>
      <TableCell>
        <TableCellLayout
          description={<span className={styles.secondary}>{[item.code, item.legalForm].filter(Boolean).join(' · ')}</span>}
        >
          <Link
            as="button"
            className={styles.companyName}
            aria-label={format(t.open, { name: item.companyName })}
            onClick={(event) => {
              event.stopPropagation();
              onOpen(item.id);
            }}
          >
            {item.companyName}
          </Link>
        </TableCellLayout>
      </TableCell>
      <TableCell>
        <TableCellLayout
          description={<span className={styles.secondary}>{item.contacts.primary ? format(t.primary, { name: item.contacts.primary.name }) : t.noPrimary}</span>}
        >
          {countText}
        </TableCellLayout>
      </TableCell>
      {columnsByView[view].map((column) => (
        <TableCell key={column.id}>{column.render(item, cells)}</TableCell>
      ))}
    </TableRow>
  );
}
