import type { Stats } from 'node:fs';
import { lstat, readFile, readdir, readlink, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import yauzl from 'yauzl';
import type { ImportLimits } from '../api/imports.js';
import { readDicomdir, sniffDicom } from '../dicom/index.js';
import { formatLimit, megabytes } from '../images/decodeLimits.js';
import { ZIP_RATIO_FLOOR_BYTES } from './importLimits.js';

/** One file to import: a file on disk, or a member of a .zip archive. */
export interface ImportSource {
  /** Identity path stored in the index; a zip member is `/abs/archive.zip!/member/path`. */
  path: string;
  /** The real file on disk when there is one (workers read it themselves). */
  fsPath: string | null;
  /** Folder whose sidecar CSVs describe this file (null for zip members). */
  dir: string | null;
  size: number;
  mtimeMs: number;
  /**
   * Reads the bytes (used for zip members; files on disk are read by the worker) into a buffer of their own, which
   * can be transferred to a worker without a copy. Rejects with a reason in words.
   */
  read(): Promise<Uint8Array>;
}

/** A path that was not queued, and why (it goes into the import report as skipped or failed). */
export interface SourceProblem {
  path: string;
  reason: string;
  outcome: 'skipped' | 'failed';
}

/** Extensions that are never images: listed as skipped with this reason instead of failing to decode. */
const NOT_IMAGES = new Set([
  '.csv', '.txt', '.md', '.json', '.xml', '.gz', '.tgz', '.tar', '.html', '.htm', '.pdf', '.py', '.js', '.ts', '.sh',
  '.dump', '.log', '.yml', '.yaml', '.ini', '.rtf', '.doc', '.docx', '.xls', '.xlsx', '.db', '.sqlite',
]);

export interface CollectedSources {
  sources: ImportSource[];
  problems: SourceProblem[];
  /** Close open archives once the import is done. */
  close(): void;
}

/** What a non-regular directory entry is, for the report. */
function entryKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Expands the paths given to an import into files: folders recursively (hidden folders skipped), DICOMDIRs into the
 * files they reference, .zip archives into their members. Each file appears once, however it was reached.
 *
 * Nothing here leaves the folders it was given: symbolic links inside them are not followed (each is listed as
 * skipped, with its target), DICOMDIR references that climb out are refused, and FIFOs or devices are never opened.
 * Files and zip members over the size limits are refused here, before anything reads them.
 */
export async function collectSources(roots: string[], limits: ImportLimits): Promise<CollectedSources> {
  const seen = new Set<string>();
  const sources: ImportSource[] = [];
  const problems: SourceProblem[] = [];
  const zips: yauzl.ZipFile[] = [];
  const tooLarge = (bytes: number, what: string) =>
    `${what} is ${megabytes(bytes)}: over the limit maxFileBytes = ${formatLimit('maxFileBytes', limits.maxFileBytes)}`;

  const addFile = async (path: string, size: number, mtimeMs: number) => {
    if (seen.has(path)) return;
    seen.add(path);
    const ext = extname(path).toLowerCase();
    if (ext === '.zip') {
      try {
        await addZip(path);
      } catch (err) {
        problems.push({ path, outcome: 'failed', reason: `not a readable zip archive (${(err as Error).message})` });
      }
      return;
    }
    if (NOT_IMAGES.has(ext)) {
      problems.push({ path, outcome: 'skipped', reason: `not an image (${ext} file)` });
      return;
    }
    if (basename(path).toUpperCase() === 'DICOMDIR' || ext === '.dicomdir') {
      await addDicomdir(path);
      return;
    }
    if (size > limits.maxFileBytes) {
      problems.push({ path, outcome: 'failed', reason: tooLarge(size, 'the file') });
      return;
    }
    sources.push({ path, fsPath: path, dir: dirname(path), size, mtimeMs, read: () => readFile(path) });
  };

  /** A symbolic link met inside an imported folder (or referenced by a DICOMDIR in one): named, never followed. */
  const skipLink = async (path: string, via = '') => {
    if (seen.has(path)) return;
    seen.add(path);
    const target = await readlink(path).catch(() => '?');
    problems.push({ path, outcome: 'skipped', reason: `a symbolic link (to ${target})${via}: not followed, so an import stays inside the folders it was given` });
  };

  const addDicomdir = async (path: string) => {
    try {
      const bytes = await readFile(path);
      if (!sniffDicom(bytes)) {
        problems.push({ path, outcome: 'failed', reason: 'named DICOMDIR but not a DICOM file' });
        return;
      }
      const { files, refused } = readDicomdir(bytes, path);
      const refusedNote = refused.length ? `; ${refused.length} reference${refused.length > 1 ? 's' : ''} not followed (listed as failed)` : '';
      problems.push({ path, outcome: 'skipped', reason: `DICOMDIR: its ${files.length} referenced files are imported${refusedNote}` });
      for (const r of refused) {
        problems.push({ path: `${path} → ${r.fileId}`, outcome: 'failed', reason: `DICOMDIR reference ${r.reason}` });
      }
      for (const file of files) {
        try {
          const st = await lstat(file);
          if (st.isSymbolicLink()) await skipLink(file, `, referenced by ${path}`);
          else if (!st.isFile()) {
            if (!seen.has(file)) problems.push({ path: file, outcome: 'skipped', reason: `${entryKind(st)}, referenced by ${path}: not read` });
            seen.add(file);
          } else await addFile(file, st.size, st.mtimeMs);
        } catch {
          if (!seen.has(file)) problems.push({ path: file, outcome: 'failed', reason: `referenced by ${path} but missing` });
          seen.add(file);
        }
      }
    } catch (err) {
      problems.push({ path, outcome: 'failed', reason: `unreadable DICOMDIR: ${(err as Error).message}` });
    }
  };

  const walk = async (dir: string) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: dir, outcome: 'failed', reason: `folder cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isSymbolicLink()) await skipLink(full);
      else {
        let st: Stats;
        try {
          st = await lstat(full);
        } catch (err) {
          problems.push({ path: full, outcome: 'failed', reason: `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
          continue;
        }
        if (st.isFile()) await addFile(full, st.size, st.mtimeMs);
        else problems.push({ path: full, outcome: 'skipped', reason: `${entryKind(st)}: not read` });
      }
    }
  };

  const addZip = async (path: string) => {
    const zip = await openZip(path);
    zips.push(zip);
    // One member read at a time per archive: yauzl's reader queues reads on the archive's descriptor, and a member
    // stream destroyed on an error while another's read waits in that queue throws from inside fs (TypeError on a
    // null fd), which no caller can catch — the whole process went down on a zip with one corrupt member.
    let previous: Promise<unknown> = Promise.resolve();
    const readInTurn = (entry: yauzl.Entry) => {
      const read = previous.then(() => readZipEntry(zip, entry));
      previous = read.catch(() => undefined);
      return read;
    };
    for (const entry of await zipEntries(zip)) {
      if (entry.fileName.endsWith('/')) continue;
      const member = `${path}!/${entry.fileName}`;
      const ext = extname(entry.fileName).toLowerCase();
      if (NOT_IMAGES.has(ext) || basename(entry.fileName).startsWith('.')) {
        problems.push({ path: member, outcome: 'skipped', reason: `not an image (${ext || 'no extension'} in zip)` });
        continue;
      }
      if (basename(entry.fileName).toUpperCase() === 'DICOMDIR') {
        problems.push({ path: member, outcome: 'skipped', reason: 'DICOMDIR inside a zip: its members are imported directly' });
        continue;
      }
      if (seen.has(member)) continue;
      seen.add(member);
      const refusal = zipMemberRefusal(entry, limits, tooLarge);
      if (refusal) {
        problems.push({ path: member, outcome: 'failed', reason: refusal });
        continue;
      }
      sources.push({
        path: member,
        fsPath: null,
        dir: null,
        size: entry.uncompressedSize,
        mtimeMs: entry.getLastModDate().getTime(),
        read: () => readInTurn(entry),
      });
    }
  };

  for (const root of roots) {
    const abs = resolve(root);
    let st;
    try {
      st = await stat(abs);
    } catch {
      problems.push({ path: abs, outcome: 'failed', reason: 'no such file or folder' });
      continue;
    }
    if (st.isDirectory()) await walk(abs);
    else if (st.isFile()) await addFile(abs, st.size, st.mtimeMs);
    else problems.push({ path: abs, outcome: 'skipped', reason: `${entryKind(st)}: not read` });
  }
  return { sources, problems, close: () => zips.forEach((z) => z.close()) };
}

