import { BRIDGE_TOKEN_QUERY } from '../../main/api/transport.js';

const STORAGE_KEY = 'cxr-token';

/** The parts of `window` the token is read from (a parameter so tests can pass their own). */
export type TokenSource = Pick<Window, 'location' | 'history' | 'sessionStorage' | 'document'>;

/**
 * The bridge's per-launch token. `npm start` prints an address ending in `#token=...`: the fragment never reaches a
 * server or a Referer. It is moved into sessionStorage (so a reload keeps working, and the tab forgets it when
 * closed) and removed from the address bar. A `<meta name="cxr-token">` is also accepted, for hosts that inject it.
 */
export function readLaunchToken(win: TokenSource = window): string | null {
  const hash = new URLSearchParams(win.location.hash.replace(/^#/, ''));
  const fromHash = hash.get(BRIDGE_TOKEN_QUERY);
  if (fromHash) {
    try {
      win.sessionStorage.setItem(STORAGE_KEY, fromHash);
    } catch {
      // Storage may be disabled; the token still works for this page.
    }
    hash.delete(BRIDGE_TOKEN_QUERY);
    const rest = hash.toString();
    win.history.replaceState(win.history.state, '', `${win.location.pathname}${win.location.search}${rest ? `#${rest}` : ''}`);
    return fromHash;
  }
  let stored: string | null = null;
  try {
    stored = win.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  if (stored) return stored;
  const meta = win.document.querySelector<HTMLMetaElement>('meta[name="cxr-token"]');
  return meta?.content || null;
}
