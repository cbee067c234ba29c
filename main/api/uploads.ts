import { z } from 'zod';

/**
 * Browser mode's file upload (the bridge only; Electron reads files where they are). A page cannot hand the core a
 * path on this computer, so it sends the files themselves: `POST /upload` opens a batch (a fresh folder under the data
 * folder), `PUT /upload/<batchId>?path=<relative path>` streams one file's bytes into it, and the batch folder is then
 * imported with `import:start` like any other folder. Both need the per-launch token in the `x-cxr-token` header.
 */
export const UPLOAD_PATH = '/upload';

export const UploadBatchSchema = z.object({
  batchId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  /** The batch folder on this computer: what `import:start` is given once every file is in. */
  folder: z.string(),
  /** Largest file the bridge accepts, in bytes. */
  maxFileBytes: z.number().int().positive(),
});
export type UploadBatch = z.infer<typeof UploadBatchSchema>;

export const UploadedFileSchema = z.object({
  /** Where the file went inside the batch folder (the client's name, made safe: never a path outside the batch). */
  path: z.string(),
  bytes: z.number().int().nonnegative(),
});
export type UploadedFile = z.infer<typeof UploadedFileSchema>;
