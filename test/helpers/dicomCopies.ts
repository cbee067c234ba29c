import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDicom } from '../../main/dicom/index.js';

/**
 * Copies of real DICOM files with new identities, for tests and benchmarks that send many objects: the SOP
 * Instance, Series and Study UIDs are rewritten in place with UIDs of the same length (so every length field stays
 * valid and the pixel data is untouched). Every `perStudy` copies share a study.
 */
export function writeDicomCopies(sources: string[], outDir: string, count: number, perStudy = 10): string[] {
  mkdirSync(outDir, { recursive: true });
  const originals = sources.map((path) => {
    const bytes = readFileSync(path);
    const m = parseDicom(bytes, path).meta;
    return { path, bytes, sop: m.sopInstanceUid, series: m.seriesInstanceUid, study: m.studyInstanceUid };
  });
  const files: string[] = [];
  for (let n = 0; n < count; n++) {
    const o = originals[n % originals.length]!;
    const studyNo = Math.floor(n / perStudy);
    const out = Buffer.from(o.bytes);
    replaceAll(out, o.sop, sameLength(o.sop, `9${n}`));
    if (o.series !== o.study) replaceAll(out, o.series, sameLength(o.series, `8${studyNo}`));
    replaceAll(out, o.study, sameLength(o.study, `7${studyNo}`));
    const file = join(outDir, `${String(n).padStart(6, '0')}-${basename(o.path)}`);
    writeFileSync(file, out);
    files.push(file);
  }
  return files;
}

/** The SOP Instance UID of a copy (read back, for assertions). */
export function sopInstanceUidOf(file: string): string {
  return parseDicom(readFileSync(file), file).meta.sopInstanceUid;
}

function sameLength(uid: string, tail: string): string {
  if (tail.length >= uid.length - 4) throw new Error(`UID ${uid} is too short for ${tail}`);
  return uid.slice(0, uid.length - tail.length) + tail;
}

function replaceAll(buf: Buffer, from: string, to: string): void {
  const needle = Buffer.from(from, 'ascii');
  const replacement = Buffer.from(to, 'ascii');
  for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + needle.length)) replacement.copy(buf, at);
}
