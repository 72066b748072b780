import { Button, Label, Select, Text, Tooltip, useId } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import { ArrowNextRegular, ArrowPreviousRegular, ChevronLeftRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { pageSizes, type PortfolioRequest } from '../api';
import { format, formatNumber, useLanguage } from '../i18n';
import type { LoadState } from '../usePortfolio';
import { usePagerStyles } from './Pager.styles';

export interface PagerProps {
  state: LoadState;
  request: PortfolioRequest;
  onPage(page: number): void;
  onPageSize(pageSize: number): void;
}

/** "1-10 sur 4 537", the page size and the way between pages; the server does the paging. */
export function Pager({ state, request, onPage, onPageSize }: PagerProps) {
  const styles = usePagerStyles();
  const language = useLanguage();
  const t = language.texts;
  const sizeLabel = useId('page-size');
  const data = state.status === 'ready' ? state.data : state.status === 'loading' ? state.previous : undefined;
  const total = data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / request.pageSize));
  const from = total === 0 ? 0 : (request.page - 1) * request.pageSize + 1;
  const to = Math.min(total, request.page * request.pageSize);
  const range = total === 0 ? t.rangeEmpty : format(t.range, { from: formatNumber(from, language), to: formatNumber(to, language), total: formatNumber(total, language) });
  const nav = (label: string, icon: ReactElement, page: number, disabled: boolean) => (
    <Tooltip content={label} relationship="label">
      <Button appearance="subtle" icon={icon} disabled={disabled} onClick={() => onPage(page)} />
    </Tooltip>
  );

  return (
    <nav className={styles.root} aria-label={t.pagination}>
      <div className={styles.size}>
        <Label htmlFor={sizeLabel}>{t.pageSize}</Label>
        <Select className={styles.sizeDropdown} id={sizeLabel} value={String(request.pageSize)} onChange={(_event, data) => onPageSize(Number(data.value))}>
          {pageSizes.map((size) => (
            <option key={size} value={String(size)}>
              {String(size)}
            </option>
          ))}
        </Select>
      </div>
      <Text className={styles.range} role="status" aria-live="polite" data-testid="range">
        {range}
      </Text>
      <div className={styles.buttons}>
        {nav(t.firstPage, <ArrowPreviousRegular />, 1, request.page <= 1)}
        {nav(t.previousPage, <ChevronLeftRegular />, request.page - 1, request.page <= 1)}
        <Text aria-hidden="true">{format(t.pageOf, { page: formatNumber(request.page, language), pages: formatNumber(pages, language) })}</Text>
        {nav(t.nextPage, <ChevronRightRegular />, request.page + 1, request.page >= pages)}
        {nav(t.lastPage, <ArrowNextRegular />, pages, request.page >= pages)}
      </div>
    </nav>
  );
}
