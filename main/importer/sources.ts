import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import yauzl from 'yauzl';
import { readDicomdir, sniffDicom } from '../dicom/index.js';

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
  /** Reads the bytes (used for zip members; files on disk are read by the worker). */
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

/**
 * Expands the paths given to an import into files: folders recursively (hidden folders skipped), DICOMDIRs into the
 * files they reference, .zip archives into their members. Each file appears once, however it was reached.
 */
export async function collectSources(roots: string[]): Promise<CollectedSources> {
  const seen = new Set<string>();
  const sources: ImportSource[] = [];
  const problems: SourceProblem[] = [];
  const zips: yauzl.ZipFile[] = [];

  const addFile = async (path: string, size: number, mtimeMs: number) => {
    if (seen.has(path)) return;
    seen.add(path);
    const ext = extname(path).toLowerCase();
    if (ext === '.zip') {
      try {
        await addZip(path);
      } catch (err) {
        problems.push({ path, outcome: 'failed', reason: `unreadable zip archive: ${(err as Error).message}` });
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
    sources.push({ path, fsPath: path, dir: dirname(path), size, mtimeMs, read: () => readFile(path) });
  };

  const addDicomdir = async (path: string) => {
    try {
      const bytes = await readFile(path);
      if (!sniffDicom(bytes)) {
        problems.push({ path, outcome: 'failed', reason: 'named DICOMDIR but not a DICOM file' });
        return;
      }
      const referenced = readDicomdir(bytes, path);
      problems.push({ path, outcome: 'skipped', reason: `DICOMDIR: its ${referenced.length} referenced files are imported` });
      for (const file of referenced) {
        try {
          const st = await stat(file);
          await addFile(file, st.size, st.mtimeMs);
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
      else if (e.isFile()) {
        const st = await stat(full);
        await addFile(full, st.size, st.mtimeMs);
      }
    }
  };

  const addZip = async (path: string) => {
    const zip = await openZip(path);
    zips.push(zip);
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
      sources.push({
        path: member,
        fsPath: null,
        dir: null,
        size: entry.uncompressedSize,
        mtimeMs: entry.getLastModDate().getTime(),
        read: () => readZipEntry(zip, entry),
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
    else await addFile(abs, st.size, st.mtimeMs);
  }
  return { sources, problems, close: () => zips.forEach((z) => z.close()) };
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

function readZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Uint8Array> {
  return new Promise((res, rej) =>
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return rej(err ?? new Error('cannot read zip member'));
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.once('end', () => res(Buffer.concat(chunks)));
      stream.once('error', rej);
    }),
  );
}
