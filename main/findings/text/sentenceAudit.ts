import { PLACE_CRITERIA } from '../anatomyRules.js';
import type { StructuredFinding } from '../structuredFinding.js';
import type { FindingsText } from './findingsText.js';

/**
 * The impossible sentences of issue 10, as checks a generated text can be audited with (the benchmark counts them
 * over the NIH images; the tests require zero on every combination of facts). Word checks read the English text;
 * the number checks hold in every language.
 */
export const BAD_PATTERNS = [
  /** "emphysema in the mediastinum": a parenchymal finding placed in the mediastinum (any finding, in fact). */
  'mediastinum',
  /** pneumothorax "bilateral" without a separate hot region in each lung. */
  'pneumothorax_bilateral_without_two_regions',
  /** pneumothorax in the lower zones. */
  'pneumothorax_lower_zone',
  /** mass/nodule "bilateral" without a separate hot region in each lung. */
  'mass_nodule_bilateral_without_two_regions',
  /** "small extent (about 0% of the lung field)": an extent word with no lung-field extent behind it. */
  'extent_word_without_extent',
  /** any percentage of the lung field in the clinical text. */
  'percent_of_lung_field',
  /** pleural effusion "most marked in the upper zones". */
  'effusion_upper_zone',
  /** "hiatal hernia at the right hemidiaphragm", or cardiomegaly with a side or zone. */
  'whole_organ_finding_with_place',
  /** any number (probability, threshold) in the clinical text: they belong in the details. */
  'number_in_clinical_text',
  /** a details line printing a probability equal to its threshold when they differ. */
  'probability_printed_equal_to_threshold',
] as const;
export type BadPattern = (typeof BAD_PATTERNS)[number];

export interface TextAudit {
  counts: Record<BadPattern, number>;
  /** Sentences naming each side, per label: the balance the issue found lopsided (infiltrate right 171, left 18). */
  sides: Record<string, { right: number; left: number; both: number }>;
  /** Called findings, and how many of them name a place. */
  called: number;
  placed: number;
}

export function emptyAudit(): TextAudit {
  return { counts: Object.fromEntries(BAD_PATTERNS.map((p) => [p, 0])) as Record<BadPattern, number>, sides: {}, called: 0, placed: 0 };
}

/** Whether the localisation has separate hot parts in both lungs, each large enough to count. */
function twoSeparateRegions(f: StructuredFinding): boolean {
  const parts = f.localisation?.facts?.regions.filter((r) => r.share >= PLACE_CRITERIA.MIN_REGION_SHARE) ?? [];
  return parts.some((r) => r.side === 'right') && parts.some((r) => r.side === 'left');
}

const NUMBER = /\d+(?:[.,]\d+)?/g;

/** Adds one image's text to an audit. `findings` are the structured findings the text was written from. */
export function auditText(audit: TextAudit, findings: readonly StructuredFinding[], text: FindingsText): TextAudit {
  const c = audit.counts;
  const byLabel = new Map(findings.map((f) => [f.label, f]));
  const english = text.language === 'en';
  for (const s of text.sentences) {
    const t = s.text;
    if (/\d/.test(t)) c.number_in_clinical_text++;
    if (/%/.test(t) || (english && /lung field/i.test(t))) c.percent_of_lung_field++;
    if (!english) continue;
    if (/mediastin/i.test(t)) c.mediastinum++;
    const f = s.label ? byLabel.get(s.label) : undefined;
    if (!f) continue;
    const bilateral = /\bbilateral\b|\bbi(apical|basilar)\b/i.test(t);
    if (f.label === 'Pneumothorax' && bilateral && !twoSeparateRegions(f)) c.pneumothorax_bilateral_without_two_regions++;
    if (f.label === 'Pneumothorax' && /\b(lower|basilar|basal|base)\b/i.test(t)) c.pneumothorax_lower_zone++;
    if ((f.label === 'Mass' || f.label === 'Nodule') && bilateral && !twoSeparateRegions(f)) c.mass_nodule_bilateral_without_two_regions++;
    if (/\b(small|moderate|large|focal|extensive)\b/i.test(t) && (f.localisation?.extent ?? 0) < PLACE_CRITERIA.MIN_EXTENT) c.extent_word_without_extent++;
    if (f.label === 'Effusion' && /\b(upper|apical|apex|mid)/i.test(t)) c.effusion_upper_zone++;
    if ((f.label === 'Hernia' || f.label === 'Cardiomegaly') && /\b(right|left|bilateral|hemidiaphragm|zone|lung|apical|basilar|base)\b/i.test(t)) {
      c.whole_organ_finding_with_place++;
    }
  }
  for (const line of text.details.lines) {
    const f = line.label ? byLabel.get(line.label) : undefined;
    const [p, t] = line.text.match(NUMBER) ?? [];
    if (f && p !== undefined && t !== undefined && p === t && f.probability !== f.threshold) c.probability_printed_equal_to_threshold++;
  }
  for (const f of findings) {
    if (!f.positive || !text.sentences.some((s) => s.label === f.label)) continue;
    audit.called++;
    if (!f.place.stated) continue;
    audit.placed++;
    const sides = (audit.sides[f.label] ??= { right: 0, left: 0, both: 0 });
    sides[f.place.place.side]++;
  }
  return audit;
}
