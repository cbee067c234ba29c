import type { z } from 'zod';
import type { FindingSiteSchema, OrganSchema } from '../api/analysis.js';

/**
 * Where each finding can be, written once as data. The findings text may name a place only when the CAM's hot region
 * lies where these rules allow (see place.ts), so the words never contradict anatomy:
 * - pneumothorax: at the apex or along the lateral chest wall; one side unless two separate regions;
 * - pleural effusion: at the base (costophrenic angle); the site is implied, so only the side is named;
 * - cardiomegaly, hiatal hernia, edema, emphysema: whole-organ or diffuse findings, never a lung zone or side;
 * - nodule, mass: one side unless two separate regions (then plural: "bilateral nodules");
 * - parenchymal findings: lung zones only (upper lung, midlung, base); never the mediastinum.
 * A frontal radiograph cannot separate lobes (the middle and lower lobes overlap), so the zones are named the way the
 * Open-i reports name what they cannot assign to a lobe: "right upper lung", "left midlung", "right base".
 */

/** The structure a finding belongs to. */
export type Organ = z.infer<typeof OrganSchema>;
export type Site = z.infer<typeof FindingSiteSchema>;
/** Lung zones for parenchymal findings. */
export type LungSite = Extract<Site, 'upper' | 'mid' | 'base'>;
/** Pleural sites. */
export type PleuralSite = Extract<Site, 'apex' | 'lateral' | 'base'>;

export type PlaceRule =
  /** Parenchymal: a lung zone of one lung, or both lungs when the hot region has a separate part in each. */
  | { kind: 'lungZone' }
  /** Pleural: only at these sites; `nameSite: false` when the site is implied by the finding itself. */
  | { kind: 'pleural'; sites: readonly PleuralSite[]; nameSite: boolean }
  /** Whole-organ or diffuse finding: the text never names a side or a zone. */
  | { kind: 'none' };

export interface AnatomyRule {
  organ: Organ;
  place: PlaceRule;
  /** May the finding be stated on both sides (two separate hot regions, one in each lung)? */
  bilateral: boolean;
  /**
   * Which extent words the finding takes when its place is stated: `size` (small / moderate / large: effusion,
   * pneumothorax), `spread` (focal / extensive: airspace findings), or none (a nodule's size needs millimetres, the
   * heart's size a cardiothoracic ratio; neither is a lung-field fraction).
   */
  extent: 'size' | 'spread' | 'none';
  /** Countable findings are written in the plural when stated on both sides ("bilateral pleural effusions"). */
  countable: boolean;
}

const lungZone = (extent: AnatomyRule['extent'], countable = false): AnatomyRule => ({
  organ: 'lung',
  place: { kind: 'lungZone' },
  bilateral: true,
  extent,
  countable,
});
const wholeOrgan = (organ: Organ): AnatomyRule => ({ organ, place: { kind: 'none' }, bilateral: false, extent: 'none', countable: false });

/** The rules of the 14 ChestX-ray14 labels. */
export const ANATOMY_RULES: Readonly<Record<string, AnatomyRule>> = {
  Atelectasis: lungZone('spread'),
  Cardiomegaly: wholeOrgan('heart'),
  Effusion: { organ: 'pleura', place: { kind: 'pleural', sites: ['base'], nameSite: false }, bilateral: true, extent: 'size', countable: true },
  Infiltration: lungZone('spread'),
  Mass: lungZone('none', true),
  Nodule: lungZone('none', true),
  Pneumonia: lungZone('spread'),
  Pneumothorax: { organ: 'pleura', place: { kind: 'pleural', sites: ['apex', 'lateral'], nameSite: true }, bilateral: true, extent: 'size', countable: true },
  Consolidation: lungZone('spread'),
  Edema: wholeOrgan('lung'),
  Emphysema: wholeOrgan('lung'),
  Fibrosis: lungZone('none'),
  Pleural_Thickening: { organ: 'pleura', place: { kind: 'pleural', sites: ['apex', 'lateral', 'base'], nameSite: true }, bilateral: true, extent: 'none', countable: false },
  Hernia: wholeOrgan('diaphragm'),
};

/**
 * A label no rule knows (a pack may bring its own labels) is named without a place: there is no rule to say where
 * it may lie, so the text cannot stand behind one.
 */
export const UNKNOWN_LABEL_RULE: AnatomyRule = wholeOrgan('lung');

export function anatomyRule(label: string): AnatomyRule {
  return ANATOMY_RULES[label] ?? UNKNOWN_LABEL_RULE;
}

/**
 * Pertinent negatives, in the order a report states them: for a normal study, every one of these that the model
 * assessed at a validated operating point and did not call; beside called findings, only the first two
 * (the classic "no pneumothorax or pleural effusion").
 */
export const PERTINENT_NEGATIVES = ['Pneumothorax', 'Effusion', 'Consolidation', 'Edema', 'Mass', 'Cardiomegaly'] as const;
export const PERTINENT_NEGATIVES_BESIDE_FINDINGS = ['Pneumothorax', 'Effusion'] as const;

/**
 * The stated criterion for naming a place. Localisation facts come from the CAM (7×7 for the demo packs) and an
 * approximate lung field; a place is named only when all of these hold:
 * 1. the lung field was found in the image (not the fallback template: its midline is a guess);
 * 2. the CAM's maximum is not in the outermost ring of CAM cells (border cells see the film edge and the padding;
 *    on the 200 NIH images 61% of all maxima fall there, against 49% of the cells);
 * 3. the maximum lies in the lung field or within half a CAM cell of it (pleural findings sit at its edge);
 * 4. every hot part holding at least `MIN_REGION_SHARE` of the hot weight lies clearly on one side
 *    (`SIDE_SHARE` of its weight), and all of them on the same side, or, for findings that may be bilateral,
 *    separate parts in each lung;
 * 5. the site (lung zone, or apex / lateral / base for pleural findings) is one the rule allows.
 * Extent words additionally need the hot region to cover at least `MIN_EXTENT` of the lung field.
 */
export const PLACE_CRITERIA = {
  MIN_REGION_SHARE: 0.2,
  SIDE_SHARE: 0.8,
  MIN_EXTENT: 0.02,
} as const;
