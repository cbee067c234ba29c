import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadDisplayImage } from '../../main/images/loadImage.js';
import type { GrayImage } from '../../main/inference/preprocess.js';
import { readGrayFile } from '../../main/inference/readGrayFile.js';
import { hasShared, sharedPath } from './shared.js';

/**
 * The images the quality gate is measured on, from ../shared: the 200 NIH frontal chests (by split: the layout model
 * is fitted on `calibration` only), the real chest DICOMs, and every decodable image of the DICOM conformance set
 * (CT, MR, US, OT, NM, XA...). The gate is run on pixels only: callers pass no tags, as if they had been stripped.
 */
export type GateSet = 'nih-calibration' | 'nih-training' | 'chest-dicom' | 'conformance';

export interface GateImage {
  name: string;
  set: GateSet;
  /** The file's Modality tag (for reporting by modality; the gate does not see it). */
  modality: string;
  load(): Promise<GrayImage>;
}

const NOT_IMAGES = /\.(txt|md|csv|json|dump|gz|dat)$|README|DICOMDIR|metadata$/;

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

/** The NIH images with their split (labels.csv). */
export function nihImages(): GateImage[] {
  if (!hasShared) return [];
  const dir = sharedPath('data', 'nih-cxr14', 'images');
  const rows = readFileSync(sharedPath('data', 'nih-cxr14', 'labels.csv'), 'utf8').trim().split('\n');
  const header = rows[0]!.split(',');
  const splitCol = header.indexOf('split');
  const split = new Map(rows.slice(1).map((l) => l.split(',')).map((c) => [c[0]!, c[splitCol]!]));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => ({
      name: f,
      set: split.get(f) === 'calibration' ? 'nih-calibration' : 'nih-training',
      modality: 'PNG',
      load: () => readGrayFile(join(dir, f)),
    }));
}

/**
 * DICOM images: the chest radiographs of data/dicom/cxr and every conformance file that decodes to an image (the
 * conformance copy of the NEMA chest, RG1, counts as a chest). Decoding happens here once, to learn which files are
 * images at all; the pixels are decoded again by `load`.
 */
export async function dicomImages(): Promise<GateImage[]> {
  if (!hasShared) return [];
  const root = sharedPath('data', 'dicom');
  const out: GateImage[] = [];
  for (const file of walk(root).filter((f) => !NOT_IMAGES.test(f))) {
    let modality: string;
    try {
      modality = (await loadDisplayImage(file, 'dicom')).meta.modality || '(none)';
    } catch {
      continue; // not an image (SR, RT plan, truncated...): the conformance tests cover those
    }
    const name = relative(root, file);
    const chest = name.startsWith('cxr/') || /RG1_J2K/.test(name);
    out.push({ name, set: chest ? 'chest-dicom' : 'conformance', modality, load: async () => loadDisplayImage(file, 'dicom') });
  }
  return out;
}
