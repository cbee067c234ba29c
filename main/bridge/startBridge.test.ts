import { request as httpRequest } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CoreApi } from '../api/contract.js';
import type { Resource } from '../platform/resources.js';
import { EventBus } from '../platform/eventBus.js';
import { JobRunner } from '../platform/jobRunner.js';
import { createJobService } from '../core/jobService.js';
import { startBridge, type Bridge } from './startBridge.js';
import type { BridgeCore } from './types.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Raw HTTP so that Host, Origin and undecoded paths reach the server exactly as written. */
function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A small core: the real job service, event bus and job runner, and one resource handler recording what it was asked. */
function makeCore() {
  const events = new EventBus();
  const jobs = new JobRunner(events, 0);
  const api = createJobService({ jobs }) as unknown as CoreApi;
  const asked: string[] = [];
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 250]);
  const core: BridgeCore = {
    api,
    subscribe: (name, fn) => events.subscribe(name, fn),
    async resource(path): Promise<Resource | null> {
      asked.push(path);
      const url = new URL(path, 'http://local');
      if (url.pathname === '/files/test/image.png') {
        return { contentType: 'image/png', body: png, headers: { 'X-Frame-Size': url.searchParams.get('size') ?? 'full' } };
      }
      return null;
    },
  };
  return { core, jobs, asked, png };
}

