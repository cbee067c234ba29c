import type { CoreClient } from './coreClient.js';

/**
 * Whether this page's bridge session has ended: the token it carries is not the one of the running workstation (a
 * restart makes a new one, an old bookmark or a mistyped `#token=` has the wrong one). The bridge checks the token of
 * every `/files/` request before looking the path up, so asking for a path that does not exist answers 401 with a
 * wrong token and 404 with the right one. Electron pages have no token and no such session: never ended.
 */
export async function sessionEnded(client: CoreClient, win: Window = window): Promise<boolean> {
  if (win.cxr) return false;
  try {
    const res = await fetch(client.resourceUrl('/files/session-check'), { method: 'HEAD', cache: 'no-store' });
    return res.status === 401;
  } catch {
    // The workstation is not answering at all: that is said where the calls fail, not here.
    return false;
  }
}
