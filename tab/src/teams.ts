import { app, authentication } from '@microsoft/teams-js';

/** Where the tab runs: inside Teams (SSO token, Teams theme and locale) or in a plain browser (local mode). */
export type ThemeName = 'light' | 'dark' | 'contrast';

export interface HostContext {
  inTeams: boolean;
  theme: ThemeName;
  locale: string;
  /** The Entra ID token for our API; null in a plain browser, where the server's local user applies. */
  getToken(): Promise<string | null>;
  onThemeChange(handler: (theme: ThemeName) => void): void;
}

const initializeTimeoutMs = 5_000;

export function themeOf(teamsTheme: string | undefined): ThemeName {
  return teamsTheme === 'dark' ? 'dark' : teamsTheme === 'contrast' ? 'contrast' : 'light';
}

function browserContext(): HostContext {
  const params = new URLSearchParams(window.location.search);
  // French first: a plain browser (local mode) stays in French unless ?locale=en-US is asked for.
  const locale = params.get('locale') ?? 'fr-FR';
  const theme = themeOf(params.get('theme') ?? (window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  return { inTeams: false, theme, locale, getToken: async () => null, onThemeChange: () => undefined };
}

export async function connectToHost(): Promise<HostContext> {
  // Outside any frame (plain browser tab) teams-js cannot connect: no need to wait for it.
  const framed = window.self !== window.top || Boolean((window as { nativeInterface?: unknown }).nativeInterface);
  if (!framed) return browserContext();
  try {
    await Promise.race([
      app.initialize(),
      new Promise((_resolve, reject) => setTimeout(() => reject(new Error('Teams ne répond pas')), initializeTimeoutMs)),
    ]);
    const context = await app.getContext();
    app.notifySuccess();
    return {
      inTeams: true,
      theme: themeOf(context.app.theme),
      locale: context.app.locale || 'fr-FR',
      // Teams caches the token and renews it when it expires: asking before each call is the documented way.
      getToken: () => authentication.getAuthToken(),
      onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(themeOf(theme))),
    };
  } catch {
    return browserContext();
  }
}
