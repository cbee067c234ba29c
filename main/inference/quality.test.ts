import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { loadDisplayImage } from '../images/loadImage.js';
import { resizeGray } from './preprocess.js';
import { assessQuality, checkImage, checkTags } from './quality.js';
import { readGrayFile } from './readGrayFile.js';

const S = 224;

describe('quality gate: DICOM tags', () => {
  it('flags lateral views, other body parts, other modalities and single-side images; accepts a PA chest', () => {
    expect(checkTags({ modality: 'CR', viewPosition: 'PA', bodyPart: 'CHEST' })).toEqual([]);
    expect(checkTags({ modality: 'DX', viewPosition: 'AP', bodyPart: '' })).toEqual([]);
    expect(checkTags({ viewPosition: 'LL' }).map((f) => f.code)).toEqual(['lateral_view']);
    expect(checkTags({ modality: 'DX', bodyPart: 'KNEE' }).map((f) => f.code)).toEqual(['not_chest']);
    expect(checkTags({ modality: 'CT' }).map((f) => f.code)).toEqual(['not_radiograph']);
    expect(checkTags({ modality: 'MG', imageLaterality: 'L' }).map((f) => f.code)).toEqual(['not_radiograph', 'lateralised']);
  });
});

describe.skipIf(!hasShared)('quality gate: image check on the real NIH images', () => {
  it('passes frontal chests, flags their inverted and rotated versions (rates printed)', async () => {
    const dir = sharedPath('data', 'nih-cxr14', 'images');
    const files = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
    let passed = 0, invertedFlagged = 0, rotatedFlagged = 0;
    for (const f of files) {
      const r = await resizeGray(await readGrayFile(`${dir}/${f}`), S, S);
      if (checkImage(r, S, S).flags.length === 0) passed++;
      const inv = r.map((v) => 1 - v);
      if (checkImage(inv, S, S).flags.some((x) => x.code === 'inverted_polarity')) invertedFlagged++;
      const rot = new Float32Array(r.length);
      for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) rot[x * S + (S - 1 - y)] = r[y * S + x]!;
      if (checkImage(rot, S, S).flags.length > 0) rotatedFlagged++;
    }
    const n = files.length;
    console.log(`[quality] ${n} NIH frontal images: ${passed} pass; inverted: ${invertedFlagged} flagged; rotated 90°: ${rotatedFlagged} flagged`);
    expect(n).toBe(200);
    expect(passed / n).toBeGreaterThanOrEqual(0.97);
    expect(invertedFlagged / n).toBeGreaterThanOrEqual(0.97);
    expect(rotatedFlagged / n).toBeGreaterThanOrEqual(0.7);
    expect(checkImage(new Float32Array(S * S).fill(0.5), S, S).flags.map((f) => f.code)).toEqual(['low_contrast']);
  });

  it('passes the four real chest DICOMs (MONOCHROME1 and 2) and flags CT and MR by their tags', async () => {
    for (const f of readdirSync(sharedPath('data', 'dicom', 'cxr')).filter((x) => x.endsWith('.dcm'))) {
      const img = await loadDisplayImage(sharedPath('data', 'dicom', 'cxr', f), 'dicom');
      const q = assessQuality(img.meta, await resizeGray(img, S, S), S, S);
      expect(q.flags, `${f}: ${JSON.stringify(q.flags)}`).toEqual([]);
    }
    for (const f of ['CT_small.dcm', 'MR_small.dcm']) {
      const img = await loadDisplayImage(sharedPath('data', 'dicom', 'conformance', 'pydicom-2.3.1-debian', 'test_files', f), 'dicom');
      const q = assessQuality(img.meta, await resizeGray(img, S, S), S, S);
      expect(q.ok).toBe(false);
      expect(q.flags.map((x) => x.code)).toContain('not_radiograph');
    }
  });
});