describe('startBridge', () => {
  let bridge: Bridge;
  let fixture: ReturnType<typeof makeCore>;
  let staticDir: string;
  let host: string;
  const auth = () => ({ 'x-cxr-token': bridge.token, host });

  beforeAll(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'cxr-bridge-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>cxr</title>');
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'cxr-bridge-outside.txt'), 'secret');
    fixture = makeCore();
    bridge = await startBridge({ core: fixture.core, staticDir, validateOutputs: true });
    host = `127.0.0.1:${bridge.port}`;
  });

  afterAll(async () => {
    await bridge.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only, with a long random token', async () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/`);
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bridge.launchUrl).toBe(`${bridge.url}#token=${bridge.token}`);
    const other = await startBridge({ core: fixture.core });
    expect(other.token).not.toBe(bridge.token);
    await other.close();
  });

  it('cannot be reached on a non-loopback address of this machine', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) return; // no network interface besides loopback: nothing else to reach it on
    const attempt = new Promise((resolve, reject) => {
      const req = httpRequest({ host: external.address, port: bridge.port, path: '/', timeout: 2000 }, resolve);
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.end();
    });
    await expect(attempt).rejects.toThrow(/ECONNREFUSED|timeout/);
  });

  it('answers an operation with the result envelope when the token is right', async () => {
    const res = await send(bridge.port, {
      method: 'POST',
      path: '/api/jobs:list',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true, value: [] });
  });

  it('refuses a missing or wrong token on HTTP', async () => {
    const noToken = await send(bridge.port, { method: 'POST', path: '/api/jobs:list', headers: { host, 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    const wrong = await send(bridge.port, {
      method: 'POST',
      path: '/api/jobs:list',
      headers: { host, 'x-cxr-token': `${bridge.token.slice(0, -1)}x`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    // The query is accepted for GET of files (img tags) but not for the API.
    const inQuery = await send(bridge.port, {
      method: 'POST',
      path: `/api/jobs:list?token=${bridge.token}`,
      headers: { host, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(inQuery.status).toBe(401);
    const fileNoToken = await send(bridge.port, { path: '/files/test/image.png', headers: { host } });
    expect(fileNoToken.status).toBe(401);
    expect(fixture.asked).toEqual([]);
  });

  it('refuses other origins and foreign Host names (DNS rebinding)', async () => {
    const evil = await send(bridge.port, {
      method: 'POST',
      path: '/api/jobs:list',
      headers: { ...auth(), origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(evil.status).toBe(403);
    const own = await send(bridge.port, {
      method: 'POST',
      path: '/api/jobs:list',
      headers: { ...auth(), origin: `http://127.0.0.1:${bridge.port}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(own.status).toBe(200);
    const rebound = await send(bridge.port, { path: '/', headers: { host: `evil.example:${bridge.port}` } });
    expect(rebound.status).toBe(403);
  });

  it('accepts a configured extra origin (a dev server proxying here), still only with the token', async () => {
    const dev = await startBridge({ core: fixture.core, allowedOrigins: ['http://localhost:5173/'] });
    const devHost = `127.0.0.1:${dev.port}`;
    const post = (headers: Record<string, string>) =>
      send(dev.port, { method: 'POST', path: '/api/jobs:list', headers: { host: devHost, 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await post({ origin: 'http://localhost:5173', 'x-cxr-token': dev.token })).status).toBe(200);
    expect((await post({ origin: 'http://localhost:5173' })).status).toBe(401);
    expect((await post({ origin: 'http://localhost:5174', 'x-cxr-token': dev.token })).status).toBe(403);
    await dev.close();
  });

  it('refuses requests that are not JSON (HTML forms cannot send JSON)', async () => {
    const form = await send(bridge.port, {
      method: 'POST',
      path: '/api/jobs:list',
      headers: { ...auth(), 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(415);
  });

  it('gives invalid_input for input that breaks the contract, and not_found for an unknown operation', async () => {
    const bad = await send(bridge.port, {
      method: 'POST',
      path: '/api/jobs:get',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ jobId: 42 }),
    });
    const badResult = JSON.parse(bad.body.toString());
    expect(badResult.ok).toBe(false);
    expect(badResult.error.code).toBe('invalid_input');
    expect(badResult.error.message).toContain('jobs:get');
    const notJson = await send(bridge.port, {
      method: 'POST',
      path: '/api/jobs:get',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{"jobId":',
    });
    expect(JSON.parse(notJson.body.toString()).error.code).toBe('invalid_input');
    const unknown = await send(bridge.port, {
      method: 'POST',
      path: '/api/nothing:here',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(JSON.parse(unknown.body.toString()).error.code).toBe('not_found');
  });

  it('streams resource bytes with their content type and no caching, token in the query', async () => {
    const res = await send(bridge.port, { path: `/files/test/image.png?size=256&token=${bridge.token}`, headers: { host } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-frame-size']).toBe('256');
    expect(res.body.equals(fixture.png)).toBe(true);
    // The token is not passed on to the core.
    expect(fixture.asked.at(-1)).toBe('/files/test/image.png?size=256');
    const missing = await send(bridge.port, { path: '/files/test/none.png', headers: auth() });
    expect(missing.status).toBe(404);
  });

  it('refuses path traversal for resources and static files', async () => {
    const before = fixture.asked.length;
    for (const path of ['/files/..%2f..%2fetc%2fpasswd', '/files/test/..%2F..%2Fsecret', '/files/test/%2e%2e%5csecret', '/files/a%00b']) {
      const res = await send(bridge.port, { path, headers: auth() });
      expect(res.status, path).toBe(400);
    }
    expect(fixture.asked.length).toBe(before);
    const outside = await send(bridge.port, { path: '/..%2fcxr-bridge-outside.txt', headers: { host } });
    expect(outside.status).toBe(404);
    expect(outside.body.toString()).not.toContain('secret');
  });

  it('serves the renderer with a strict CSP and no inline script', async () => {
    const page = await send(bridge.port, { path: '/', headers: { host } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const js = await send(bridge.port, { path: '/assets/app.js', headers: { host } });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body.toString()).toBe('console.log(1)');
  });

  it('says how to build the renderer when there is none', async () => {
    const bare = await startBridge({ core: fixture.core });
    const res = await send(bare.port, { path: '/', headers: { host: `127.0.0.1:${bare.port}` } });
    expect(res.status).toBe(503);
    expect(res.body.toString()).toContain('npm run build:renderer');
    await bare.close();
  });

  describe('WebSocket', () => {
    const open = (query: string, origin?: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws${query}`, origin ? { origin } : {});
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
        ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      });
    const nextMessage = (ws: WebSocket, match: (m: Record<string, unknown>) => boolean) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const onMessage = (data: Buffer) => {
          const m = JSON.parse(data.toString());
          if (match(m)) {
            ws.off('message', onMessage);
            resolve(m);
          }
        };
        ws.on('message', onMessage);
      });

    it('refuses an upgrade without the right token or from another origin', async () => {
      await expect(open('')).rejects.toThrow('HTTP 401');
      await expect(open('?token=nope')).rejects.toThrow('HTTP 401');
      await expect(open(`?token=${bridge.token}`, 'http://evil.example')).rejects.toThrow('HTTP 403');
      const ok = await open(`?token=${bridge.token}`, `http://127.0.0.1:${bridge.port}`);
      ok.close();
    });

    it('answers calls by id, validating input', async () => {
      const ws = await open(`?token=${bridge.token}`);
      const reply = nextMessage(ws, (m) => m.id === 7);
      ws.send(JSON.stringify({ id: 7, op: 'jobs:get', input: {} }));
      const result = (await reply).result as { ok: boolean; error: { code: string } };
      expect(result.ok).toBe(false);
      expect(result.error.code).toBe('invalid_input');
      const listed = nextMessage(ws, (m) => m.id === 'a');
      ws.send(JSON.stringify({ id: 'a', op: 'jobs:list', input: {} }));
      expect((await listed).result).toMatchObject({ ok: true });
      const complaint = nextMessage(ws, (m) => 'error' in m);
      ws.send('not json');
      expect((await complaint).error).toMatchObject({ code: 'invalid_input' });
      ws.close();
    });

    it('pushes subscribed events and stops after unsubscribe', async () => {
      const ws = await open(`?token=${bridge.token}`);
      const unknown = nextMessage(ws, (m) => 'error' in m);
      ws.send(JSON.stringify({ subscribe: 'nothing:onDidHappen' }));
      expect((await unknown).error).toMatchObject({ code: 'not_found' });

      ws.send(JSON.stringify({ subscribe: 'jobs:onDidFinish' }));
      // A round trip guarantees the subscription is in place before the job starts.
      const ack = nextMessage(ws, (m) => m.id === 1);
      ws.send(JSON.stringify({ id: 1, op: 'jobs:list' }));
      await ack;
      const finished = nextMessage(ws, (m) => m.event === 'jobs:onDidFinish');
      const job = fixture.jobs.start('import', async () => 'all done');
      const event = await finished;
      expect(event.payload).toMatchObject({ id: job.id, state: 'done', message: 'all done' });

      ws.send(JSON.stringify({ unsubscribe: 'jobs:onDidFinish' }));
      const received: unknown[] = [];
      ws.on('message', (d: Buffer) => received.push(JSON.parse(d.toString())));
      const ack2 = nextMessage(ws, (m) => m.id === 2);
      ws.send(JSON.stringify({ id: 2, op: 'jobs:list' }));
      await ack2;
      const second = fixture.jobs.start('import', async () => undefined);
      await fixture.jobs.wait(second.id);
      const ack3 = nextMessage(ws, (m) => m.id === 3);
      ws.send(JSON.stringify({ id: 3, op: 'jobs:list' }));
      await ack3;
      expect(received.filter((m) => (m as { event?: string }).event)).toEqual([]);
      ws.close();
    });
  });
});
