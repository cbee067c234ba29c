import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { Analyzer } from './analyzer.js';
import { readManifest } from './manifest.js';
import { readGrayFile } from './readGrayFile.js';

interface Golden {
  labels: string[];
  images: { image: string; probabilities: number[]; embedding_l2: number; cam_argmax_per_label: number[] }[];
}

const goldenInputs = () => sharedPath('models', 'cxr14-densenet121-demo', 'golden-inputs');

for (const packId of ['cxr14-tiny-test', 'cxr14-densenet121-demo']) {
  describe.skipIf(!hasShared)(`golden outputs of ${packId}`, () => {
    let analyzer: Analyzer;
    let golden: Golden;
    beforeAll(async () => {
      const dir = sharedPath('models', packId);
      analyzer = await Analyzer.open({ dir, manifest: await readManifest(dir) }, { provider: 'cpu' });
      golden = JSON.parse(readFileSync(join(dir, 'golden.json'), 'utf8')) as Golden;
    });
    afterAll(() => analyzer?.close());

    it('reproduces golden probabilities within 2e-3 (in fact 1e-4: same resize algorithm) from the 256 px inputs, in one batch', async () => {
      // The tiny pack's golden file names six images whose 256 px inputs are not shipped; the other six are.
      const cases = golden.images.filter((g) => existsSync(join(goldenInputs(), g.image)));
      expect(cases.length).toBeGreaterThanOrEqual(6);
      const inputs = await Promise.all(cases.map(async (g) => ({ ...(await readGrayFile(join(goldenInputs(), g.image))), meta: {} })));
      const results = await analyzer.analyseBatch(inputs);
      expect(analyzer.provider).toBe('cpu');
      let worst = 0;
      results.forEach((r, i) => {
        const g = cases[i]!;
        expect(r.probabilities.length).toBe(golden.labels.length);
        g.probabilities.forEach((p, k) => (worst = Math.max(worst, Math.abs(r.probabilities[k]! - p))));
        const l2 = Math.hypot(...r.embedding!);
        expect(Math.abs(l2 - g.embedding_l2) / g.embedding_l2).toBeLessThan(0.01);
        expect(r.cam!.length).toBe(golden.labels.length * r.camRows! * r.camCols!);
      });
      // The brief asks for 2e-3; the PyTorch-identical antialiased resize gets ~1e-6, so guard that.
      expect(worst).toBeLessThan(1e-4);
    });

    it('gives different outputs for different images', async () => {
      const names = golden.images.map((g) => g.image).filter((n) => existsSync(join(goldenInputs(), n))).slice(0, 3);
      const inputs = await Promise.all(names.map(async (n) => ({ ...(await readGrayFile(join(goldenInputs(), n))), meta: {} })));
      const [a, b, c] = await analyzer.analyseBatch(inputs);
      const diff = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + Math.abs(v - y[i]!), 0);
      expect(diff(a!.probabilities, b!.probabilities)).toBeGreaterThan(1e-3);
      expect(diff(b!.probabilities, c!.probabilities)).toBeGreaterThan(1e-3);
      expect(diff(a!.embedding!, c!.embedding!)).toBeGreaterThan(1e-2);
    });
  });
}
