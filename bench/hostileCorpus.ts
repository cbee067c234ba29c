/**
 * Generates the hostile import corpus for bench/hostileImport.ts (into a temporary folder, never into git):
 *
 * - `clean/`: good files (the real chest DICOMs, NIH PNGs, a DICOM with out-of-range numbers that must import with a
 *   warning) — every one must be imported, in the clean run and in the hostile run alike;
 * - `hostile/`: decompression bombs (a deflated data set declaring 65535×65535 1-bit pixels, zip members of 1 GiB
 *   and 1000:1), huge declared sizes (20000×20000 HTJ2K and 12-bit JPEG, a codestream larger than its header), zips
 *   with a corrupt member or a member whose declared size lies (with good members beside them, which must import),
 *   truncations, a DICOMDIR that climbs out of its folder, symbolic links and a FIFO, and byte flips of real files.
 *
 * Everything is derived from ../shared and a seeded generator, so two runs build the same corpus.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { parseDicom } from '../main/dicom/index.js';
import { readDataSet } from '../main/dicom/readDataSet.js';
import { seededRandom } from '../main/platform/seededRandom.js';
import {
  DEFLATED_LE,
  dicomdirReferencing,
  encodeDataSet,
  filePreambleAndMeta,
  imageElements,
  outOfRangeNumbersDicom,
  writeDicom,
} from '../test/helpers/dicomWriter.js';

export interface HostileCorpus {
  root: string;
  clean: string;
  hostile: string;
  /** Paths (files, or `archive.zip!/member`) that must be imported. */
  good: string[];
  /** Paths that must be rejected, each with what it is. */
  bad: Array<{ path: string; what: string }>;
  /** Byte-flipped real files: either imported or rejected with a reason, never a crash or a hang. */
  flipped: string[];
  /** Files outside the imported folders that a crafted reference points at: never imported. */
  outside: string[];
}

/** Offset of the data set inside the file, and the absolute offset of an element's value. */
function elementOffset(bytes: Buffer, tag: string): number {
  const { dataSet } = readDataSet(bytes, 'corpus');
  const element = dataSet.elements[tag];
  if (!element) throw new Error(`no ${tag}`);
  const start = (dataSet.byteArray as Uint8Array).byteOffset - bytes.byteOffset;
  return start + element.dataOffset;
}

function firstFragmentOffset(bytes: Buffer): number {
  const { dataSet } = readDataSet(bytes, 'corpus');
  const fragment = dataSet.elements['x7fe00010']?.fragments?.[0];
  if (!fragment) throw new Error('no fragments');
  return (dataSet.byteArray as Uint8Array).byteOffset - bytes.byteOffset + fragment.position;
}

/** A copy with Rows/Columns (and the codestream's own size unless `headerOnly`) set to `size`×`size`. */
function declareSize(original: Buffer, size: number, codestream: 'j2k' | 'jpeg', patchHeader = true): Buffer {
  const out = Buffer.from(original);
  if (patchHeader) {
    out.writeUInt16LE(size, elementOffset(out, 'x00280010'));
    out.writeUInt16LE(size, elementOffset(out, 'x00280011'));
  }
  const at = firstFragmentOffset(out);
  if (codestream === 'j2k') {
    const siz = out.indexOf(Buffer.from([0xff, 0x51]), at);
    out.writeUInt32BE(size, siz + 6);
    out.writeUInt32BE(size, siz + 10);
  } else {
    for (let p = at + 2; p < out.length - 9; p++) {
      if (out[p] === 0xff && out[p + 1]! >= 0xc0 && out[p + 1]! <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(out[p + 1]!)) {
        out.writeUInt16BE(size, p + 5);
        out.writeUInt16BE(size, p + 7);
        break;
      }
    }
  }
  return out;
}

/** A deflated data set declaring a `size`×`size` 1-bit image of zeros: a few hundred KB that inflate to 512 MiB. */
async function bitBomb(path: string, size: number): Promise<void> {
  const pixelBytes = Math.ceil((size * size) / 8);
  const padded = pixelBytes + (pixelBytes % 2);
  const elements = imageElements({ rows: size, columns: size, bitsAllocated: 1, pixels: new Uint8Array(0), uidSuffix: 'bomb' }).filter(
    (e) => e.tag !== '7fe0,0010',
  );
  const pixelHead = Buffer.alloc(12);
  pixelHead.writeUInt16LE(0x7fe0, 0);
  pixelHead.writeUInt16LE(0x0010, 2);
  pixelHead.write('OB', 4, 'latin1');
  pixelHead.writeUInt32LE(padded, 8);
  const file = createWriteStream(path);
  file.write(filePreambleAndMeta(elements, DEFLATED_LE));
  const deflate = createDeflateRaw({ level: 9 });
  deflate.pipe(file);
  deflate.write(encodeDataSet(elements));
  deflate.write(pixelHead);
  const zeros = Buffer.alloc(16 * 1024 * 1024);
  for (let left = padded; left > 0; left -= zeros.length) {
    if (!deflate.write(zeros.subarray(0, Math.min(left, zeros.length)))) await once(deflate, 'drain');
  }
  deflate.end();
  await once(file, 'close');
}

