import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { toDisplayGray } from '../images/display.js';
import type { DecodedFrame } from '../images/types.js';
import { isDicomdir, parseDicom, readDicomdir } from './index.js';

const cxr = (file: string) => sharedPath('data', 'dicom', 'cxr', file);
const open = (path: string) => parseDicom(readFileSync(path), path);

/** Mean displayed grey level over a vertical band (fractions of the width), between 30% and 70% of the height. */
function bandMean(gray: Float32Array, frame: DecodedFrame, x0: number, x1: number): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(frame.height * 0.3); y < frame.height * 0.7; y++) {
    for (let x = Math.floor(frame.width * x0); x < frame.width * x1; x++) {
      sum += gray[y * frame.width + x]!;
      n++;
    }
  }
  return sum / n;
}

describe.skipIf(!hasShared)('real chest radiographs', () => {
  const cases = [
    { file: 'rsna_CR_jpegbaseline_1024.dcm', width: 1024, height: 1024, photometric: 'MONOCHROME2', syntax: '1.2.840.10008.1.2.4.50' },
    { file: 'nih_google_DX_implicitLE_1024.dcm', width: 1024, height: 1024, photometric: 'MONOCHROME2', syntax: '1.2.840.10008.1.2' },
    // No preamble and no file meta header: read as implicit VR little endian.
    { file: 'fodicom_CR-MONO1-10-chest_nometa_implicit_440.dcm', width: 440, height: 440, photometric: 'MONOCHROME1', syntax: '1.2.840.10008.1.2' },
    { file: 'nema_wg04_RG1_J2KI_CR_chest_MONO1_1841x1955.dcm', width: 1841, height: 1955, photometric: 'MONOCHROME1', syntax: '1.2.840.10008.1.2.4.91' },
  ];

  for (const c of cases) {
    it(`${c.file}: decodes at ${c.width}x${c.height} and shows lungs darker than the mediastinum`, async () => {
      const dicom = open(cxr(c.file));
      expect(dicom.meta.transferSyntaxUid).toBe(c.syntax);
      expect(dicom.meta.photometric).toBe(c.photometric);
      expect(dicom.display.photometric).toBe(c.photometric);
      const frame = await dicom.decodeFrame();
      expect([frame.width, frame.height, frame.samplesPerPixel]).toEqual([c.width, c.height, 1]);
      const gray = toDisplayGray(frame, dicom.display);
      const mediastinum = bandMean(gray, frame, 0.45, 0.55);
      const rightLung = bandMean(gray, frame, 0.2, 0.3);
      const leftLung = bandMean(gray, frame, 0.7, 0.8);
      // MONOCHROME1 files are inverted by the pipeline, so in every case air is dark and the spine/heart bright.
      expect(mediastinum - rightLung).toBeGreaterThan(0.15);
      expect(mediastinum - leftLung).toBeGreaterThan(0.15);
    });
  }

  it('nih_google_DX_implicitLE_1024.dcm: metadata matches the published JSON', () => {
    const json = JSON.parse(readFileSync(cxr('nih_google_DX_implicitLE_1024.json'), 'utf8')) as Record<string, { Value?: unknown[] }>;
    const value = (tag: string) => json[tag]?.Value?.[0];
    const { meta } = open(cxr('nih_google_DX_implicitLE_1024.dcm'));
    expect(meta.sopClassUid).toBe(value('00080016'));
    expect(meta.sopInstanceUid).toBe(value('00080018'));
    expect(meta.studyInstanceUid).toBe(value('0020000D'));
    expect(meta.seriesInstanceUid).toBe(value('0020000E'));
    expect(meta.modality).toBe('DX');
    expect(meta.studyDescription).toBe('No Finding');
    expect(meta.patientId).toBe('Covid0000');
    expect(meta.patientName).toBe('Covid0000');
    expect(meta.patientSex).toBe('M');
    expect(meta.patientAgeYears).toBe(81);
    expect([meta.rows, meta.columns, meta.bitsAllocated, meta.bitsStored, meta.highBit, meta.pixelRepresentation]).toEqual([1024, 1024, 8, 8, 7, 0]);
    expect(meta.samplesPerPixel).toBe(1);
  });

  it('rsna_CR_jpegbaseline_1024.dcm: reads view position and pixel spacing', () => {
    const { meta } = open(cxr('rsna_CR_jpegbaseline_1024.dcm'));
    expect(meta.viewPosition).toBe('PA');
    expect(meta.modality).toBe('CR');
    expect(meta.pixelSpacing).toEqual({ rowMm: 0.168, colMm: 0.168, source: 'PixelSpacing' });
  });
});

