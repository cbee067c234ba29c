import type { Session, WebContents } from 'electron';

/**
 * Session-wide rules: every response carries the app's CSP (in addition to the one the protocol handler sets), and
 * no web permission (camera, geolocation, notifications, ...) is ever granted.
 */
export function hardenSession(session: Session, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Per web contents: no navigation or redirect away from the app, no new windows, no <webview>. Installed from
 * `app.on('web-contents-created')` so it covers every contents Electron ever creates.
 */
export function guardWebContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  const blockForeign = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      console.warn(`[security] blocked navigation to ${url}`);
    }
  };
  contents.on('will-navigate', (event, url) => blockForeign(event, url));
  contents.on('will-redirect', (event, url) => blockForeign(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    console.warn(`[security] blocked a new window for ${url}`);
    return { action: 'deny' };
  });
}