/** `size` bytes of zeros, deflated as one stream without ever holding them whole. */
async function deflatedZeros(size: number): Promise<{ packed: Buffer; crc: number }> {
  const chunk = Buffer.alloc(Math.min(size, 16 * 1024 * 1024));
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (d: Buffer) => parts.push(d));
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = chunk.subarray(0, Math.min(left, chunk.length));
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await once(deflate, 'drain');
  }
  deflate.end();
  await once(deflate, 'end');
  return { packed: Buffer.concat(parts), crc };
}

/** A zip written from pre-compressed members (for members too large to hold uncompressed twice). */
function zipOf(members: Array<{ name: string; packed: Buffer; crc: number; size: number; declaredSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const declared = m.declaredSize ?? m.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(m.crc, 14);
    local.writeUInt32LE(m.packed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, m.packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(m.crc, 16);
    central.writeUInt32LE(m.packed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + m.packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function member(name: string, data: Uint8Array, declaredSize?: number) {
  return { name, packed: deflateRawSync(data), crc: crc32(data), size: data.length, declaredSize };
}

/** A copy with every occurrence of `uid` (meta header and data set) replaced by a UID of the same length. */
function withUidReplaced(bytes: Buffer, uid: string, replacement: string): Buffer {
  const out = Buffer.from(bytes);
  const needle = Buffer.from(uid, 'latin1');
  for (let at = out.indexOf(needle); at >= 0; at = out.indexOf(needle, at + needle.length)) out.write(replacement, at, 'latin1');
  return out;
}

export async function buildHostileCorpus(sharedDir: string, root: string, options: { pngs?: number; flips?: number } = {}): Promise<HostileCorpus> {
  const rand = seededRandom(20261201);
  const clean = join(root, 'clean');
  const hostile = join(root, 'hostile');
  mkdirSync(clean, { recursive: true });
  mkdirSync(hostile, { recursive: true });
  const good: string[] = [];
  const bad: HostileCorpus['bad'] = [];
  const flipped: string[] = [];
  const put = (dir: string, name: string, data: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  const conformance = (...p: string[]) => readFileSync(join(sharedDir, 'data', 'dicom', 'conformance', ...p));
  const cxrDir = join(sharedDir, 'data', 'dicom', 'cxr');
  const cxr = readdirSync(cxrDir).filter((n) => n.endsWith('.dcm')).sort();
  const pngDir = join(sharedDir, 'data', 'nih-cxr14', 'images');
  const allPngs = readdirSync(pngDir).filter((n) => n.endsWith('.png')).sort();
  const pngs = allPngs.slice(0, options.pngs ?? 40);
  // Images used only inside archives and as flip sources, so they are not duplicates of the clean ones.
  const [zipPng, truncatedPng, flipPng] = allPngs.slice(pngs.length, pngs.length + 3) as [string, string, string];

  // Good files.
  for (const n of cxr) good.push(put(clean, n, readFileSync(join(cxrDir, n))));
  for (const n of pngs) good.push(put(clean, n, readFileSync(join(pngDir, n))));
  good.push(put(clean, 'out-of-range-numbers.dcm', outOfRangeNumbersDicom('numbers')));

  // Huge declared sizes and bombs.
  const j2kChest = readFileSync(join(cxrDir, 'nema_wg04_RG1_J2KI_CR_chest_MONO1_1841x1955.dcm'));
  await bitBomb(join(hostile, 'bomb-deflated-1bit-65535.dcm'), 65535);
  bad.push({ path: join(hostile, 'bomb-deflated-1bit-65535.dcm'), what: 'deflated data set declaring 65535x65535 1-bit pixels' });
  const htj2k = declareSize(conformance('pydicom-data', 'HTJ2KLossless_08_RGB.dcm'), 20000, 'j2k');
  bad.push({ path: put(hostile, 'htj2k-20000.dcm', htj2k), what: 'HTJ2K 20000x20000' });
  const jpeg12 = declareSize(conformance('cornerstoneWADOImageLoader', 'CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm'), 20000, 'jpeg');
  bad.push({ path: put(hostile, 'jpeg12-20000.dcm', jpeg12), what: '12-bit JPEG 20000x20000' });
  const lying = declareSize(j2kChest, 20000, 'j2k', false);
  bad.push({ path: put(hostile, 'j2k-codestream-larger-than-header.dcm', lying), what: 'J2K codestream 20000x20000 under a 1841x1955 header' });

  // Zips: bombs, a corrupt member, sizes that lie; good members beside them must still arrive.
  const goodDicom = readFileSync(join(cxrDir, 'nih_google_DX_implicitLE_1024.dcm'));
  const goodPng = readFileSync(join(pngDir, zipPng));
  const oneGiB = await deflatedZeros(1024 * 1024 * 1024);
  writeFileSync(join(hostile, 'bomb-1gib.zip'), zipOf([{ name: 'zeros.dcm', ...oneGiB, size: 1024 * 1024 * 1024 }]));
  bad.push({ path: `${join(hostile, 'bomb-1gib.zip')}!/zeros.dcm`, what: 'zip member of 1 GiB of zeros' });
  // Many 32 MiB blank images at ~1000:1: the archive is about 1.5 MB and expands to 1.5 GB.
  const blank = writeDicom(imageElements({ rows: 4096, columns: 4096, bitsAllocated: 16, pixels: new Uint8Array(4096 * 4096 * 2), uidSuffix: 'blank' }));
  const blankMember = member('blank.dcm', blank);
  const blanks = Array.from({ length: 48 }, (_, i) => ({ ...blankMember, name: `blank-${i}.dcm` }));
  writeFileSync(join(hostile, 'expansion.zip'), zipOf([...blanks, member('good/chest.dcm', outOfRangeNumbersDicom('zip-good-1'))]));
  for (const b of blanks) bad.push({ path: `${join(hostile, 'expansion.zip')}!/${b.name}`, what: 'zip member expanding ~1000:1' });
  good.push(`${join(hostile, 'expansion.zip')}!/good/chest.dcm`);

  const corrupt = member('corrupt.dcm', goodDicom);
  const flippedPacked = Buffer.from(corrupt.packed);
  for (let i = 200; i < flippedPacked.length; i += 997) flippedPacked[i] = flippedPacked[i]! ^ 0x5a;
  writeFileSync(
    join(hostile, 'corrupt-member.zip'),
    zipOf([member('a.png', goodPng), { ...corrupt, packed: flippedPacked }, member('b.dcm', outOfRangeNumbersDicom('zip-good-2'))]),
  );
  bad.push({ path: `${join(hostile, 'corrupt-member.zip')}!/corrupt.dcm`, what: 'zip member with damaged compressed data' });
  good.push(`${join(hostile, 'corrupt-member.zip')}!/a.png`, `${join(hostile, 'corrupt-member.zip')}!/b.dcm`);

  writeFileSync(
    join(hostile, 'lying-sizes.zip'),
    zipOf([
      member('smaller-than-declared.dcm', goodDicom, goodDicom.length + 4096),
      member('larger-than-declared.dcm', goodDicom, 1000),
      member('huge-declared.dcm', goodDicom, 0xfffffff0),
      member('good.dcm', outOfRangeNumbersDicom('zip-good-3')),
    ]),
  );
  for (const n of ['smaller-than-declared.dcm', 'larger-than-declared.dcm', 'huge-declared.dcm']) {
    bad.push({ path: `${join(hostile, 'lying-sizes.zip')}!/${n}`, what: 'zip member whose declared size lies' });
  }
  good.push(`${join(hostile, 'lying-sizes.zip')}!/good.dcm`);
  writeFileSync(join(hostile, 'not-really.zip'), Buffer.from('PK\x03\x04 this is not an archive'));
  bad.push({ path: join(hostile, 'not-really.zip'), what: 'a .zip that is not an archive' });

  // Truncations.
  for (const n of cxr) {
    const bytes = readFileSync(join(cxrDir, n));
    for (const fraction of [0.02, 0.5, 0.999]) {
      bad.push({ path: put(hostile, `truncated-${fraction}-${n}`, bytes.subarray(0, Math.floor(bytes.length * fraction))), what: 'truncated DICOM' });
    }
  }
  const png = readFileSync(join(pngDir, truncatedPng));
  bad.push({ path: put(hostile, 'truncated-half.png', png.subarray(0, png.length >> 1)), what: 'truncated PNG' });

  // A DICOMDIR that climbs out of its folder, symbolic links and a FIFO.
  const media = join(hostile, 'media');
  mkdirSync(join(media, 'IMAGES'), { recursive: true });
  writeFileSync(join(root, 'outside.dcm'), outOfRangeNumbersDicom('outside'));
  writeFileSync(join(media, 'IMAGES', 'IM1'), outOfRangeNumbersDicom('media-1'));
  writeFileSync(join(media, 'DICOMDIR'), dicomdirReferencing(['IMAGES\\IM1', '../../outside.dcm', 'IMAGES\\../../../outside.dcm', '/etc/passwd']));
  good.push(join(media, 'IMAGES', 'IM1'));
  symlinkSync('/etc/passwd', join(hostile, 'link-to-passwd.dcm'));
  symlinkSync('..', join(hostile, 'link-to-parent'));
  bad.push({ path: join(hostile, 'link-to-passwd.dcm'), what: 'symbolic link' }, { path: join(hostile, 'link-to-parent'), what: 'symbolic link to a folder' });
  if (spawnSync('mkfifo', [join(hostile, 'fifo.dcm')]).status === 0) bad.push({ path: join(hostile, 'fifo.dcm'), what: 'a FIFO' });

  // Byte flips of real files: compressed and native, in the header and in the pixel data.
  const flipSources = [
    ...cxr.map((n) => join(cxrDir, n)),
    ...[
      'CTImage.dcm_JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50.dcm',
      'CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm',
      'CTImage.dcm_JPEGProcess10_12TransferSyntax_1.2.840.10008.1.2.4.55.dcm',
      'CTImage.dcm_JPEGProcess14TransferSyntax_1.2.840.10008.1.2.4.57.dcm',
      'CTImage.dcm_JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70.dcm',
      'CTImage.dcm_JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80.dcm',
      'CTImage.dcm_JPEGLSLossyTransferSyntax_1.2.840.10008.1.2.4.81.dcm',
      'CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm',
      'CTImage.dcm_JPEG2000TransferSyntax_1.2.840.10008.1.2.4.91.dcm',
      'CTImage.dcm_RLELosslessTransferSyntax_1.2.840.10008.1.2.5.dcm',
      'CTImage.dcm_DeflatedExplicitVRLittleEndianTransferSyntax_1.2.840.10008.1.2.1.99.dcm',
      'CTImage.dcm_BigEndianExplicitTransferSyntax_1.2.840.10008.1.2.2.dcm',
    ].map((n) => join(sharedDir, 'data', 'dicom', 'conformance', 'cornerstoneWADOImageLoader', n)),
    ...['HTJ2K_08_RGB.dcm', 'HTJ2KLossless_08_RGB.dcm', 'JLSL_16_15_1_1F.dcm', 'emri_small_RLE.dcm', 'liver_deflate.dcm'].map((n) =>
      join(sharedDir, 'data', 'dicom', 'conformance', 'pydicom-data', n),
    ),
    join(pngDir, flipPng),
  ];
  const flipsPer = Math.max(1, Math.round((options.flips ?? 160) / flipSources.length));
  flipSources.forEach((source, s) => {
    const original = readFileSync(source);
    const uid = source.endsWith('.png') ? '' : parseDicom(original, source).meta.sopInstanceUid;
    for (let v = 0; v < flipsPer; v++) {
      // Each copy gets its own SOP Instance UID (same length, so the file stays valid): a flip that still reads is a
      // new image, not a duplicate of the good original that would make the import skip one or the other.
      const copy = uid.length > 8 ? withUidReplaced(original, uid, `${uid.slice(0, -6)}9${String(s * 100 + v).padStart(5, '0')}`) : Buffer.from(original);
      const count = [1, 4, 32, 256][v % 4]!;
      // Half the variants hit the first 2 KB (header, codestream markers), half anywhere.
      const span = v % 2 === 0 ? Math.min(2048, copy.length) : copy.length;
      for (let k = 0; k < count; k++) {
        const at = Math.floor(rand() * span);
        copy[at] = copy[at]! ^ (1 + Math.floor(rand() * 255));
      }
      const ext = source.endsWith('.png') ? '.png' : '.dcm';
      flipped.push(put(hostile, `flip-${String(s).padStart(2, '0')}-${v}${ext}`, copy));
    }
  });
  return { root, clean, hostile, good, bad, flipped, outside: [join(root, 'outside.dcm')] };
}
