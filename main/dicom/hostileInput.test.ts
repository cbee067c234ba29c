import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFLATED_LE, dicomdirReferencing, gradientPixels, imageElements, outOfRangeNumbersDicom, writeDicom } from '../../test/helpers/dicomWriter.js';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { readDataSet } from './readDataSet.js';
import { DicomError, parseDicom, readDicomdir } from './index.js';

const conformance = (...p: string[]) => sharedPath('data', 'dicom', 'conformance', ...p);
const chestJ2k = sharedPath('data', 'dicom', 'cxr', 'nema_wg04_RG1_J2KI_CR_chest_MONO1_1841x1955.dcm');

/** Absolute offset of the first fragment of the pixel data. */
function firstFragment(bytes: Buffer): { start: number; length: number } {
  const { dataSet } = readDataSet(bytes, 'test');
  const fragment = dataSet.elements['x7fe00010']!.fragments![0]!;
  return { start: (dataSet.byteArray as Uint8Array).byteOffset - bytes.byteOffset + fragment.position, length: fragment.length };
}

async function decodeError(bytes: Uint8Array, name: string, limits?: Parameters<typeof parseDicom>[2]): Promise<string> {
  try {
    await parseDicom(bytes, name, limits).decodeFrame(0);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(DicomError);
    return (thrown as Error).message;
  }
  throw new Error(`${name} decoded`);
}

describe('numbers no column can hold', () => {
  it('InstanceNumber, SeriesNumber and NumberOfFrames of 20 digits are absent, with a warning each; the image decodes', async () => {
    const dicom = parseDicom(outOfRangeNumbersDicom('t'), 'numbers.dcm');
    expect(dicom.meta).toMatchObject({ instanceNumber: null, seriesNumber: null, numberOfFrames: 1 });
    expect(dicom.meta.warnings).toHaveLength(3);
    expect(dicom.meta.warnings.join('\n')).toMatch(/Instance Number \(0020,0013\) 99999999999999999999 is out of range.*stored as absent/);
    expect((await dicom.decodeFrame(0)).width).toBe(64);
  });

  it('keeps in-range values, negative ones included', () => {
    const bytes = writeDicom(
      imageElements({ rows: 2, columns: 2, pixels: new Uint8Array(4), extra: [{ tag: '0020,0013', vr: 'IS', value: '-2147483648' }, { tag: '0020,0011', vr: 'IS', value: '2147483647' }] }),
    );
    const { meta } = parseDicom(bytes, 'ok.dcm');
    expect([meta.instanceNumber, meta.seriesNumber, meta.warnings]).toEqual([-2147483648, 2147483647, []]);
  });
});

describe('limits are checked before anything is allocated, and named', () => {
  it('a deflated data set that would inflate past maxDecodedBytes is refused while inflating', () => {
    const size = 4096; // a 1-bit bitmap of zeros: 2 MiB inflated, a few KB deflated
    const bomb = writeDicom(imageElements({ rows: size, columns: size, bitsAllocated: 1, pixels: new Uint8Array((size * size) / 8) }), DEFLATED_LE);
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => parseDicom(bomb, 'bomb.dcm', { maxDeclaredPixels: 1e9, maxDecodedBytes: 1024 * 1024 })).toThrow(
      /^bomb\.dcm: the deflated data set expands further than allowed: over the limit maxDecodedBytes = 1 MiB$/,
    );
    // Within the limit it reads.
    expect(parseDicom(bomb, 'bomb.dcm').meta.rows).toBe(size);
  });

  it('a header declaring more pixels than maxDeclaredPixels is refused before its pixel data is looked at', async () => {
    const bytes = writeDicom(imageElements({ rows: 65535, columns: 65535, bitsAllocated: 1, pixels: new Uint8Array(16) }));
    expect(await decodeError(bytes, 'huge.dcm')).toMatch(
      /^huge\.dcm: the header declares 65535 × 65535 pixels \(4294836225 pixels\): over the limit maxDeclaredPixels = 268435456$/,
    );
  });

  it('a frame whose decoding would need more than maxDecodedBytes is refused, with what it would need', async () => {
    const bytes = writeDicom(imageElements({ rows: 512, columns: 512, bitsAllocated: 16, pixels: new Uint8Array(512 * 512 * 2) }));
    const message = await decodeError(bytes, 'big.dcm', { maxDeclaredPixels: 1e9, maxDecodedBytes: 1024 * 1024 });
    expect(message).toMatch(/^big\.dcm: decoding a 512 × 512 frame as the header declares it needs about 1\.8 MiB: over the limit maxDecodedBytes = 1 MiB$/);
  });

  it.skipIf(!hasShared)('a JPEG 2000 codestream larger than its header is refused from its SIZ segment, before decoding', async () => {
    const bytes = Buffer.from(readFileSync(chestJ2k));
    const { start } = firstFragment(bytes);
    const siz = bytes.indexOf(Buffer.from([0xff, 0x51]), start);
    bytes.writeUInt32BE(30000, siz + 6);
    bytes.writeUInt32BE(30000, siz + 10);
    const started = performance.now();
    expect(await decodeError(bytes, 'lying.dcm')).toMatch(/^lying\.dcm: the JPEG 2000 codestream declares 30000 × 30000 pixels .*over the limit maxDeclaredPixels/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it.skipIf(!hasShared)('a 12-bit JPEG frame header declaring 20000 × 20000 is refused before the decoder runs', async () => {
    const bytes = Buffer.from(readFileSync(conformance('cornerstoneWADOImageLoader', 'CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm')));
    const { start } = firstFragment(bytes);
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc1]), start);
    bytes.writeUInt16BE(20000, sof + 5);
    bytes.writeUInt16BE(20000, sof + 7);
    expect(await decodeError(bytes, 'jpeg12.dcm')).toMatch(/the JPEG data declares 20000 × 20000 pixels .*over the limit maxDeclaredPixels/);
  });
});

