import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { poolRegion, regionSearchSupport } from './regionPooling.js';

/** A [D, h, w] map whose channel c at cell (i, j) is c * 100 + i * 10 + j: every pooled value is checkable by hand. */
function syntheticMap(d: number, h: number, w: number): Float32Array {
  const m = new Float32Array(d * h * w);
  for (let c = 0; c < d; c++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) m[c * h * w + i * w + j] = c * 100 + i * 10 + j;
  return m;
}

describe('poolRegion', () => {
  const shape = { d: 3, h: 4, w: 4 };
  const map = syntheticMap(3, 4, 4);
  const image = { width: 400, height: 400 };

  it('over the whole image equals global average pooling', () => {
    const pooled = poolRegion(map, shape, image, { x: 0, y: 0, w: 400, h: 400 });
    // Mean of i*10 + j over a 4x4 grid is 15 + 1.5.
    expect([...pooled]).toEqual([16.5, 116.5, 216.5]);
  });

  it('over exactly one cell returns that cell', () => {
    const pooled = poolRegion(map, shape, image, { x: 200, y: 100, w: 100, h: 100 });
    expect([...pooled]).toEqual([12, 112, 212]);
  });

  it('weights partly covered cells by covered area', () => {
    // Columns 0 (full, 100 px) and 1 (half, 50 px) of row 0: (0 * 100 + 1 * 50) / 150.
    const pooled = poolRegion(map, shape, image, { x: 0, y: 0, w: 150, h: 100 });
    expect(pooled[0]).toBeCloseTo(1 / 3, 6);
    // A box inside one cell still gives that cell.
    expect(poolRegion(map, shape, image, { x: 310, y: 310, w: 5, h: 5 })[1]).toBe(133);
  });

  it('clips boxes to the image and refuses empty ones', () => {
    const clipped = poolRegion(map, shape, image, { x: 300, y: 300, w: 500, h: 500 });
    expect([...clipped]).toEqual([33, 133, 233]);
    expect(() => poolRegion(map, shape, image, { x: 500, y: 0, w: 10, h: 10 })).toThrow(/outside the image/);
    expect(() => poolRegion(new Float32Array(5), shape, image, { x: 0, y: 0, w: 1, h: 1 })).toThrow(/needs 48/);
  });
});

describe('regionSearchSupport', () => {
  it('accepts a manifest with a featureMap whose channels match the embedding', () => {
    const support = regionSearchSupport({
      id: 'x',
      outputs: { embedding: { shape: ['batch', 1024] }, featureMap: { shape: ['batch', 1024, 7, 7] } },
    });
    expect(support).toEqual({ supported: true, output: 'featureMap', shape: { d: 1024, h: 7, w: 7 } });
  });

  it('explains a channel mismatch and a malformed shape', () => {
    const mismatch = regionSearchSupport({ id: 'x', outputs: { embedding: { shape: ['batch', 64] }, featureMap: { shape: ['batch', 1024, 7, 7] } } });
    expect(mismatch).toMatchObject({ supported: false, reason: expect.stringMatching(/1024 channels but the embedding has 64/) });
    const malformed = regionSearchSupport({ id: 'x', outputs: { featureMap: { shape: ['batch', 'd', 7] } } });
    expect(malformed).toMatchObject({ supported: false, reason: expect.stringMatching(/\[N, D, h, w\]/) });
  });

  it.skipIf(!hasShared)('says the demo pack is unsupported, and why', () => {
    const manifest = JSON.parse(readFileSync(sharedPath('models', 'cxr14-densenet121-demo', 'manifest.json'), 'utf8'));
    const support = regionSearchSupport(manifest);
    expect(support.supported).toBe(false);
    if (!support.supported) {
      expect(support.reason).toMatch(/cxr14-densenet121-demo does not output a spatial feature map/);
      expect(support.reason).toMatch(/probabilities, logits, embedding, cam/);
    }
  });
});
