import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DataSet } from './dicomParserModule.js';
import { DicomError } from './errors.js';
import { readDataSet } from './readDataSet.js';
import type { DicomMetadata } from './types.js';
import { asciiString } from './values.js';

const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

/** Whether a file is a DICOMDIR (Media Storage Directory), from parsed metadata or from the raw bytes. */
export function isDicomdir(metaOrBytes: DicomMetadata | Uint8Array): boolean {
  if (!(metaOrBytes instanceof Uint8Array)) return metaOrBytes.sopClassUid === MEDIA_STORAGE_DIRECTORY;
  // The UID sits in the meta header near the start; a byte search avoids parsing the whole directory.
  const head = metaOrBytes.subarray(0, Math.min(metaOrBytes.length, 1024));
  return Buffer.from(head.buffer, head.byteOffset, head.length).includes(MEDIA_STORAGE_DIRECTORY);
}

/**
 * The absolute paths of the files a DICOMDIR references (Referenced File ID, 0004,1500, in every directory record),
 * resolved against the DICOMDIR's folder. File IDs are upper case by the standard but media copied to Linux may not
 * be, so a missing path is looked up component by component ignoring case. Paths that exist in neither form are still
 * returned (resolved literally), so the caller can report them.
 */
export function readDicomdir(bytes: Uint8Array, dicomdirPath: string): string[] {
  const { dataSet } = readDataSet(bytes, dicomdirPath);
  const sequence = dataSet.elements['x00041220'];
  if (!sequence) throw new DicomError(dicomdirPath, 'not a DICOMDIR: no Directory Record Sequence (0004,1220)');
  const base = dirname(resolve(dicomdirPath));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of sequence.items ?? []) {
    const record: DataSet | undefined = item.dataSet;
    if (!record) continue;
    const id = asciiString(record, 'x00041500');
    if (!id) continue;
    const parts = id.split('\\').map((p) => p.trim()).filter(Boolean);
    if (parts.length === 0 || parts.some((p) => p === '..')) continue;
    const path = resolveCaseInsensitive(base, parts);
    if (!seen.has(path)) {
      seen.add(path);
      out.push(path);
    }
  }
  return out;
}

function resolveCaseInsensitive(base: string, parts: string[]): string {
  const literal = join(base, ...parts);
  if (existsSync(literal)) return literal;
  let current = base;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    let match: string | undefined;
    try {
      match = readdirSync(current).find((entry) => entry.toLowerCase() === part.toLowerCase());
    } catch {
      match = undefined;
    }
    if (!match) return literal;
    current = join(current, match);
  }
  return current;
}