/**
 * Why a zip member is refused from its central directory entry alone, or null: its declared size over the file
 * limit, or an expansion ratio no image needs (a bomb declares both truthfully, and yauzl stops a member whose data
 * runs past its declared size, so the declared numbers bound what reading it costs).
 */
function zipMemberRefusal(entry: yauzl.Entry, limits: ImportLimits, tooLarge: (bytes: number, what: string) => string): string | null {
  if (entry.uncompressedSize > limits.maxFileBytes) return tooLarge(entry.uncompressedSize, 'the zip member, uncompressed,');
  if (entry.uncompressedSize > ZIP_RATIO_FLOOR_BYTES) {
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (ratio > limits.maxZipRatio) {
      return `the zip member expands ${Math.round(ratio)}:1 (${entry.compressedSize} bytes to ${megabytes(entry.uncompressedSize)}): over the limit maxZipRatio = ${limits.maxZipRatio}`;
    }
  }
  return null;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, zip) =>
      err || !zip ? rej(err ?? new Error('cannot open')) : res(zip),
    ),
  );
}

function zipEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((res, rej) => {
    const list: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      list.push(e);
      zip.readEntry();
    });
    zip.once('end', () => res(list));
    zip.once('error', rej);
    zip.readEntry();
  });
}

/** Thrown when a zip member cannot be read; the message says why in words. */
export class ZipMemberError extends Error {}

