/**
 * The bridge's session check: `GET /session` with the page's token in the `x-cxr-token` header answers 204 while the
 * token is this launch's, 401 once it is not (the workstation restarted, an old or mistyped address), so the page can
 * say so instead of showing an empty worklist. Electron pages have no bridge session.
 */
export const SESSION_PATH = '/session';