describe.skipIf(!hasShared)('codec failures are said in words', () => {
  const cases = [
    ['JPEG-LS', 'CTImage.dcm_JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80.dcm', /JPEG-LS decoder \(CharLS\) stopped: the compressed data is damaged/],
    ['JPEG baseline', 'CTImage.dcm_JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50.dcm', /JPEG decoder \(libjpeg-turbo\) stopped: the compressed data is damaged/],
    ['12-bit JPEG', 'CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm', /12-bit JPEG decoder \(IJG\) stopped: the compressed data is damaged/],
    ['JPEG 2000', 'CTImage.dcm_JPEG2000TransferSyntax_1.2.840.10008.1.2.4.91.dcm', /JPEG 2000 data of the frame holds no readable image: it is damaged/],
  ] as const;
  for (const [name, file, expected] of cases) {
    it(`${name}: a damaged codestream is described, never a bare codec number`, async () => {
      const bytes = Buffer.from(readFileSync(conformance('cornerstoneWADOImageLoader', file)));
      const { start, length } = firstFragment(bytes);
      bytes.fill(0x55, start + 100, start + length);
      const message = await decodeError(bytes, 'damaged.dcm');
      expect(message).toMatch(expected);
      expect(message).not.toMatch(/: \d+$|unreachable$/);
    });
  }
});

describe('DICOMDIR references stay inside the media folder', () => {
  it('refuses ".." components, separators inside a component and absolute paths, and follows the rest', () => {
    const root = mkdtempSync(join(tmpdir(), 'cxr-dicomdir-'));
    const media = join(root, 'media');
    mkdirSync(join(media, 'IMAGES'), { recursive: true });
    writeFileSync(join(media, 'IMAGES', 'IM1'), gradientPixels(2, 2));
    writeFileSync(join(root, 'outside.dcm'), gradientPixels(2, 2));
    const bytes = dicomdirReferencing(['IMAGES\\IM1', '../outside.dcm', 'IMAGES\\..\\..\\outside.dcm', '/etc/passwd', 'C:\\boot.ini']);
    const listing = readDicomdir(bytes, join(media, 'DICOMDIR'));
    expect(listing.files).toEqual([join(media, 'IMAGES', 'IM1')]);
    expect(listing.refused.map((r) => r.fileId)).toEqual(['../outside.dcm', 'IMAGES\\..\\..\\outside.dcm', '/etc/passwd', 'C:\\boot.ini']);
    expect(listing.refused[0]!.reason).toMatch(/not followed: the component "\.\.\/outside\.dcm" is a path, not a file name/);
    expect(listing.refused[1]!.reason).toMatch(/not followed: the component "\.\." climbs out of the media folder/);
  });
});
