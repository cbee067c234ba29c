import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreApi } from '../api/contract.js';
import { UploadBatchSchema, UploadedFileSchema } from '../api/uploads.js';
import { EventBus } from '../platform/eventBus.js';
import { startBridge, type Bridge } from './startBridge.js';
import { safeRelativePath } from './uploads.js';

function send(port: number, o: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: o.method, path: o.path, headers: { Host: `127.0.0.1:${port}`, ...o.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('safeRelativePath', () => {
  it('keeps a folder structure but never a way out of the batch, a hidden name or an odd character', () => {
    expect(safeRelativePath('nih/images/00000001_000.png')).toBe('nih/images/00000001_000.png');
    expect(safeRelativePath('../../etc/passwd')).toBe('etc/passwd');
    expect(safeRelativePath('C:\\Users\\x\\..\\scan.dcm')).toBe('C_/Users/x/scan.dcm');
    expect(safeRelativePath('/abs/.hidden/.bashrc')).toBe('abs/_hidden/_bashrc');
    expect(safeRelativePath('a/b?c*d<e>.dcm')).toBe('a/b_c_d_e_.dcm');
    expect(safeRelativePath('')).toBe('file');
    expect(safeRelativePath('Müller Jörg (2).dcm')).toBe('Müller Jörg (2).dcm');
  });
});

describe('the bridge upload route', () => {
  let bridge: Bridge;
  let dir: string;
  const token = 'upload-test-token';
  const auth = { 'x-cxr-token': token };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-uploads-'));
    const events = new EventBus();
    bridge = await startBridge({
      core: { api: {} as CoreApi, subscribe: (n, f) => events.subscribe(n, f), resource: async () => null },
      token,
      uploadsDir: dir,
      uploadLimits: { maxFileBytes: 1000, maxFiles: 3 },
    });
  });
  afterAll(async () => {
    await bridge.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async () => UploadBatchSchema.parse(JSON.parse((await send(bridge.port, { method: 'POST', path: '/upload', headers: auth })).body));
  const put = (batchId: string, path: string, body: Buffer, headers: Record<string, string> = { ...auth, 'Content-Type': 'application/octet-stream' }) =>
    send(bridge.port, { method: 'PUT', path: `/upload/${batchId}?path=${encodeURIComponent(path)}`, headers, body });

  it('needs the token (in the header, not the query) and refuses another page’s origin', async () => {
    expect((await send(bridge.port, { method: 'POST', path: '/upload' })).status).toBe(401);
    expect((await send(bridge.port, { method: 'POST', path: `/upload?token=${token}` })).status).toBe(401);
    expect((await send(bridge.port, { method: 'POST', path: '/upload', headers: { ...auth, Origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('streams files into a fresh batch folder under the uploads folder, keeping the structure inside it', async () => {
    const batch = await open();
    expect(batch.folder.startsWith(dir)).toBe(true);
    expect(batch.maxFileBytes).toBe(1000);
    const r = await put(batch.batchId, 'nih/images/a.png', Buffer.from('PNGDATA'));
    expect(r.status).toBe(201);
    expect(UploadedFileSchema.parse(JSON.parse(r.body))).toEqual({ path: 'nih/images/a.png', bytes: 7 });
    expect(readFileSync(join(batch.folder, 'nih', 'images', 'a.png'), 'utf8')).toBe('PNGDATA');
    // The same name again: a numbered twin, nothing overwritten.
    expect(JSON.parse((await put(batch.batchId, 'nih/images/a.png', Buffer.from('SECOND'))).body).path).toBe('nih/images/a (2).png');
    expect(readFileSync(join(batch.folder, 'nih', 'images', 'a.png'), 'utf8')).toBe('PNGDATA');
  });

  it('never writes outside the batch, whatever path the client sends', async () => {
    const batch = await open();
    const r = await put(batch.batchId, '../../../outside.dcm', Buffer.from('x'));
    expect(JSON.parse(r.body).path).toBe('outside.dcm');
    expect(existsSync(join(batch.folder, 'outside.dcm'))).toBe(true);
    expect(existsSync(join(dir, 'outside.dcm'))).toBe(false);
  });

  it('refuses a file over the size limit (declared or streamed) and leaves nothing behind; bounds the files per batch', async () => {
    const batch = await open();
    expect((await put(batch.batchId, 'big.dcm', Buffer.alloc(1001))).status).toBe(413);
    expect(readdirSync(batch.folder)).toEqual([]);
    expect((await put(batch.batchId, 'x.dcm', Buffer.from('x'), { ...auth })).status).toBe(415);
    for (const n of [1, 2, 3]) expect((await put(batch.batchId, `f${n}.dcm`, Buffer.from('x'))).status).toBe(201);
    expect((await put(batch.batchId, 'f4.dcm', Buffer.from('x'))).status).toBe(413);
  });

  it('knows only the batches it opened', async () => {
    expect((await put('2024-01-01-deadbeef', 'a.dcm', Buffer.from('x'))).status).toBe(404);
    expect((await put('..%2F..', 'a.dcm', Buffer.from('x'))).status).toBe(404);
  });
});

describe('the bridge session check', () => {
  it('answers 204 with this launch’s token and 401 with any other, so a stale page can say its session ended', async () => {
    const events = new EventBus();
    const bridge = await startBridge({ core: { api: {} as CoreApi, subscribe: (n, f) => events.subscribe(n, f), resource: async () => null }, token: 'right' });
    try {
      expect((await send(bridge.port, { method: 'GET', path: '/session', headers: { 'x-cxr-token': 'right' } })).status).toBe(204);
      expect((await send(bridge.port, { method: 'GET', path: '/session', headers: { 'x-cxr-token': 'stale' } })).status).toBe(401);
      expect((await send(bridge.port, { method: 'GET', path: '/session' })).status).toBe(401);
    } finally {
      await bridge.close();
    }
  });
});
