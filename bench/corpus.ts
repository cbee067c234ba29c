import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { parseDicom } from '../main/dicom/index.js';

/**
 * Builds an import corpus of `count` files from the 200 NIH PNGs and the real chest DICOMs in ../shared, repeating
 * them with new identities: each PNG copy gets a tEXt chunk (same pixels, new content hash, hence new UIDs), each
 * DICOM copy gets its SOP/series/study UIDs rewritten in place with same-length UIDs (lengths unchanged, so the
 * file stays valid).
 */
export function buildCorpus(sharedDir: string, outDir: string, count: number): { files: string[]; pngs: number; dicoms: number } {
  const pngDir = join(sharedDir, 'data', 'nih-cxr14', 'images');
  const dcmDir = join(sharedDir, 'data', 'dicom', 'cxr');
  const originals = [
    ...readdirSync(pngDir).filter((n) => n.endsWith('.png')).sort().map((n) => ({ kind: 'png' as const, path: join(pngDir, n) })),
    ...readdirSync(dcmDir).filter((n) => n.endsWith('.dcm')).sort().map((n) => ({ kind: 'dicom' as const, path: join(dcmDir, n) })),
  ];
  const bytes = originals.map((o) => readFileSync(o.path));
  const uids = originals.map((o, i) => {
    if (o.kind !== 'dicom') return [];
    const m = parseDicom(bytes[i]!, o.path).meta;
    return [m.sopInstanceUid, m.seriesInstanceUid, m.studyInstanceUid].filter((u) => u.length > 8);
  });
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  let pngs = 0;
  let dicoms = 0;
  for (let n = 0; n < count; n++) {
    const i = n % originals.length;
    const round = Math.floor(n / originals.length);
    const o = originals[i]!;
    const sub = join(outDir, String(round).padStart(3, '0'));
    if (i === 0) mkdirSync(sub, { recursive: true });
    const name = join(sub, `${String(i).padStart(3, '0')}-${o.path.split('/').pop()}`);
    if (o.kind === 'png') {
      writeFileSync(name, round === 0 ? bytes[i]! : pngWithText(bytes[i]!, `copy ${round}`));
      pngs++;
    } else {
      writeFileSync(name, round === 0 ? bytes[i]! : dicomWithNewUids(bytes[i]!, uids[i]!, round));
      dicoms++;
    }
    files.push(name);
  }
  return { files, pngs, dicoms };
}

/** Inserts a tEXt chunk after IHDR: a valid PNG with the same pixels and different bytes. */
function pngWithText(png: Buffer, text: string): Buffer {
  const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
  const data = Buffer.from(`Comment\0${text}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'ascii');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}

/** Replaces each UID everywhere it occurs (meta header and data set) with one of the same length. */
function dicomWithNewUids(dcm: Buffer, uids: string[], round: number): Buffer {
  const out = Buffer.from(dcm);
  uids.forEach((uid, k) => {
    const tail = `1${String(round * 10 + k).padStart(6, '0')}`;
    const replacement = Buffer.from(uid.slice(0, uid.length - tail.length) + tail, 'ascii');
    const needle = Buffer.from(uid, 'ascii');
    for (let at = out.indexOf(needle); at >= 0; at = out.indexOf(needle, at + needle.length)) replacement.copy(out, at);
  });
  return out;
}
