import { SESSION_PATH } from '../../main/api/session.js';
import { BRIDGE_TOKEN_HEADER } from '../../main/api/transport.js';
import { readLaunchToken } from '../transport/index.js';

/**
 * Whether this page's bridge session has ended: the token it carries is not the one of the running workstation (a
 * restart makes a new one; an old bookmark or a mistyped `#token=` has the wrong one). Asked of the bridge's
 * session check (main/api/session.ts). Electron pages have no token and no such session: never ended.
 */
export async function sessionEnded(win: Window = window): Promise<boolean> {
  if (win.cxr) return false;
  const token = readLaunchToken(win);
  try {
    const res = await fetch(`${win.location.origin}${SESSION_PATH}`, { headers: token ? { [BRIDGE_TOKEN_HEADER]: token } : {}, cache: 'no-store' });
    return res.status === 401;
  } catch {
    // The workstation is not answering at all: that is said where the calls fail, not here.
    return false;
  }
}