describe.skipIf(!hasShared)('other structures', () => {
  const testFiles = (...parts: string[]) => sharedPath('data', 'dicom', 'conformance', 'pydicom-2.3.1-debian', 'test_files', ...parts);
  const pydicomData = (file: string) => sharedPath('data', 'dicom', 'conformance', 'pydicom-data', file);

  it('lists the files of DICOMDIRs (explicit, implicit, big endian, reordered) and they all exist', () => {
    for (const name of ['DICOMDIR', 'DICOMDIR-implicit', 'DICOMDIR-bigEnd', 'DICOMDIR-reordered']) {
      const path = testFiles('dicomdirtests', name);
      const bytes = readFileSync(path);
      expect(isDicomdir(bytes), name).toBe(true);
      expect(isDicomdir(parseDicom(bytes, path).meta), name).toBe(true);
      const { files, refused } = readDicomdir(bytes, path);
      expect(files.length, name).toBe(31);
      expect(refused, name).toEqual([]);
      for (const file of files) {
        expect(file.startsWith(dirname(path)), file).toBe(true);
        expect(existsSync(file), file).toBe(true);
      }
    }
    expect(readDicomdir(readFileSync(testFiles('dicomdirtests', 'DICOMDIR-empty.dcm')), testFiles('dicomdirtests', 'DICOMDIR-empty.dcm'))).toEqual({
      files: [],
      refused: [],
    });
    expect(isDicomdir(readFileSync(cxr('rsna_CR_jpegbaseline_1024.dcm')))).toBe(false);
  });

  it('decodes each frame of multi-frame files', async () => {
    const dicom = open(pydicomData('emri_small_RLE.dcm'));
    expect(dicom.meta.numberOfFrames).toBe(10);
    const first = await dicom.decodeFrame(0);
    const last = await dicom.decodeFrame(9);
    expect(last.data).not.toEqual(first.data);
    await expect(dicom.decodeFrame(10)).rejects.toThrow(/emri_small_RLE\.dcm: frame 10 requested, the file has 10/);
  });

  it('reads big endian and deflated files with their metadata', async () => {
    const bigEndian = open(testFiles('MR_small_bigendian.dcm'));
    expect(bigEndian.meta.transferSyntaxUid).toBe('1.2.840.10008.1.2.2');
    expect(bigEndian.meta.modality).toBe('MR');
    const deflated = open(testFiles('image_dfl.dcm'));
    expect(deflated.meta.transferSyntaxUid).toBe('1.2.840.10008.1.2.1.99');
    const frame = await deflated.decodeFrame();
    expect(frame.width * frame.height).toBe(deflated.meta.rows * deflated.meta.columns);
  });

  it('applies PALETTE COLOR tables and reports segmented palettes as unsupported', async () => {
    const palette = open(pydicomData('OT-PAL-8-face.dcm'));
    expect(palette.meta.photometric).toBe('PALETTE COLOR');
    expect(palette.display.photometric).toBe('RGB');
    const frame = await palette.decodeFrame();
    expect(frame.samplesPerPixel).toBe(3);
    expect(frame.data).toBeInstanceOf(Uint8Array);
    await expect(open(pydicomData('gdcm-US-ALOKA-16.dcm')).decodeFrame()).rejects.toThrow(/gdcm-US-ALOKA-16\.dcm: PALETTE COLOR with segmented/);
  });

  it('decodes names and text with the Specific Character Set', () => {
    const charsets = (file: string) => sharedPath('data', 'dicom', 'conformance', 'pydicom-2.3.1-debian', 'charset_files', file);
    const name = (file: string) => open(charsets(file)).meta.patientName;
    expect(name('chrFren.dcm')).toBe('Buc, Jérôme');
    expect(name('chrRuss.dcm')).toBe('Люкceмбypг');
    expect(name('chrGreek.dcm')).toBe('Διονυσιος');
    expect(name('chrJapMulti.dcm')).toBe('やまだ, たろう');
    expect(name('chrKoreanMulti.dcm')).toBe('김희중');
    expect(name('chrX2.dcm')).toBe('Wang, XiaoDong');
  });

  it('reads the Modality LUT Sequence and the VOI LUT Sequence', () => {
    const modality = open(pydicomData('mlut_18.dcm')).display;
    expect(modality.modalityLut?.data.length).toBeGreaterThan(0);
    const voi = open(pydicomData('vlut_04.dcm')).display;
    expect(voi.voiLuts.length).toBeGreaterThan(0);
  });
});
