import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { dispatch } from '../api/dispatch.js';
import type { Result } from '../api/envelope.js';
import { BRIDGE_TOKEN_HEADER, BRIDGE_TOKEN_QUERY } from '../api/transport.js';
import { serveConnection } from './connection.js';
import { contentSecurityPolicy } from '../platform/contentSecurityPolicy.js';
import { createToken, hostAllowed, originAllowed, tokenMatches } from './security.js';
import { isUnsafePath, readStaticFile } from '../platform/staticFiles.js';
import type { BridgeCore } from './types.js';
import { SESSION_PATH } from '../api/session.js';
import { UPLOAD_PATH } from '../api/uploads.js';
import { createUploadRoute, type UploadLimits } from './uploads.js';

/** The only address the bridge listens on. Not an option: patient data must never be reachable from the network. */
export const BRIDGE_HOST = '127.0.0.1';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface BridgeOptions {
  core: BridgeCore;
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
  /** The built renderer (Vite output), served at `/`. Absent: `/` explains how to build it. */
  staticDir?: string;
  /** Parse outputs against the contract too (tests). */
  validateOutputs?: boolean;
  /**
   * Further page origins allowed to call the bridge, e.g. a Vite dev server (`http://localhost:5173`) that proxies
   * `/api`, `/files` and `/ws` here. They still need the token. Never a wildcard.
   */
  allowedOrigins?: string[];
  /** Use this token instead of a random one (tests only). */
  token?: string;
  /**
   * Where browser uploads go (`POST /upload`, `PUT /upload/<batch>`; see main/api/uploads.ts), normally `uploads/` in
   * the data folder. Absent: no upload route.
   */
  uploadsDir?: string;
  uploadLimits?: UploadLimits;
}

export interface Bridge {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  /** The per-launch secret every API, file and WebSocket request must carry. */
  token: string;
  /** The address to open in a browser: the token travels in the fragment, which browsers never send to servers. */
  launchUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the browser-mode transport: HTTP (`POST /api/<operation>`, `GET /files/...`, the renderer at `/`) and a
 * WebSocket at `/ws`, on 127.0.0.1 only, guarded by a per-launch token, an Origin check and a Host check.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { core, staticDir } = options;
  const token = options.token ?? createToken();
  const dispatchOptions = { validateOutput: options.validateOutputs ?? false };
  const extraOrigins = (options.allowedOrigins ?? []).map((o) => new URL(o).origin);
  const upload = options.uploadsDir ? createUploadRoute(options.uploadsDir, options.uploadLimits) : null;
  let port = 0;

  const presentedToken = (req: IncomingMessage, url: URL, allowQuery: boolean): string | null => {
    const header = req.headers[BRIDGE_TOKEN_HEADER];
    if (typeof header === 'string') return header;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length);
    return allowQuery ? url.searchParams.get(BRIDGE_TOKEN_QUERY) : null;
  };

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      console.error('[bridge] request failed:', err);
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res, port);
    if (!hostAllowed(req.headers.host, port)) return sendText(res, 403, 'forbidden host');
    if (!originAllowed(req.headers.origin, port, extraOrigins)) return sendText(res, 403, 'forbidden origin');
    const url = new URL(req.url ?? '/', `http://${BRIDGE_HOST}:${port}`);

    if (url.pathname.startsWith('/api/')) {
      if (!tokenMatches(token, presentedToken(req, url, false))) return sendText(res, 401, 'missing or wrong token');
      return handleApi(req, res, url);
    }
    if (url.pathname.startsWith('/files/')) {
      if (!tokenMatches(token, presentedToken(req, url, true))) return sendText(res, 401, 'missing or wrong token');
      return handleFile(req, res, url);
    }
    if (url.pathname === SESSION_PATH) {
      const ok = tokenMatches(token, presentedToken(req, url, false));
      res.writeHead(ok ? 204 : 401, { 'Cache-Control': 'no-store' });
      return void res.end();
    }
    if (url.pathname === UPLOAD_PATH || url.pathname.startsWith(`${UPLOAD_PATH}/`)) {
      if (!upload) return sendText(res, 404, 'uploads are not enabled on this bridge');
      if (!tokenMatches(token, presentedToken(req, url, false))) return sendText(res, 401, 'missing or wrong token');
      return upload(req, res, url);
    }
    if (url.pathname === '/ws') return sendText(res, 426, 'use a WebSocket upgrade');
    return handleStatic(req, res, url);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST') return sendText(res, 405, 'use POST', { Allow: 'POST' });
    // Requiring JSON keeps HTML forms (which cannot send it) from reaching the API at all.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return sendText(res, 415, 'send Content-Type: application/json');
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) return sendText(res, 413, `request body over ${MAX_BODY_BYTES} bytes`);
    let input: unknown;
    try {
      input = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return sendJson(res, { ok: false, error: { code: 'invalid_input', message: 'request body is not valid JSON' } });
    }
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice('/api/'.length));
    } catch {
      return sendText(res, 400, 'bad operation name');
    }
    sendJson(res, await dispatch(core.api, name, input, dispatchOptions));
  }

  async function handleFile(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'use GET', { Allow: 'GET, HEAD' });
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return sendText(res, 400, 'bad path');
    }
    if (isUnsafePath(pathname)) return sendText(res, 400, 'path not allowed');
    url.searchParams.delete(BRIDGE_TOKEN_QUERY);
    const query = url.searchParams.toString();
    const resource = await core.resource(url.pathname + (query ? `?${query}` : ''));
    if (!resource) return sendText(res, 404, 'no such resource');
    res.writeHead(200, {
      ...resource.headers,
      'Content-Type': resource.contentType,
      'Content-Length': resource.body.length,
      // Patient data: never written to a browser cache; URLs carry a per-launch token anyway.
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : resource.body);
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'use GET', { Allow: 'GET, HEAD' });
    const file = staticDir ? await readStaticFile(staticDir, url.pathname) : null;
    if (!file) {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        return sendText(
          res,
          503,
          `The renderer is not built${staticDir ? ` (nothing at ${staticDir})` : ''}: run "npm run build:renderer", then start again.`,
        );
      }
      return sendText(res, 404, 'not found');
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  wss.on('connection', (ws) => serveConnection(ws, core, dispatchOptions));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${BRIDGE_HOST}:${port}`);
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    if (!hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin, port, extraOrigins)) return refuse(403, 'Forbidden');
    if (!tokenMatches(token, presentedToken(req, url, true))) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolvePromise, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} on ${BRIDGE_HOST} is already in use; choose another with --port or leave it out`)
          : err,
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, BRIDGE_HOST, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${BRIDGE_HOST}:${port}/`;

  return {
    url,
    port,
    token,
    launchUrl: `${url}#${BRIDGE_TOKEN_QUERY}=${token}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolvePromise) => wss.close(() => resolvePromise()));
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}

function setSecurityHeaders(res: ServerResponse, port: number): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy({ connect: [`ws://${BRIDGE_HOST}:${port}`, `ws://localhost:${port}`] }));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Resource URLs carry the token in their query: never let it leave in a Referer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendJson(res: ServerResponse, result: Result<unknown>): void {
  const body = JSON.stringify(result);
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/** The whole body, or null when it is larger than `limit` (the rest is not read). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
