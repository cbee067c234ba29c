/**
 * CAM localisation against the expert boxes shipped with the NIH images (bboxes.csv), with the demo pack, each figure
 * beside what chance would give:
 *   npx tsx bench/camLocalisation.ts
 *
 * - peak inside: the CAM's maximum falls in the expert box; chance = a random point in the image, and a random point
 *   in the lung field (the fairer baseline: the maps rarely peak outside the chest);
 * - box hit: one of the CAM's boxes overlaps the expert box; chance = boxes of the same sizes placed at random in
 *   the image (exact, not sampled);
 * - place named: whether the per-finding criterion (place.ts) would name a place for the label were the pack's
 *   localisation validated and, if so, whether its side is the side of the expert box (the demo pack's is not
 *   validated, so its text names none).
 * With 9 boxes these are anecdotes, not estimates: the one-sided p-value of the hits against the chance rates
 * (Poisson binomial) says how far they are from luck.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anatomyRule } from '../main/findings/anatomyRules.js';
import { downsample, lungField, type LungField } from '../main/findings/lungMask.js';
import type { Box } from '../main/findings/localize.js';
import { decidePlace } from '../main/findings/place.js';
import { Analyzer, LOCALISATION_GRID } from '../main/inference/analyzer.js';
import { readManifest } from '../main/inference/manifest.js';
import { resizeAntialiased } from '../main/inference/preprocess.js';
import { readGrayFile } from '../main/inference/readGrayFile.js';
import { hasShared, projectRoot, sharedPath } from '../test/helpers/shared.js';

if (!hasShared) {
  console.log('bench/camLocalisation: ../shared (images and boxes) not found; nothing to measure.');
  process.exit(0);
}

/** P(at least k successes) for independent trials with success probabilities ps. */
function atLeast(k: number, ps: number[]): number {
  let dist = [1];
  for (const p of ps) {
    const next = new Array<number>(dist.length + 1).fill(0);
    dist.forEach((v, i) => {
      next[i]! += v * (1 - p);
      next[i + 1]! += v * p;
    });
    dist = next;
  }
  return dist.slice(k).reduce((a, b) => a + b, 0);
}

/** Probability that a bw×bh box placed uniformly inside a W×H image overlaps the box e. */
function randomOverlap(bw: number, bh: number, e: Box, W: number, H: number): number {
  const axis = (size: number, len: number, lo: number, span: number) => {
    const range = Math.max(0, len - size);
    if (range === 0) return lo < size && lo + span > 0 ? 1 : 0;
    const a = Math.max(0, lo - size);
    const b = Math.min(range, lo + span);
    return Math.max(0, b - a) / range;
  };
  return axis(bw, W, e.x, e.w) * axis(bh, H, e.y, e.h);
}

/** Share of lung-field pixels (localisation grid) whose centres fall inside the box. */
function lungShareIn(field: LungField, e: Box, W: number, H: number): number {
  let n = 0;
  let inside = 0;
  for (let i = 0; i < field.mask.length; i++) {
    if (!field.mask[i]) continue;
    n++;
    const x = ((i % field.width) + 0.5) * (W / field.width);
    const y = (Math.floor(i / field.width) + 0.5) * (H / field.height);
    if (x >= e.x && x <= e.x + e.w && y >= e.y && y <= e.y + e.h) inside++;
  }
  return n ? inside / n : 0;
}

