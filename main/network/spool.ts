import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { QuarantineEntry } from '../api/network.js';

/**
 * The data folder's DICOM spool (`<dataDir>/dicom-node/`):
 *
 *   partial/      objects being received; a crash or an aborted association leaves only these, removed at start
 *   received/<StudyInstanceUID>/<SOPInstanceUID>.dcm
 *                 every stored object, where the index points to it
 *   pending/<StudyInstanceUID>_<SOPInstanceUID>
 *                 one empty marker per stored object the importer has not indexed yet; the spool is resumed from
 *                 these at start, so a crash after "success" was answered loses nothing
 *   quarantine/   objects refused as malformed (or that the importer could not read), each with a .json reason
 *
 * An object counts as stored once its bytes are flushed to disk (fdatasync), it is renamed into received/ and its
 * marker exists; only then does the receiver answer "success". UIDs are checked to be digits and dots before they
 * name anything, so a peer cannot write outside these folders.
 */
export class Spool {
  readonly root: string;
  readonly partialDir: string;
  readonly receivedDir: string;
  readonly pendingDir: string;
  readonly quarantineDir: string;
  private readonly knownDirs = new Set<string>();

  constructor(dataDir: string) {
    this.root = join(dataDir, 'dicom-node');
    this.partialDir = join(this.root, 'partial');
    this.receivedDir = join(this.root, 'received');
    this.pendingDir = join(this.root, 'pending');
    this.quarantineDir = join(this.root, 'quarantine');
  }

  /**
   * Creates the folders, removes what a crash left half written, and answers the stored objects still waiting for
   * the importer (markers whose object is gone are dropped).
   */
  open(): string[] {
    for (const d of [this.partialDir, this.receivedDir, this.pendingDir, this.quarantineDir]) mkdirSync(d, { recursive: true });
    // Partial files are named by the process writing them: another workstation process on the same data folder
    // (the app while `cxr` runs) may be receiving right now, so only the files of dead processes are removed.
    for (const name of readdirSync(this.partialDir)) {
      const pid = Number(/^(\d+)-/.exec(name)?.[1]);
      if (!isAlive(pid)) rmSync(join(this.partialDir, name), { force: true });
    }
    const pending: string[] = [];
    for (const marker of readdirSync(this.pendingDir).sort()) {
      const path = this.pathOfMarker(marker);
      if (path && existsSync(path)) pending.push(path);
      else unlinkSync(join(this.pendingDir, marker));
    }
    return pending;
  }

  /** A fresh file name for an object being received. */
  partialPath(): string {
    return join(this.partialDir, `${process.pid}-${randomUUID()}.part`);
  }

  /** Where an object with these UIDs is stored. */
  receivedPath(studyInstanceUid: string, sopInstanceUid: string): string {
    assertUid(studyInstanceUid, 'Study Instance UID');
    assertUid(sopInstanceUid, 'SOP Instance UID');
    return join(this.receivedDir, studyInstanceUid, `${sopInstanceUid}.dcm`);
  }

  /**
   * Makes a complete, flushed partial file a stored object: renamed to received/, its pending marker written, and
   * both folders flushed. The same object already stored (same bytes) is not stored again: the partial file is
   * dropped and `duplicate` is true (its marker is written too, for the caller to clear once it has checked that the
   * object is indexed). Another object under the same SOP Instance UID replaces the old one (a corrected resend) and
   * is indexed again.
   */
  async commit(partialPath: string, studyInstanceUid: string, sopInstanceUid: string): Promise<{ path: string; duplicate: boolean }> {
    const path = this.receivedPath(studyInstanceUid, sopInstanceUid);
    const marker = join(this.pendingDir, `${studyInstanceUid}_${sopInstanceUid}`);
    if (await sameBytes(partialPath, path)) {
      await unlink(partialPath);
      // The earlier copy may never have been indexed (a crash between its rename and its marker, before it was
      // answered): keep it pending until the caller has checked the index.
      await (await open(marker, 'w')).close();
      await syncDir(this.pendingDir);
      return { path, duplicate: true };
    }
    const dir = dirname(path);
    if (!this.knownDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      await syncDir(this.receivedDir);
      this.knownDirs.add(dir);
    }
    await rename(partialPath, path);
    await (await open(marker, 'w')).close();
    // Both entries flushed together: the file system commits them in one journal transaction.
    await Promise.all([syncDir(dir), syncDir(this.pendingDir)]);
    return { path, duplicate: false };
  }

  /** The importer has recorded these objects (indexed, unchanged, or failed and quarantined): drop their markers. */
  async markIndexed(paths: readonly string[]): Promise<void> {
    for (const p of paths) {
      const marker = this.markerOfPath(p);
      if (marker) await rm(join(this.pendingDir, marker), { force: true });
    }
  }

  /**
   * Moves an object (a partial file refused before answering, or a stored one the importer could not read) into
   * quarantine with a .json record of why, and answers that record.
   */
  async quarantine(file: string, entry: Omit<QuarantineEntry, 'id' | 'file' | 'at'>): Promise<QuarantineEntry> {
    const at = new Date();
    const id = `${at.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
    const target = join(this.quarantineDir, `${id}.dcm`);
    await mkdir(this.quarantineDir, { recursive: true });
    try {
      await rename(file, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const record: QuarantineEntry = { id, at: at.toISOString(), file: target, ...entry };
    await writeFile(join(this.quarantineDir, `${id}.json`), JSON.stringify(record, null, 2));
    return record;
  }

  /** Quarantine records, newest first. */
  listQuarantine(limit: number): QuarantineEntry[] {
    if (!existsSync(this.quarantineDir)) return [];
    const names = readdirSync(this.quarantineDir)
      .filter((n) => n.endsWith('.json'))
      .sort()
      .reverse()
      .slice(0, limit);
    const out: QuarantineEntry[] = [];
    for (const n of names) {
      try {
        out.push(JSON.parse(readFileSync(join(this.quarantineDir, n), 'utf8')) as QuarantineEntry);
      } catch {
        // A record being written right now, or edited by hand: skip it rather than fail the whole list.
      }
    }
    return out;
  }

  pendingCount(): number {
    return existsSync(this.pendingDir) ? readdirSync(this.pendingDir).length : 0;
  }

  private pathOfMarker(marker: string): string | null {
    const m = /^([0-9.]+)_([0-9.]+)$/.exec(marker);
    return m ? join(this.receivedDir, m[1]!, `${m[2]!}.dcm`) : null;
  }

  private markerOfPath(path: string): string | null {
    const sop = basename(path, '.dcm');
    const study = basename(dirname(path));
    if (dirname(dirname(path)) !== this.receivedDir || !UID.test(sop) || !UID.test(study)) return null;
    return `${study}_${sop}`;
  }
}

const UID = /^[0-9]+(\.[0-9]+)*$/;

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A UID safe to name a file with: digits and dots, 1-64 characters. */
export function isValidUid(uid: string): boolean {
  return uid.length > 0 && uid.length <= 64 && UID.test(uid);
}

function assertUid(uid: string, what: string): void {
  if (!isValidUid(uid)) throw new Error(`${what} "${uid.slice(0, 80)}" is not a valid UID (digits and dots, at most 64 characters)`);
}

/** Flushes a folder's entries (a rename or a new file in it) to disk. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b).catch(() => null)]);
  if (!sb || sa.size !== sb.size) return false;
  const [ba, bb] = await Promise.all([readFile(a), readFile(b)]);
  return ba.equals(bb);
}
