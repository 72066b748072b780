import { FluentProvider, MessageBar, MessageBarBody, Text, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { PortfolioApi } from './api';
import { useAppStyles } from './App.styles';
import { BulkInvitations } from './components/BulkInvitations';
import { ClientDrawer } from './components/ClientDrawer';
import { ImportDialog } from './components/ImportDialog';
import { LegalFooter } from './components/LegalFooter';
import { Pager } from './components/Pager';
import { PortfolioTable } from './components/PortfolioTable';
import { PortfolioToolbar } from './components/PortfolioToolbar';
import { LanguageContext, languageFor } from './i18n';
import type { HostContext, ThemeName } from './teams';
import { usePortfolio } from './usePortfolio';

const themes = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;

export function App({ host }: { host: HostContext }) {
  const styles = useAppStyles();
  const [theme, setTheme] = useState<ThemeName>(host.theme);
  const language = useMemo(() => languageFor(host.locale), [host.locale]);
  const api = useMemo(() => new PortfolioApi(host.getToken), [host]);
  const portfolio = usePortfolio(api);
  const [openClientId, setOpenClientId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const select = useCallback((ids: string[], checked: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) (checked ? next.add(id) : next.delete(id));
      return next;
    });
  }, []);
  const clearSelection = useCallback(() => setSelected(new Set()), []);
  const reload = portfolio.reload;
  const [exportError, setExportError] = useState<string | null>(null);
  const exportView = useCallback(async () => {
    setExportError(null);
    try {
      const blob = await api.exportCsv(portfolio.request);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'portefeuille-passerelle.csv';
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (failure) {
      setExportError((failure as Error).message);
    }
  }, [api, portfolio.request]);
  const t = language.texts;

  useEffect(() => host.onThemeChange(setTheme), [host]);

  return (
    <LanguageContext.Provider value={language}>
      <FluentProvider theme={themes[theme]}>
        {/* Styled inside the provider: Fluent copies the provider's classes onto its portals (dropdowns, drawer). */}
        <div className={styles.root}>
        <header className={styles.header}>
          <Text as="h1" size={600} weight="semibold">
            {t.title}
          </Text>
          <Text className={styles.subtitle}>{t.subtitle}</Text>
        </header>
        {!host.inTeams && (
          <MessageBar intent="info">
            <MessageBarBody>{t.localMode}</MessageBarBody>
          </MessageBar>
        )}
        <main className={styles.surface}>
          <PortfolioToolbar request={portfolio.request} searchText={portfolio.searchText} onSearchText={portfolio.setSearchText} onChange={portfolio.update} onExport={exportView} importSlot={<ImportDialog api={api} onImported={reload} />} />
          {exportError && (
            <MessageBar intent="error">
              <MessageBarBody>{exportError}</MessageBarBody>
            </MessageBar>
          )}
          <BulkInvitations api={api} selected={[...selected]} onClear={clearSelection} onFinished={reload} />
          <PortfolioTable
            state={portfolio.state}
            request={portfolio.request}
            onOpen={setOpenClientId}
            onSort={portfolio.update}
            onRetry={portfolio.reload}
            selected={selected}
            onSelect={select}
          />
          <Pager state={portfolio.state} request={portfolio.request} onPage={portfolio.goToPage} onPageSize={(pageSize) => portfolio.update({ pageSize })} />
        </main>
        <LegalFooter />
        <ClientDrawer api={api} clientId={openClientId} onClose={() => setOpenClientId(null)} onSaved={reload} />
        </div>
      </FluentProvider>
    </LanguageContext.Provider>
  );
}
