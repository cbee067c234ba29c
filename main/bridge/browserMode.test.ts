import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBrowserMode } from './browserMode.js';

describe('startBrowserMode', () => {
  const root = mkdtempSync(join(tmpdir(), 'cxr-browser-mode-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs the real core behind the bridge and prints the address with its token', async () => {
    const rendererDir = join(root, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>CXR</title>');
    const mode = await startBrowserMode({ dataDir: join(root, 'data'), modelsDirs: [join(root, 'models')], rendererDir });
    try {
      expect(mode.rendererMissing).toBe(false);
      expect(mode.banner).toContain('Electron is not available on this machine');
      expect(mode.banner).toContain(`http://127.0.0.1:${mode.bridge.port}/#token=${mode.bridge.token}`);
      expect(mode.banner).toContain('Ctrl+C');
      const page = await fetch(mode.bridge.url);
      expect(await page.text()).toContain('<title>CXR</title>');
      const res = await fetch(`${mode.bridge.url}api/jobs:list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cxr-token': mode.bridge.token },
        body: '{}',
      });
      expect(await res.json()).toEqual({ ok: true, value: [] });
    } finally {
      await mode.close();
    }
    await expect(fetch(mode.bridge.url)).rejects.toThrow();
  });

  it('says how to build the interface when it is missing', async () => {
    const mode = await startBrowserMode({ dataDir: join(root, 'data2'), modelsDirs: [], rendererDir: join(root, 'none') });
    try {
      expect(mode.rendererMissing).toBe(true);
      expect(mode.banner).toContain('npm run build:renderer');
    } finally {
      await mode.close();
    }
  });

  it('refuses a port that is taken, with a clear message, and leaves nothing open', async () => {
    const first = await startBrowserMode({ dataDir: join(root, 'data3'), modelsDirs: [], rendererDir: join(root, 'none') });
    try {
      await expect(
        startBrowserMode({ dataDir: join(root, 'data4'), modelsDirs: [], rendererDir: join(root, 'none'), port: first.bridge.port }),
      ).rejects.toThrow(`port ${first.bridge.port} on 127.0.0.1 is already in use`);
    } finally {
      await first.close();
    }
  });
});
