// The access token lives in memory; sessionStorage only when the user opts in.
import type { AppStore, TokenSetting } from './types';
import { originOf } from './hubUrl';

/** The token to send to `hubUrl`: only to the origin it was entered for. */
export function tokenFor(store: AppStore, hubUrl: string): string | undefined {
  const t = store.getState().token;
  return t && t.token && t.origin === originOf(hubUrl) ? t.token : undefined;
}

const KEY = 'normscope.token';

export function loadRememberedToken(): TokenSetting | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<TokenSetting>;
    if (typeof parsed.token !== 'string' || typeof parsed.origin !== 'string') return null;
    return { token: parsed.token, origin: parsed.origin, remember: true };
  } catch {
    return null;
  }
}

export function persistToken(setting: TokenSetting | null): void {
  try {
    if (setting && setting.remember && setting.token) window.sessionStorage.setItem(KEY, JSON.stringify(setting));
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: the token simply stays in memory
  }
}