/** yauzl's and zlib's messages about a member, in words a reader can act on. */
function zipReadProblem(err: Error & { code?: string }, entry: yauzl.Entry): string {
  const message = err.message;
  if (/too many bytes/.test(message)) {
    return `the zip member holds more data than the ${entry.uncompressedSize} bytes its header declares: the archive is damaged or crafted`;
  }
  if (/not enough bytes/.test(message)) {
    return `the zip member holds less data than the ${entry.uncompressedSize} bytes its header declares: the archive is truncated or damaged`;
  }
  if (err.code?.startsWith('Z_') || /unexpected end of file|invalid (block|distance|code|stored|literal)|incorrect header/.test(message)) {
    return `the zip member's compressed data is damaged (zlib: ${message})`;
  }
  if (/compression method/.test(message)) return `the zip member uses a compression method this reader does not support (${message})`;
  return `the zip member cannot be read (${message})`;
}

/**
 * A member's bytes in a buffer of its own (transferable to a worker), never more than its declared size: yauzl's
 * validateEntrySizes stops a stream that runs past it, and the total is counted here as well.
 */
function readZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Uint8Array> {
  return new Promise((res, rej) =>
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return rej(new ZipMemberError(zipReadProblem(err ?? new Error('no stream'), entry)));
      const out = new Uint8Array(new ArrayBuffer(entry.uncompressedSize));
      let at = 0;
      stream.on('data', (c: Buffer) => {
        if (at + c.length > out.length) {
          stream.destroy(new Error('too many bytes in the stream'));
          return;
        }
        out.set(c, at);
        at += c.length;
      });
      stream.once('end', () =>
        at === out.length ? res(out) : rej(new ZipMemberError(zipReadProblem(new Error('not enough bytes in the stream'), entry))),
      );
      stream.once('error', (e: Error) => rej(new ZipMemberError(zipReadProblem(e, entry))));
    }),
  );
}
