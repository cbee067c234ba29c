import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ExportFormat } from '../api/reports.js';
import { resourcePaths } from '../api/resources.js';
import type { Resource, ResourceHandler } from '../platform/resources.js';

/** Where exports are written (under the data directory) and the URL prefix they are served from. */
export const EXPORTS_DIR = 'exports';

export const FORMAT_FILE: Record<ExportFormat, { ext: string; contentType: string }> = {
  pdf: { ext: 'pdf', contentType: 'application/pdf' },
  docx: { ext: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  txt: { ext: 'txt', contentType: 'text/plain; charset=utf-8' },
  fhir: { ext: 'fhir.json', contentType: 'application/fhir+json' },
  sr: { ext: 'dcm', contentType: 'application/dicom' },
};

const CONTENT_TYPES: Array<[string, string]> = [
  ...Object.values(FORMAT_FILE).map((f) => [`.${f.ext}`, f.contentType] as [string, string]),
  ['.csv', 'text/csv; charset=utf-8'],
];

/** Writes bytes under `<dataDir>/exports/<folder>/<fileName>` (atomically) and answers its resource path. */
export function writeExport(dataDir: string, folder: string, fileName: string, bytes: Uint8Array | string): { path: string; file: string; bytes: number } {
  const file = join(dataDir, EXPORTS_DIR, folder, fileName);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  return { path: resourcePaths.export(folder, fileName), file, bytes: typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength };
}

/** A file-system-safe timestamp: 20260101T101010Z. */
export function fileStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Serves `/files/exports/<folder>/<file>`; only names this module writes are answered. */
export function exportsResourceHandler(dataDir: string): ResourceHandler {
  return {
    kind: 'export',
    async handle({ folder, fileName }): Promise<Resource | null> {
      const type = CONTENT_TYPES.find(([ext]) => fileName.endsWith(ext));
      if (!type) return null;
      const body = await readFile(join(dataDir, EXPORTS_DIR, folder, fileName)).catch(() => null);
      return body ? { contentType: type[1], body, headers: { 'Content-Disposition': `attachment; filename="${fileName}"` } } : null;
    },
  };
}

/**
 * The site's de-identification secret (`<dataDir>/secrets/deidentify.key`, created on first use, readable by the
 * owner only). Pseudonyms, date shifts and UID remaps derive from it, so they are stable across exports; whoever
 * holds it can re-link pseudonyms to patients, so it must not leave the site.
 */
export function deidentifySecret(dataDir: string): string {
  const file = join(dataDir, 'secrets', 'deidentify.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}
