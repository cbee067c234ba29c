import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { DicomError, parseDicom, sniffDicom } from './index.js';

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** Files the collections ship as documentation or JSON, not DICOM. */
const NOT_DICOM = /\.(txt|md|csv|json|dump|gz)$|README$|\/wadors\//;

describe.skipIf(!hasShared)('every conformance and chest file parses or fails with a DicomError', () => {
  const root = sharedPath('data', 'dicom');
  const files = hasShared ? [...walk(join(root, 'conformance')), ...walk(join(root, 'cxr'))].sort() : [];

  it('parses each file and decodes its first frame, or names the file and the problem', async () => {
    const failures: string[] = [];
    let parsed = 0;
    let decoded = 0;
    for (const file of files) {
      const bytes = readFileSync(file);
      try {
        const dicom = parseDicom(bytes, file);
        parsed++;
        if (dicom.meta.hasPixelData) {
          const frame = await dicom.decodeFrame(0);
          expect(frame.data.length, file).toBe(frame.width * frame.height * frame.samplesPerPixel);
          decoded++;
        }
      } catch (thrown) {
        // Anything but a DicomError whose message starts with the path is a bug.
        expect(thrown, file).toBeInstanceOf(DicomError);
        expect((thrown as DicomError).message.startsWith(`${file}: `), file).toBe(true);
        const message = (thrown as DicomError).message.slice(root.length + 1);
        if (NOT_DICOM.test(file)) expect(message, file).toMatch(/not a DICOM file/);
        else failures.push(message);
      }
    }
    // The expected failures: truncated files, non-DICOM files, objects without an image, a broken J2K codestream
    // and a segmented palette. A regression elsewhere shows up as a larger list.
    const dicomFiles = files.filter((f) => !NOT_DICOM.test(f));
    expect(parsed).toBeGreaterThanOrEqual(dicomFiles.length - 4);
    expect(decoded).toBeGreaterThanOrEqual(240);
    expect(failures.length, failures.join('\n')).toBeLessThanOrEqual(12);
    expect(failures.join('\n')).toMatch(/MR_truncated\.dcm: truncated/);
    expect(failures.join('\n')).toMatch(/rtplan_truncated\.dcm: truncated/);
  });

  it('sniffs Part 10 files and the preamble-less chest file, but not text', () => {
    expect(sniffDicom(readFileSync(join(root, 'cxr', 'rsna_CR_jpegbaseline_1024.dcm')))).toBe(true);
    expect(sniffDicom(readFileSync(join(root, 'cxr', 'fodicom_CR-MONO1-10-chest_nometa_implicit_440.dcm')))).toBe(true);
    expect(sniffDicom(readFileSync(join(root, 'cxr', 'SOURCE.txt')))).toBe(false);
    expect(sniffDicom(new Uint8Array(0))).toBe(false);
  });

  it('names the file and the problem for non-DICOM and truncated input', () => {
    expect(() => parseDicom(new TextEncoder().encode('hello, this is not an image'), '/x/note.txt')).toThrow(
      /^\/x\/note\.txt: not a DICOM file/,
    );
    const whole = readFileSync(join(root, 'cxr', 'nih_google_DX_implicitLE_1024.dcm'));
    const cut = whole.subarray(0, whole.length - 5000);
    const attempt = async () => (await parseDicom(cut, '/x/cut.dcm')).decodeFrame(0);
    return expect(attempt()).rejects.toThrow(/^\/x\/cut\.dcm: .*truncated/);
  });
});
