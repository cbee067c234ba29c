import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
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

/** The files a DICOMDIR references, and the references it refuses to follow (with why, in words). */
export interface DicomdirListing {
  files: string[];
  refused: Array<{ fileId: string; reason: string }>;
}

/**
 * Why a Referenced File ID component is not a plain name inside the media folder, or null when it is. The standard
 * allows only upper-case letters, digits and "_" (PS3.10 8.5); anything that means a path (a separator, "." or "..",
 * a drive) would let a crafted DICOMDIR make the importer read outside the folder it was given.
 */
function componentProblem(part: string): string | null {
  if (part === '.' || part === '..') return `the component "${part}" climbs out of the media folder`;
  if (/[/\\\0]/.test(part) || /^[A-Za-z]:/.test(part)) return `the component "${part}" is a path, not a file name`;
  return null;
}

/**
 * The absolute paths of the files a DICOMDIR references (Referenced File ID, 0004,1500, in every directory record),
 * resolved against the DICOMDIR's folder. File IDs are upper case by the standard but media copied to Linux may not
 * be, so a missing path is looked up component by component ignoring case. Paths that exist in neither form are still
 * returned (resolved literally), so the caller can report them. A reference that would leave the DICOMDIR's folder
 * (`..`, a separator inside a component, an absolute path) is refused, never followed.
 */
export function readDicomdir(bytes: Uint8Array, dicomdirPath: string): DicomdirListing {
  const { dataSet } = readDataSet(bytes, dicomdirPath);
  const sequence = dataSet.elements['x00041220'];
  if (!sequence) throw new DicomError(dicomdirPath, 'not a DICOMDIR: no Directory Record Sequence (0004,1220)');
  const base = dirname(resolve(dicomdirPath));
  const seen = new Set<string>();
  const listing: DicomdirListing = { files: [], refused: [] };
  for (const item of sequence.items ?? []) {
    const record: DataSet | undefined = item.dataSet;
    if (!record) continue;
    const id = asciiString(record, 'x00041500');
    if (!id) continue;
    const parts = id.split('\\').map((p) => p.trim()).filter(Boolean);
    if (parts.length === 0) continue;
    const problem = parts.map(componentProblem).find((p) => p !== null);
    const path = problem ? null : resolveCaseInsensitive(base, parts);
    const inside = path !== null && !relative(base, path).startsWith('..') && !isAbsolute(relative(base, path));
    if (problem || !inside) {
      listing.refused.push({ fileId: id, reason: `not followed: ${problem ?? 'it resolves outside the media folder'}` });
      continue;
    }
    if (!seen.has(path)) {
      seen.add(path);
      listing.files.push(path);
    }
  }
  return listing;
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
