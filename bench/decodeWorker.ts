import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { parseDicom, sniffDicom } from '../main/dicom/index.js';
import { decodeRaster } from '../main/images/readRaster.js';

/** The import benchmark's baseline: read a file and decode its pixels, nothing else. */
parentPort?.on('message', async ({ id, task }: { id: number; task: string }) => {
  const bytes = await readFile(task);
  let pixels = 0;
  if (sniffDicom(bytes)) pixels = (await parseDicom(bytes, task).decodeFrame(0)).data.length;
  else pixels = (await decodeRaster(bytes, task)).frame.data.length;
  parentPort!.postMessage({ id, result: pixels });
});
