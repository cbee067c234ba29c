import type { FileHandle } from 'node:fs/promises';
import { open, readFile, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { QuarantineEntry } from '../api/network.js';
import { DicomError, parseDicom } from '../dicom/index.js';
import { STATUS } from './dimse.js';
import { isValidUid, type Spool } from './spool.js';
import { CHEST_STORAGE_CLASSES } from './storageClasses.js';

/** Who sent an object: for the quarantine record, the events and the file meta header. */
export interface Sender {
  callingAeTitle: string;
  /** address:port */
  peer: string;
}

/** The identifiers of a stored object. */
export interface StoredIds {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
}

/** What became of one object, and the DIMSE status to answer with. */
export type Admission =
  | { kind: 'stored'; status: number; path: string; ids: StoredIds; duplicate: boolean }
  | { kind: 'quarantined'; status: number; reason: string; entry: QuarantineEntry }
  | { kind: 'failed'; status: number; reason: string };

/**
 * Streams one incoming data set to a partial file in the spool: the Part 10 header first, then the bytes as they
 * arrive, in order, and on end an fdatasync before the file is closed. The high-water mark is set so that writes
 * never report back-pressure: dcmjs-dimse awaits 'drain' only for the first fragment, so back-pressure would
 * reorder nothing but could stall; the chunks wait in memory only while the disk is slower than the network.
 */
export class SpoolWriter extends Writable {
  private fh: FileHandle | null = null;
  /** True once every byte is on disk and the file is closed. */
  complete = false;

  constructor(
    readonly path: string,
    private readonly header: Buffer,
  ) {
    super({ highWaterMark: 1 << 30 });
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.path, 'wx')
      .then(async (fh) => {
        this.fh = fh;
        await fh.write(this.header);
      })
      .then(() => callback(), callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.fh!.write(chunk).then(() => callback(), callback);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.fh!.writev(chunks.map((c) => c.chunk)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const fh = this.fh!;
    this.fh = null;
    fh.datasync()
      .then(() => fh.close())
      .then(() => {
        this.complete = true;
        callback();
      }, callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const fh = this.fh;
    this.fh = null;
    if (!fh) return callback(error);
    fh.close().then(
      () => callback(error),
      () => callback(error),
    );
  }

  /** Waits until the file is complete on disk (after `end()`); rejects when writing failed. */
  async done(): Promise<void> {
    await finished(this);
  }

  /** Drops an object whose association ended before it was complete: nothing half stored remains. */
  async discard(): Promise<void> {
    if (!this.destroyed) this.destroy();
    await finished(this).catch(() => undefined);
    await rm(this.path, { force: true });
  }
}

/** The chest image classes must carry pixels; classes a site adds (SR, PDF...) need not. */
const IMAGE_CLASSES = new Set(CHEST_STORAGE_CLASSES.map((c) => c.uid));
function isImageClass(sopClassUid: string): boolean {
  return IMAGE_CLASSES.has(sopClassUid);
}

/**
 * Checks a complete partial file and stores it, or quarantines it with the reason. An object is malformed when the
 * reader cannot parse it, when it lacks valid Study/Series/SOP Instance UIDs, when an image has no pixel data, or
 * when it is not the object the C-STORE command announced. Only a stored object is answered with success.
 */
export async function admitObject(spool: Spool, partialPath: string, expected: { sopClassUid: string; sopInstanceUid: string } | null, sender: Sender): Promise<Admission> {
  const refuse = async (status: number, reason: string, ids: { sopClassUid: string; sopInstanceUid: string }): Promise<Admission> => {
    const entry = await spool.quarantine(partialPath, { reason, stage: 'receive', callingAeTitle: sender.callingAeTitle, peer: sender.peer, ...ids });
    return { kind: 'quarantined', status, reason, entry };
  };
  const announced = { sopClassUid: expected?.sopClassUid ?? '', sopInstanceUid: expected?.sopInstanceUid ?? '' };
  let bytes: Buffer;
  try {
    bytes = await readFile(partialPath);
  } catch (err) {
    return { kind: 'failed', status: STATUS.outOfResources, reason: `cannot read back the received object: ${(err as Error).message}` };
  }
  let meta;
  try {
    meta = parseDicom(bytes, 'received object').meta;
  } catch (err) {
    const problem = err instanceof DicomError ? err.problem : (err as Error).message;
    return refuse(STATUS.cannotUnderstand, `malformed: ${problem}`, announced);
  }
  const ids = { sopClassUid: meta.sopClassUid || announced.sopClassUid, sopInstanceUid: meta.sopInstanceUid || announced.sopInstanceUid };
  const missing = [
    ['SOP Instance UID', meta.sopInstanceUid],
    ['Study Instance UID', meta.studyInstanceUid],
    ['Series Instance UID', meta.seriesInstanceUid],
  ].filter(([, v]) => !isValidUid(v!));
  if (missing.length) {
    return refuse(STATUS.cannotUnderstand, `malformed: ${missing.map(([n, v]) => (v ? `invalid ${n} "${v.slice(0, 70)}"` : `no ${n}`)).join(', ')}`, ids);
  }
  if (expected && meta.sopInstanceUid !== expected.sopInstanceUid) {
    return refuse(STATUS.dataSetMismatch, `data set's SOP Instance UID ${meta.sopInstanceUid} is not the one the C-STORE announced (${expected.sopInstanceUid})`, ids);
  }
  if (expected && meta.sopClassUid && meta.sopClassUid !== expected.sopClassUid) {
    return refuse(STATUS.dataSetMismatch, `data set's SOP Class UID ${meta.sopClassUid} is not the one the C-STORE announced (${expected.sopClassUid})`, ids);
  }
  const sopClassUid = meta.sopClassUid || announced.sopClassUid;
  if (isImageClass(sopClassUid) && (!meta.hasPixelData || meta.rows <= 0 || meta.columns <= 0)) {
    return refuse(STATUS.cannotUnderstand, `malformed: an image (SOP class ${sopClassUid}) without ${meta.hasPixelData ? 'rows and columns' : 'pixel data'}`, ids);
  }
  try {
    const { path, duplicate } = await spool.commit(partialPath, meta.studyInstanceUid, meta.sopInstanceUid);
    return { kind: 'stored', status: STATUS.success, path, duplicate, ids: { sopClassUid, sopInstanceUid: meta.sopInstanceUid, studyInstanceUid: meta.studyInstanceUid } };
  } catch (err) {
    await rm(partialPath, { force: true });
    return { kind: 'failed', status: STATUS.outOfResources, reason: `cannot store the object: ${(err as Error).message}` };
  }
}
