import type { ReactNode } from 'react';
import { Button, Checkbox, Dropdown, Field, Option, SearchBox, Select } from '@fluentui/react-components';
import { filterableStates, type OnboardingState, type PortfolioRequest } from '../api';
import { useLanguage } from '../i18n';
import { usePortfolioToolbarStyles } from './PortfolioToolbar.styles';

type SortKey = 'name.asc' | 'name.desc' | 'code.asc' | 'code.desc';

export interface PortfolioToolbarProps {
  /** Downloads the current view as CSV. */
  onExport(): void;
  /** The import button (its dialog lives with the App's API). */
  importSlot?: ReactNode;
  request: PortfolioRequest;
  searchText: string;
  onSearchText(text: string): void;
  onChange(change: Partial<Omit<PortfolioRequest, 'page'>>): void;
}

/** Search as you type, onboarding-state filter, missing SIRET / primary contact, sort. */
export function PortfolioToolbar({ request, searchText, onSearchText, onChange, onExport, importSlot }: PortfolioToolbarProps) {
  const styles = usePortfolioToolbarStyles();
  const { texts: t } = useLanguage();
  const sortKey = `${request.sort}.${request.direction}` as SortKey;
  const filtered = request.states.length > 0 || request.missingSiret || request.missingPrimaryContact || searchText !== '';

  return (
    <div className={styles.root} role="search">
      <Field label={t.searchLabel} className={styles.search}>
        <SearchBox
          className={styles.searchBox}
          placeholder={t.searchPlaceholder}
          value={searchText}
          maxLength={100}
          onChange={(_event, data) => onSearchText(data.value)}
        />
      </Field>
      <Field label={t.stateFilter}>
        <Dropdown
          className={styles.dropdown}
          multiselect
          placeholder={t.stateFilterPlaceholder}
          selectedOptions={request.states}
          value={request.states.map((state) => t.states[state]).join(', ')}
          onOptionSelect={(_event, data) => onChange({ states: data.selectedOptions as OnboardingState[] })}
        >
          {filterableStates.map((state) => (
            <Option key={state} value={state}>
              {t.states[state]}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <div className={styles.checks}>
        <Checkbox label={t.missingSiret} checked={request.missingSiret} onChange={(_event, data) => onChange({ missingSiret: data.checked === true })} />
        <Checkbox label={t.missingPrimary} checked={request.missingPrimaryContact} onChange={(_event, data) => onChange({ missingPrimaryContact: data.checked === true })} />
      </div>
      <Field label={t.sortLabel}>
        <Select
          className={styles.dropdown}
          value={sortKey}
          onChange={(_event, data) => {
            const [sort, direction] = data.value.split('.') as [PortfolioRequest['sort'], PortfolioRequest['direction']];
            onChange({ sort, direction });
          }}
        >
          {(Object.keys(t.sortOptions) as SortKey[]).map((key) => (
            <option key={key} value={key}>
              {t.sortOptions[key]}
            </option>
          ))}
        </Select>
      </Field>
      {filtered && (
        <Button
          appearance="subtle"
          onClick={() => {
            onSearchText('');
            onChange({ states: [], missingSiret: false, missingPrimaryContact: false, search: '' });
          }}
        >
          {t.resetFilters}
        </Button>
      )}
      <Button onClick={onExport}>{t.exportCsv}</Button>
      {importSlot}
    </div>
  );
}
