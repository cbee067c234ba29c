import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UPLOAD_PATH, type UploadBatch, type UploadedFile } from '../api/uploads.js';

export interface UploadLimits {
  /** Largest single file, in bytes (the import reads any size; this bounds what a page can write to the disk). */
  maxFileBytes: number;
  /** Files per batch. */
  maxFiles: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxFileBytes: 4 * 1024 ** 3, maxFiles: 100_000 };

/** Folder and file names as they may be stored: letters, digits and a few marks; never hidden, never empty. */
function safeComponent(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ ()+-]/gu, '_')
    .replace(/^[.\s]+/, '_')
    .slice(0, 120)
    .trimEnd();
  return cleaned || '_';
}

/**
 * A client's relative path made safe: split on either slash, with `.`, `..` and empty parts dropped and every part
 * cleaned, at most 16 deep. The result is always inside the batch folder, whatever was sent.
 */
export function safeRelativePath(clientPath: string): string {
  const parts = clientPath
    .split(/[\\/]+/)
    .filter((p) => p !== '' && p !== '.' && p !== '..')
    .map(safeComponent);
  return (parts.length ? parts.slice(-16) : ['file']).join('/');
}

/** `a/b.dcm` → `a/b (2).dcm`: the n-th file sent under one name. */
function numbered(rel: string, n: number): string {
  const dot = rel.lastIndexOf('.');
  return dot > rel.lastIndexOf('/') + 1 ? `${rel.slice(0, dot)} (${n})${rel.slice(dot)}` : `${rel} (${n})`;
}

type Reply = (res: ServerResponse, status: number, body: string | object) => void;

/**
 * The bridge's upload route: batches are folders under `dir` opened by this launch only, files are streamed to disk
 * (never held in memory) and cut off past the size limit, names never leave the batch folder, and a name already
 * taken in the batch gets a numbered twin instead of overwriting anything.
 */
export function createUploadRoute(dir: string, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS) {
  const batches = new Map<string, { folder: string; files: number }>();
  const reply: Reply = (res, status, body) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(text);
  };

  async function openBatch(res: ServerResponse): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const batchId = `${stamp}-${randomBytes(4).toString('hex')}`;
    const folder = join(dir, batchId);
    await mkdir(folder, { recursive: true });
    batches.set(batchId, { folder, files: 0 });
    const batch: UploadBatch = { batchId, folder, maxFileBytes: limits.maxFileBytes };
    reply(res, 201, batch);
  }

  async function receiveFile(req: IncomingMessage, res: ServerResponse, batchId: string, url: URL): Promise<void> {
    const batch = batches.get(batchId);
    if (!batch) return reply(res, 404, `no upload batch ${batchId} in this session: open one with POST ${UPLOAD_PATH}`);
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/octet-stream')) {
      return reply(res, 415, 'send the file as Content-Type: application/octet-stream');
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxFileBytes) {
      return reply(res, 413, `file over ${limits.maxFileBytes} bytes (the upload limit)`);
    }
    if (batch.files >= limits.maxFiles) return reply(res, 413, `more than ${limits.maxFiles} files in one upload`);
    const original = safeRelativePath(url.searchParams.get('path') ?? 'file');
    let rel = original;
    let target = resolve(batch.folder, rel);
    if (relative(batch.folder, target).startsWith('..') || !target.startsWith(batch.folder + sep)) return reply(res, 400, 'path not allowed');
    await mkdir(dirname(target), { recursive: true });
    batch.files++;
    // Never overwrite: a second file of the same name gets a number.
    for (let n = 2; ; n++) {
      try {
        const out = createWriteStream(target, { flags: 'wx' });
        await new Promise<void>((ok, fail) => {
          out.once('open', () => ok());
          out.once('error', fail);
        });
        let bytes = 0;
        const limit = new Transform({
          transform(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            if (bytes > limits.maxFileBytes) done(new Error('too large'));
            else done(null, chunk);
          },
        });
        try {
          await pipeline(req, limit, out);
        } catch (err) {
          await rm(target, { force: true });
          if (bytes > limits.maxFileBytes) return reply(res, 413, `file over ${limits.maxFileBytes} bytes (the upload limit)`);
          throw err;
        }
        const file: UploadedFile = { path: rel, bytes };
        return reply(res, 201, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw err;
        rel = numbered(original, n);
        target = resolve(batch.folder, rel);
      }
    }
  }

  /** Handles `/upload` and `/upload/<batchId>`; the caller has checked host, origin and token. */
  return async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === UPLOAD_PATH) {
      if (req.method !== 'POST') return reply(res, 405, 'use POST to open an upload');
      return openBatch(res);
    }
    const batchId = url.pathname.slice(UPLOAD_PATH.length + 1);
    if (!/^[A-Za-z0-9-]{1,64}$/.test(batchId)) return reply(res, 404, 'no such upload');
    if (req.method !== 'PUT') return reply(res, 405, 'use PUT to send a file');
    return receiveFile(req, res, batchId, url);
  };
}
