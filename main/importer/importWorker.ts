import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { describeImage, type Description, type FileFacts } from './describeImage.js';
import type { SidecarEntry } from './sidecar.js';

/** One file for a worker: its facts, its bytes (zip members) or its path (files on disk), its sidecar row. */
export interface DescribeTask {
  facts: FileFacts;
  fsPath: string | null;
  bytes: Uint8Array | null;
  dataDir: string;
  sidecar: SidecarEntry | null;
}

parentPort?.on('message', async ({ id, task }: { id: number; task: DescribeTask }) => {
  let result: Description;
  try {
    const bytes = task.bytes ?? (await readFile(task.fsPath!));
    result = await describeImage(bytes, task.facts, task.dataDir, task.sidecar);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    result = { kind: 'fail', reason: code ? `cannot be read (${code})` : `cannot be read: ${(err as Error).message}` };
  }
  parentPort!.postMessage({ id, result });
});
