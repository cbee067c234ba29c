import { readFile } from 'node:fs/promises';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { ImportLimits } from '../api/imports.js';
import { describeImage, type Description, type FileFacts } from './describeImage.js';
import type { SidecarEntry } from './sidecar.js';

/** One file for a worker: its facts, its bytes (zip members) or its path (files on disk), its sidecar row. */
export interface DescribeTask {
  facts: FileFacts;
  fsPath: string | null;
  bytes: Uint8Array | null;
  dataDir: string;
  sidecar: SidecarEntry | null;
  limits: ImportLimits;
  /** Send the decoded first frame back with the description (analysis in the same pass). */
  keepPixels?: boolean;
}

/**
 * Memory this thread may keep between files before it asks to be replaced. The WASM codecs grow their heaps for the
 * largest frame they have decoded and never give the memory back. With every codec loaded a thread holds 100–200 MB
 * (measured over the conformance set); above this, it last decoded something large, and a fresh thread is cheaper
 * than keeping that memory for the rest of the import (on the conformance set and the NIH images: 4 of 537 files).
 */
const RETIRE_ABOVE_BYTES = 384 * 1024 * 1024;

/** A file system error in words. */
function readProblem(err: NodeJS.ErrnoException): string {
  const words: Record<string, string> = {
    ENOENT: 'the file disappeared before it could be read',
    EACCES: 'permission to read the file is denied',
    EPERM: 'permission to read the file is denied',
    EISDIR: 'it is a folder, not a file',
    EIO: 'the disk reported an error while reading it',
  };
  const known = err.code ? words[err.code] : undefined;
  if (known) return `cannot be read: ${known} (${err.code})`;
  return `cannot be read: ${err.message}`;
}

parentPort?.on('message', async ({ id, task }: { id: number; task: DescribeTask }) => {
  let result: Description;
  try {
    const bytes = task.bytes ?? (await readFile(task.fsPath!));
    result = await describeImage(bytes, task.facts, task.dataDir, task.sidecar, task.limits, task.keepPixels === true);
  } catch (err) {
    result = { kind: 'fail', reason: readProblem(err as NodeJS.ErrnoException) };
  }
  // Decoded pixels move to the core's thread (transferred when the frame owns its buffer, copied otherwise).
  const data = result.kind === 'image' ? result.pixels?.frame.data : undefined;
  const transfer = data && data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? [data.buffer] : [];
  const heap = getHeapStatistics();
  parentPort!.postMessage({ id, result, retire: heap.external_memory + heap.used_heap_size > RETIRE_ABOVE_BYTES }, transfer);
});

// Loaded: the pool starts this file's time limits from here (see WorkerPoolOptions.announcesReady).
parentPort?.postMessage({ ready: true });
