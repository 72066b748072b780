import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, PortfolioApi, type PortfolioPageView, type PortfolioRequest } from './api';

export const searchDebounceMs = 300;

export type LoadState =
  | { status: 'loading'; previous?: PortfolioPageView }
  | { status: 'ready'; data: PortfolioPageView }
  | { status: 'error'; message: string };

/** The table's request and its answer: search debounced, stale answers dropped, every change back to page 1. */
export function usePortfolio(api: PortfolioApi) {
  const [request, setRequest] = useState<PortfolioRequest>({
    page: 1,
    pageSize: 10,
    search: '',
    states: [],
    offers: [],
    missingSiret: false,
    missingPrimaryContact: false,
    sort: 'name',
    direction: 'asc',
  });
  const [searchText, setSearchText] = useState('');
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [reloads, setReloads] = useState(0);
  const lastData = useRef<PortfolioPageView | undefined>(undefined);

  useEffect(() => {
    if (searchText === request.search) return;
    const timer = setTimeout(() => setRequest((current) => ({ ...current, search: searchText, page: 1 })), searchDebounceMs);
    return () => clearTimeout(timer);
  }, [searchText, request.search]);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading', previous: lastData.current });
    api.list(request, controller.signal).then(
      (data) => {
        lastData.current = data;
        setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', message: error instanceof ApiError ? error.message : String((error as Error)?.message ?? error) });
      },
    );
    return () => controller.abort();
  }, [api, request, reloads]);

  const actions = useMemo(
    () => ({
      setSearchText,
      update: (change: Partial<Omit<PortfolioRequest, 'page'>>) => setRequest((current) => ({ ...current, ...change, page: 1 })),
      goToPage: (page: number) => setRequest((current) => ({ ...current, page })),
      reload: () => setReloads((count) => count + 1),
    }),
    [],
  );
  return { request, searchText, state, ...actions };
}
