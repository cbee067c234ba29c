import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InferenceEngine } from './inferenceEngine.js';
import { ManifestError, readManifest, type ModelManifest } from './manifest.js';
import type { TensorInfo } from './workerProtocol.js';

/** A folder found in a models directory: a valid manifest, or the reason it is not a usable pack. */
export type PackEntry = { dir: string; manifest: ModelManifest; error?: undefined } | { dir: string; manifest?: undefined; error: string };

/** Every sub-folder of the models directories that holds a manifest.json, in directory order. */
export async function listPacks(modelsDirs: readonly string[]): Promise<PackEntry[]> {
  const entries: PackEntry[] = [];
  for (const root of modelsDirs) {
    let names: string[];
    try {
      names = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    } catch {
      continue; // a models directory that does not exist yet (e.g. the per-user one) holds no packs
    }
    for (const name of names) {
      const dir = join(root, name);
      try {
        await stat(join(dir, 'manifest.json'));
      } catch {
        continue; // not a pack (e.g. models/export)
      }
      try {
        entries.push({ dir, manifest: await readManifest(dir) });
      } catch (err) {
        entries.push({ dir, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return entries;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Compares the ONNX file's declared inputs and outputs with the manifest: names always, and each dimension where
 * both give a number (a symbolic ONNX dimension such as `batch` matches anything).
 */
export function compareInterface(manifest: ModelManifest, inputs: TensorInfo[], outputs: TensorInfo[]): string[] {
  const problems: string[] = [];
  const dimsMismatch = (what: string, expected: Array<number | string>, actual: Array<number | string>) => {
    if (actual.length === 0) return; // the file does not say
    if (expected.length !== actual.length) {
      problems.push(`${what} has rank ${actual.length} in the ONNX file but ${expected.length} in the manifest ([${actual.join(', ')}] vs [${expected.join(', ')}])`);
      return;
    }
    expected.forEach((e, i) => {
      const a = actual[i]!;
      if (typeof e === 'number' && typeof a === 'number' && e !== a) {
        problems.push(`${what} dimension ${i} is ${a} in the ONNX file but ${e} in the manifest`);
      }
    });
  };
  const input = inputs.find((i) => i.name === manifest.input.name);
  if (!input) {
    problems.push(`input "${manifest.input.name}" is not in the ONNX file (it has: ${inputs.map((i) => i.name).join(', ') || 'none'})`);
  } else {
    if (input.type !== 'float32') problems.push(`input "${input.name}" is ${input.type} in the ONNX file; the manifest implies float32`);
    dimsMismatch(`input "${input.name}"`, ['batch', manifest.input.channels, manifest.input.height, manifest.input.width], input.shape);
  }
  for (const [name, spec] of Object.entries(manifest.outputs)) {
    const out = outputs.find((o) => o.name === name);
    if (!out) {
      problems.push(`output "${name}" is not in the ONNX file (it has: ${outputs.map((o) => o.name).join(', ') || 'none'})`);
      continue;
    }
    dimsMismatch(`output "${name}"`, spec.shape, out.shape);
  }
  return problems;
}

export interface PackVerification {
  id: string | null;
  version: string | null;
  dir: string;
  ok: boolean;
  problems: string[];
}

/** Checks a pack folder: manifest schema, the model file's sha256, and the ONNX interface against the manifest. */
export async function verifyPack(dir: string): Promise<PackVerification> {
  let manifest: ModelManifest;
  try {
    manifest = await readManifest(dir);
  } catch (err) {
    return { id: null, version: null, dir, ok: false, problems: [err instanceof ManifestError ? err.message : String(err)] };
  }
  const problems: string[] = [];
  const modelPath = join(dir, manifest.file);
  const prefix = `pack ${manifest.id} (${dir})`;
  let actual: string | null = null;
  try {
    actual = await sha256File(modelPath);
  } catch {
    problems.push(`${prefix}: model file ${manifest.file} is missing`);
  }
  if (actual && actual !== manifest.sha256) {
    problems.push(`${prefix}: ${manifest.file} has sha256 ${actual}, the manifest says ${manifest.sha256} (file damaged or replaced)`);
  }
  if (actual && actual === manifest.sha256) {
    let engine: InferenceEngine | null = null;
    try {
      engine = await InferenceEngine.open(modelPath, { provider: 'cpu' });
      for (const p of compareInterface(manifest, engine.inputs, engine.outputs)) problems.push(`${prefix}: ${p}`);
    } catch (err) {
      problems.push(`${prefix}: onnxruntime cannot load ${manifest.file}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await engine?.close();
    }
  }
  return { id: manifest.id, version: manifest.version, dir, ok: problems.length === 0, problems };
}

/** Files of a pack that are copied on install (never anything else in the folder, e.g. golden-inputs/). */
function packFiles(m: ModelManifest): string[] {
  return ['manifest.json', m.file, ...(m.card ? [m.card] : []), 'golden.json'];
}

/**
 * Verifies the pack at `source` and copies it into `<targetRoot>/<id>`. A pack already installed there with the
 * same id is replaced only when `replace` is set; a pack that fails verification is refused with its problems.
 */
export async function installPack(source: string, targetRoot: string, options: { replace?: boolean } = {}): Promise<{ dir: string; manifest: ModelManifest }> {
  const src = resolve(source);
  const check = await verifyPack(src);
  if (!check.ok) throw new ManifestError(`cannot install ${src}: ${check.problems.join('; ')}`);
  const manifest = await readManifest(src);
  const dest = join(targetRoot, manifest.id);
  if (resolve(dest) === src) return { dir: dest, manifest };
  const existing = await readManifest(dest).catch(() => null);
  if (existing && !options.replace) {
    throw new ManifestError(`cannot install ${src}: pack ${manifest.id} is already installed in ${dest} (version ${existing.version}); pass replace to overwrite it`);
  }
  const staging = `${dest}.installing`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  for (const f of packFiles(manifest)) {
    const from = join(src, f);
    if (await stat(from).then(() => true, () => false)) await cp(from, join(staging, f));
  }
  // Verify the copy before it replaces anything, so a failed install leaves the old pack intact.
  const copied = await verifyPack(staging);
  if (!copied.ok) {
    await rm(staging, { recursive: true, force: true });
    throw new ManifestError(`cannot install ${src}: the copy failed verification: ${copied.problems.join('; ')}`);
  }
  await rm(dest, { recursive: true, force: true });
  await rename(staging, dest);
  return { dir: dest, manifest };
}
