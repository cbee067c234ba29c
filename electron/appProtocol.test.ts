import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Resource } from '../main/platform/resources.js';
import { appSchemePrivileges, createAppProtocolHandler, isAppUrl } from './appProtocol.js';

describe('app protocol (cxr-resource://app)', () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'cxr-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><script type="module" src="./app.js"></script>');
  writeFileSync(join(rendererDir, 'app.js'), 'export {}');
  const asked: string[] = [];
  const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
  const handler = createAppProtocolHandler({
    rendererDir,
    core: {
      async resource(path): Promise<Resource | null> {
        asked.push(path);
        return path.startsWith('/files/instances/1/pixels')
          ? { contentType: 'application/octet-stream', body: bytes, headers: { 'X-Pixel-Format': 'cxrp' } }
          : null;
      },
    },
  });
  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));
  afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

  it('is registered as a standard, secure scheme that fetch may use', () => {
    expect(appSchemePrivileges.scheme).toBe('cxr-resource');
    expect(appSchemePrivileges.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(appSchemePrivileges.privileges?.bypassCSP).toBeFalsy();
  });

  it('serves the renderer with a strict CSP', async () => {
    const res = await get('cxr-resource://app/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self';");
    expect(await res.text()).toContain('app.js');
    expect((await get('cxr-resource://app/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers /files/ from core.resource with its bytes, never cached', async () => {
    const res = await get('cxr-resource://app/files/instances/1/pixels?frame=0');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-pixel-format')).toBe('cxrp');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(asked.at(-1)).toBe('/files/instances/1/pixels?frame=0');
    expect((await get('cxr-resource://app/files/instances/2/pixels')).status).toBe(404);
  });

  it('refuses traversal, other hosts and writes', async () => {
    const before = asked.length;
    expect((await get('cxr-resource://app/files/..%2f..%2fetc%2fpasswd')).status).toBe(400);
    expect((await get('cxr-resource://app/..%2f..%2fetc%2fpasswd')).status).toBe(400);
    expect((await get('cxr-resource://evil/files/instances/1/pixels')).status).toBe(404);
    expect((await get('cxr-resource://app/files/instances/1/pixels', 'POST')).status).toBe(405);
    expect(asked.length).toBe(before);
  });

  it('recognises only its own URLs as the app', () => {
    expect(isAppUrl('cxr-resource://app/index.html#/study/3')).toBe(true);
    expect(isAppUrl('cxr-resource://apps/index.html')).toBe(false);
    expect(isAppUrl('https://app/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