const packDir = join(projectRoot, 'models', 'cxr14-densenet121-demo');
const manifest = await readManifest(packDir);
const imagesDir = sharedPath('data', 'nih-cxr14', 'images');
const rows = readFileSync(sharedPath('data', 'nih-cxr14', 'bboxes.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const analyzer = await Analyzer.open({ dir: packDir, manifest }, { provider: 'cpu' });
const { width: IW, height: IH } = manifest.input;
const chance = { pointImage: [] as number[], pointLung: [] as number[], box: [] as number[] };
let peakIn = 0;
let boxHit = 0;
let named = 0;
let sideRight = 0;
let measured = 0;
console.log(`pack ${manifest.id} ${manifest.version}; ${rows.length} expert boxes (bboxes.csv)`);
try {
  for (const [image, finding, xs, ys, ws, hs] of rows) {
    // bboxes.csv says Infiltrate where the label list says Infiltration.
    const label = finding === 'Infiltrate' ? 'Infiltration' : finding!;
    if (!manifest.labels.includes(label)) {
      console.log(`  ${image} ${finding}: not a label of this pack, skipped`);
      continue;
    }
    const e: Box = { x: Number(xs), y: Number(ys), w: Number(ws), h: Number(hs) };
    const img = await readGrayFile(join(imagesDir, image!));
    // The lung field as the analyzer finds it, before the pixels are handed to its worker (transferred, not copied).
    const g = LOCALISATION_GRID;
    const field = lungField(downsample(resizeAntialiased(img, IW, IH), IW, IH, g, g), g, g);
    const [r] = await analyzer.analyseBatch([{ ...img, meta: {} }]);
    const loc = r!.localisations[label]!;
    const inside = loc.peak.x >= e.x && loc.peak.x <= e.x + e.w && loc.peak.y >= e.y && loc.peak.y <= e.y + e.h;
    const hit = loc.boxes.some((b) => b.x < e.x + e.w && b.x + b.w > e.x && b.y < e.y + e.h && b.y + b.h > e.y);
    measured++;
    peakIn += inside ? 1 : 0;
    boxHit += hit ? 1 : 0;
    chance.pointImage.push((e.w * e.h) / (img.width * img.height));
    chance.pointLung.push(lungShareIn(field, e, img.width, img.height));
    chance.box.push(1 - loc.boxes.reduce((miss, b) => miss * (1 - randomOverlap(b.w, b.h, e, img.width, img.height)), 1));
    const place = decidePlace(anatomyRule(label), loc);
    // The expert box's side: its centre against the lung field's midline (the patient's right is on the image's left).
    const boxSide = e.x + e.w / 2 < (field.midlineX + 0.5) * (img.width / g) ? 'right' : 'left';
    if (place.stated) {
      named++;
      if (place.place.side === boxSide || place.place.side === 'both') sideRight++;
    }
    const p = r!.probabilities[manifest.labels.indexOf(label)]!;
    const where = place.stated ? `place named: ${place.place.side}${place.place.site ? ` ${place.place.site}` : ''} (expert box: ${boxSide})` : `no place (${place.reason})`;
    console.log(`  ${image} ${finding!.padEnd(12)} p=${p.toFixed(3)}  peak inside ${inside ? 'yes' : 'no '}  box hit ${hit ? 'yes' : 'no '}  ${where}`);
  }
} finally {
  await analyzer.close();
}
const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
console.log('');
console.log(`  peak inside the expert box   ${peakIn}/${measured}   chance: random point in the image ${sum(chance.pointImage).toFixed(2)}/${measured}, in the lung field ${sum(chance.pointLung).toFixed(2)}/${measured}; P(>= ${peakIn} by chance in the lung field) = ${atLeast(peakIn, chance.pointLung).toFixed(3)}`);
console.log(`  a CAM box overlaps the box   ${boxHit}/${measured}   chance: same-size boxes placed at random ${sum(chance.box).toFixed(2)}/${measured}; P(>= ${boxHit} by chance) = ${atLeast(boxHit, chance.box).toFixed(3)}`);
console.log(`  criterion would name a place ${named}/${measured}   on the expert box's side: ${sideRight}/${named} (the demo pack's localisation is not validated: its text names none)`);
console.log(
  `\ncamLocalisation: peak inside ${peakIn}/${measured} vs ${sum(chance.pointLung).toFixed(2)} by chance (lung field), box hit ${boxHit}/${measured} vs ${sum(chance.box).toFixed(2)} by chance; criterion would name a place ${named}/${measured}, on the right side ${sideRight}/${named}`,
);
