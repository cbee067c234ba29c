import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { installPack, listPacks, verifyPack } from './packs.js';
import { readManifest } from './manifest.js';

const tmp = mkdtempSync(join(tmpdir(), 'cxr-packs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the tiny pack with its manifest edited by `edit`. */
function packCopy(name: string, edit: (m: Record<string, any>) => void): string {
  const dir = join(tmp, 'src', name);
  cpSync(sharedPath('models', 'cxr14-tiny-test'), dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  edit(m);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
  return dir;
}

describe.skipIf(!hasShared)('model packs: verify and install', () => {
  it('verifies both shared packs (sha256, manifest, ONNX interface)', async () => {
    for (const id of ['cxr14-tiny-test', 'cxr14-densenet121-demo']) {
      const v = await verifyPack(sharedPath('models', id));
      expect(v, v.problems.join('\n')).toMatchObject({ id, ok: true, problems: [] });
    }
  });

  it('refuses a pack whose ONNX outputs or input shape differ from the manifest, naming the pack and the mismatch', async () => {
    const renamed = packCopy('renamed', (m) => {
      m.outputs.probs = m.outputs.probabilities;
      delete m.outputs.probabilities;
    });
    // The schema requires a probabilities output: refused before the ONNX check, naming the file.
    const v1 = await verifyPack(renamed);
    expect(v1.ok).toBe(false);
    expect(v1.problems[0]).toContain(join(renamed, 'manifest.json'));

    const extra = packCopy('extra-output', (m) => {
      m.outputs.heatmap = { shape: ['batch', 14] };
    });
    const v2 = await verifyPack(extra);
    expect(v2.ok).toBe(false);
    expect(v2.problems.join()).toMatch(/pack cxr14-tiny-test .*output "heatmap" is not in the ONNX file/);

    const size = packCopy('size', (m) => {
      m.input.width = 256;
    });
    const v3 = await verifyPack(size);
    expect(v3.problems.join()).toMatch(/input "image" dimension 3 is 224 in the ONNX file but 256 in the manifest/);

    const emb = packCopy('emb', (m) => {
      m.outputs.embedding.shape = ['batch', 1024];
    });
    expect((await verifyPack(emb)).problems.join()).toMatch(/output "embedding" dimension 1 is 64 in the ONNX file but 1024/);

    const name = packCopy('input-name', (m) => {
      m.input.name = 'pixels';
    });
    expect((await verifyPack(name)).problems.join()).toMatch(/input "pixels" is not in the ONNX file \(it has: image\)/);
  });

  it('refuses a damaged model file by sha256', async () => {
    const dir = packCopy('damaged', () => undefined);
    const bytes = readFileSync(join(dir, 'model.onnx'));
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(join(dir, 'model.onnx'), bytes);
    const v = await verifyPack(dir);
    expect(v.ok).toBe(false);
    expect(v.problems.join()).toMatch(/model.onnx has sha256 [0-9a-f]{64}, the manifest says f7af6d40/);
  });

  it('installs a verified pack into the target folder, refuses a second install without replace, lists it', async () => {
    const target = join(tmp, 'user-models');
    const { dir, manifest } = await installPack(sharedPath('models', 'cxr14-tiny-test'), target);
    expect(dir).toBe(join(target, 'cxr14-tiny-test'));
    expect(existsSync(join(dir, 'model.onnx'))).toBe(true);
    expect((await readManifest(dir)).sha256).toBe(manifest.sha256);
    await expect(installPack(sharedPath('models', 'cxr14-tiny-test'), target)).rejects.toThrow(/already installed/);
    await installPack(sharedPath('models', 'cxr14-tiny-test'), target, { replace: true });
    await expect(installPack(packCopy('bad-for-install', (m) => (m.input.height = 100)), target, { replace: true })).rejects.toThrow(
      /cannot install .*dimension 2 is 224 in the ONNX file but 100/,
    );
    const listed = await listPacks([join(tmp, 'missing-dir'), target]);
    expect(listed.map((e) => e.manifest?.id)).toEqual(['cxr14-tiny-test']);
  });
});
