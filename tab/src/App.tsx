import { FluentProvider, MessageBar, MessageBarBody, Tab, TabList, Text, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { PortfolioApi, type BulkSelection, type MeView, type OfferView } from './api';
import { useAppStyles } from './App.styles';
import { AuditJournal } from './components/AuditJournal';
import { SupportQueue } from './components/SupportQueue';
import { BulkInvitations } from './components/BulkInvitations';
import { ClientDrawer } from './components/ClientDrawer';
import { HelpCenter } from './components/HelpCenter';
import { ImportDialog } from './components/ImportDialog';
import { GuestReview } from './components/GuestReview';
import { LegalFooter } from './components/LegalFooter';
import { Pager } from './components/Pager';
import { portfolioViews, type PortfolioView } from './components/PortfolioColumns';
import { ShineDialog, type ShineTarget } from './components/ShineDialog';
import { SettingsPage } from './components/SettingsPage';
import { PortfolioTable } from './components/PortfolioTable';
import { PortfolioToolbar } from './components/PortfolioToolbar';
import { LanguageContext, languageFor } from './i18n';
import type { HostContext, ThemeName } from './teams';
import { usePortfolio } from './usePortfolio';

const themes = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;
const viewStorageKey = 'passerelle.portfolioView';

/** The column set last chosen on this device: staff who work on equipment find it again. */
function storedView(): PortfolioView {
  try {
    const stored = window.localStorage.getItem(viewStorageKey);
    return (portfolioViews as readonly string[]).includes(stored ?? '') ? (stored as PortfolioView) : 'onboarding';
  } catch {
    return 'onboarding';
  }
}

export function App({ host }: { host: HostContext }) {
  const styles = useAppStyles();
  const [theme, setTheme] = useState<ThemeName>(host.theme);
  const language = useMemo(() => languageFor(host.locale), [host.locale]);
  const api = useMemo(() => new PortfolioApi(host.getToken, host.locale), [host]);
  const portfolio = usePortfolio(api);
  const [openClientId, setOpenClientId] = useState<string | null>(null);
  const [view, setView] = useState<PortfolioView>(storedView);
  const chooseView = useCallback((next: PortfolioView) => {
    setView(next);
    try {
      window.localStorage.setItem(viewStorageKey, next);
    } catch {
      // Storage refused (private mode): the choice lasts until the tab is closed.
    }
  }, []);
  const [shineTarget, setShineTarget] = useState<ShineTarget | null>(null);
  const [section, setSection] = useState<'portfolio' | 'help' | 'journal' | 'review' | 'support' | 'settings'>('portfolio');
  // Until /api/me answers nothing is offered: the routes would refuse anyway.
  const [me, setMe] = useState<Pick<MeView, 'can' | 'canEdit'>>({ canEdit: false, can: { invite: false, proposeOffers: false, proposePaidOffers: false, activatePartnerApps: false, readAudit: false, editHelpArticles: false, support: false, administer: false } });
  const { can } = me;
  useEffect(() => {
    const controller = new AbortController();
    api.me(controller.signal).then(setMe, () => undefined);
    return () => controller.abort();
  }, [api]);
  const [offers, setOffers] = useState<OfferView[]>([]);
  // Bumped when the Paramètres page changes the catalogue: the table, filter and bulk proposals read it again.
  const [catalogueVersion, setCatalogueVersion] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    // Without the catalogue the table shows offer ids and the filter lists « Sans offre » only: still usable.
    api.offers(controller.signal).then((answer) => setOffers(answer.items), () => undefined);
    return () => controller.abort();
  }, [api, catalogueVersion]);
  const offerNames = useMemo(() => new Map(offers.map((offer) => [offer.id, offer.name])), [offers]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const select = useCallback((ids: string[], checked: boolean) => {
    // Unticking a row means « not all of them » any more.
    if (!checked) setAllMatching(false);
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) (checked ? next.add(id) : next.delete(id));
      return next;
    });
  }, []);
  const clearSelection = useCallback(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, []);
  // « All matching » is about one view: another search, filter or sort ends it.
  const viewKey = JSON.stringify({ ...portfolio.request, page: 0 });
  useEffect(() => setAllMatching(false), [viewKey]);
  const pageData = portfolio.state.status === 'ready' ? portfolio.state.data : undefined;
  const pageFullySelected = Boolean(pageData && pageData.items.length > 0 && pageData.items.every((item) => selected.has(item.id)));
  const selection: BulkSelection =
    allMatching && pageData ? { kind: 'allMatching', request: portfolio.request, total: pageData.total } : { kind: 'ids', ids: [...selected] };
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
        <TabList selectedValue={section} onTabSelect={(_event, data) => setSection(data.value as 'portfolio' | 'help' | 'journal' | 'review' | 'support' | 'settings')} aria-label={t.sections.label} size="large">
          <Tab value="portfolio">{t.sections.portfolio}</Tab>
          <Tab value="help">{t.sections.help}</Tab>
          {can.support && <Tab value="support">{t.sections.support}</Tab>}
          {can.readAudit && <Tab value="journal">{t.sections.journal}</Tab>}
          {can.invite && <Tab value="review">{t.sections.review}</Tab>}
          {can.administer && <Tab value="settings">{t.sections.settings}</Tab>}
        </TabList>
        {section === 'settings' && can.administer ? (
          <main className={styles.surface}>
            <SettingsPage api={api} onCatalogueChanged={() => setCatalogueVersion((version) => version + 1)} />
          </main>
        ) : section === 'help' ? (
          <main className={styles.surface}>
            <HelpCenter api={api} canEdit={can.editHelpArticles} />
          </main>
        ) : section === 'support' && can.support ? (
          <main className={styles.surface}>
            <SupportQueue api={api} />
          </main>
        ) : section === 'review' && can.invite ? (
          <main className={styles.surface}>
            <GuestReview api={api} />
          </main>
        ) : section === 'journal' && can.readAudit ? (
          <main className={styles.surface}>
            <AuditJournal api={api} />
          </main>
        ) : (
        <main className={styles.surface}>
          <PortfolioToolbar request={portfolio.request} searchText={portfolio.searchText} onSearchText={portfolio.setSearchText} onChange={portfolio.update} onExport={exportView} importSlot={<ImportDialog api={api} onImported={reload} />} offers={offers} />
          {exportError && (
            <MessageBar intent="error">
              <MessageBarBody>{exportError}</MessageBarBody>
            </MessageBar>
          )}
          <BulkInvitations
            api={api}
            selection={selection}
            canSelectAllMatching={pageFullySelected && pageData && pageData.total > selected.size ? { total: pageData.total } : null}
            onSelectAllMatching={() => setAllMatching(true)}
            onClear={clearSelection}
            onFinished={reload}
            offers={offers.filter((offer) => !offer.retired && (can.proposePaidOffers || !offer.paid))}
            can={can}
          />
          <TabList selectedValue={view} onTabSelect={(_event, data) => chooseView(data.value as PortfolioView)} aria-label={t.views.label}>
            {portfolioViews.map((name) => (
              <Tab key={name} value={name}>
                {t.views[name]}
              </Tab>
            ))}
          </TabList>
          <PortfolioTable
            onAddShine={can.activatePartnerApps ? (item, use) => setShineTarget({ id: item.id, companyName: item.companyName, use }) : undefined}
            view={view}
            offerNames={offerNames}
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
        )}
        <LegalFooter />
        <ShineDialog api={api} target={shineTarget} onClose={() => setShineTarget(null)} onActivated={reload} />
        <ClientDrawer
          api={api}
          clientId={openClientId}
          onClose={() => setOpenClientId(null)}
          onSaved={reload}
          offerNames={offerNames}
          canEdit={me.canEdit}
          canEndOffers={can.proposeOffers}
        />
        </div>
      </FluentProvider>
    </LanguageContext.Provider>
  );
}
