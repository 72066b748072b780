import type { ReactNode } from 'react';
import { Button, Checkbox, Dropdown, Field, Option, SearchBox, Select } from '@fluentui/react-components';
import { filterableStates, type OfferView, type OnboardingState, type PortfolioRequest } from '../api';
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
  /** The firm's catalogue, for the offer filter. */
  offers: OfferView[];
}

/** Search as you type, onboarding-state filter, missing SIRET / primary contact, sort. */
export function PortfolioToolbar({ request, searchText, onSearchText, onChange, onExport, importSlot, offers }: PortfolioToolbarProps) {
  const styles = usePortfolioToolbarStyles();
  const { texts: t } = useLanguage();
  const sortKey = `${request.sort}.${request.direction}` as SortKey;
  const filtered = request.states.length > 0 || request.offers.length > 0 || request.missingSiret || request.missingPrimaryContact || searchText !== '';

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
      <MultiSelectFilter
        label={t.stateFilter}
        placeholder={t.stateFilterPlaceholder}
        options={filterableStates.map((state) => ({ value: state, label: t.states[state] }))}
        selected={request.states}
        onSelect={(states) => onChange({ states: states as OnboardingState[] })}
      />
      <MultiSelectFilter
        label={t.offerFilter}
        placeholder={t.offerFilterPlaceholder}
        options={[...offers.map((offer) => ({ value: offer.id, label: offer.name })), { value: 'none', label: t.noOffer }]}
        selected={request.offers}
        onSelect={(selected) => onChange({ offers: selected })}
      />
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
            onChange({ states: [], offers: [], missingSiret: false, missingPrimaryContact: false, search: '' });
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

interface MultiSelectFilterProps {
  label: string;
  placeholder: string;
  options: { value: string; label: string }[];
  selected: string[];
  onSelect(selected: string[]): void;
}

/** A labelled multi-select: the chosen options' names shown in the field, keyboard-operable like every Fluent dropdown. */
function MultiSelectFilter({ label, placeholder, options, selected, onSelect }: MultiSelectFilterProps) {
  const styles = usePortfolioToolbarStyles();
  const labelOf = (value: string) => options.find((option) => option.value === value)?.label ?? value;
  return (
    <Field label={label}>
      <Dropdown
        className={styles.dropdown}
        multiselect
        placeholder={placeholder}
        selectedOptions={selected}
        value={selected.map(labelOf).join(', ')}
        onOptionSelect={(_event, data) => onSelect(data.selectedOptions)}
      >
        {options.map((option) => (
          <Option key={option.value} value={option.value}>
            {option.label}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
