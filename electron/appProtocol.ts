import type { CustomScheme } from 'electron';
import { ELECTRON_APP_ORIGIN } from '../main/api/transport.js';
import { contentSecurityPolicy } from '../main/platform/contentSecurityPolicy.js';
import { isUnsafePath, readStaticFile } from '../main/platform/staticFiles.js';
import type { Core } from '../main/createCore.js';

/** The app's own scheme: the renderer is served from `cxr-resource://app/` and its files from `/files/...` under it. */
export const APP_SCHEME = 'cxr-resource';
export const APP_HOST = 'app';
export const APP_INDEX_URL = `${ELECTRON_APP_ORIGIN}/index.html`;

/**
 * Registered before `ready`. `standard` gives the scheme real origins and relative URLs, `secure` makes it a secure
 * context like https, `supportFetchAPI` lets the viewer fetch pixel buffers, `stream` lets large files stream.
 * One origin for the page and its resources means no CORS, and CSP 'self' covers both.
 */
export const appSchemePrivileges: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
};

/** The CSP of the app window: the bridge's policy with connections to the app's own origin only. */
export const appContentSecurityPolicy = contentSecurityPolicy();

/** True for URLs of the app itself; everything else is navigation away and is blocked. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/**
 * The handler given to `protocol.handle(APP_SCHEME, ...)`: `/files/...` answered by `core.resource` (never cached),
 * anything else from the built renderer with the CSP header. Plain fetch-API Request → Response, so it is tested
 * without Electron.
 */
export function createAppProtocolHandler(options: { core: Pick<Core, 'resource'>; rendererDir: string }) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return text(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'use GET');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return text(400, 'bad path');
    }
    if (isUnsafePath(pathname)) return text(400, 'path not allowed');

    if (pathname.startsWith('/files/')) {
      const resource = await options.core.resource(url.pathname + url.search);
      if (!resource) return text(404, 'no such resource');
      return new Response(new Uint8Array(resource.body), {
        status: 200,
        headers: {
          ...resource.headers,
          'Content-Type': resource.contentType,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        },
      });
    }

    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      return pathname === '/' || pathname === '/index.html'
        ? text(503, `The renderer is not built (nothing at ${options.rendererDir}): run "npm run build:renderer".`)
        : text(404, 'not found');
    }
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: {
        'Content-Type': file.contentType,
        'Content-Security-Policy': appContentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  };
}
