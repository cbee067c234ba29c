import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBridge, type Bridge } from '../../main/bridge/index.js';
import { createCore, type Core } from '../../main/createCore.js';
import { createBridgeTransport, type BridgeTransport, type WebSocketLike } from '../../renderer/transport/bridgeTransport.js';

/** The renderer's browser transport against the real bridge and a real core (temporary data directory). */
describe('renderer bridge transport ↔ bridge ↔ core', () => {
  let dataDir: string;
  let core: Core;
  let bridge: Bridge;
  let transport: BridgeTransport;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxr-bridge-it-'));
    core = createCore({ dataDir, modelsDirs: [] }, { allowMissing: true });
    bridge = await startBridge({ core, validateOutputs: true });
    transport = createBridgeTransport({
      baseUrl: bridge.url,
      token: bridge.token,
      openSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
    });
  });

  afterAll(async () => {
    transport.close();
    await bridge.close();
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('calls operations and gets contract-checked envelopes back', async () => {
    await expect(transport.invoke('jobs:list', {})).resolves.toEqual({ ok: true, value: [] });
    const bad = await transport.invoke('jobs:get', { jobId: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const missing = await transport.invoke('jobs:get', { jobId: 'nope' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('receives job events it subscribed to', async () => {
    const seen: string[] = [];
    const finished = new Promise<string>((resolve) => {
      const off = transport.subscribe('jobs:onDidFinish', (job) => {
        off();
        resolve(job.id);
      });
    });
    transport.subscribe('jobs:onDidProgress', (job) => seen.push(job.state));
    // The subscription travels on the same socket before this call, so it is in place when the job starts.
    await transport.invoke('jobs:list', {});
    const job = await core.api['import:start']({ paths: [mkdtempSync(join(tmpdir(), 'cxr-empty-'))] });
    await expect(finished).resolves.toBe(job.id);
    expect(seen).toContain('running');
  });

  it('builds resource URLs the bridge accepts (unknown resources are a 404, not a 401)', async () => {
    const ok = await fetch(transport.resourceUrl('/files/none/such.png'));
    expect(ok.status).toBe(404);
    const tokenless = await fetch(`${bridge.url}files/none/such.png`);
    expect(tokenless.status).toBe(401);
  });
});
