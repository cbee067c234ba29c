import { anatomyRule, PERTINENT_NEGATIVES, PERTINENT_NEGATIVES_BESIDE_FINDINGS } from '../anatomyRules.js';
import type { StructuredFinding } from '../structuredFinding.js';
import { PHRASES, type FindingName, type Language, type Phrases } from './phrases.js';

export interface TextSentence {
  /** The label the sentence is about; null for sentences about the study (negatives, withheld, none stated). */
  label: string | null;
  text: string;
}

export interface FindingsText {
  language: Language;
  aiGenerated: true;
  header: string;
  /** The clinical text: words only, no probabilities, thresholds or lung-field percentages. */
  sentences: TextSentence[];
  /**
   * The "AI details" appendix printed beside the clinical text: one line per assessed finding with its probability,
   * operating threshold and where it came from, whether it was called, and why a place was or was not named.
   */
  details: { title: string; lines: TextSentence[] };
}

function nameOf(p: Phrases, label: string): FindingName {
  const known = p.names[label];
  if (known) return known;
  const plain = label.replace(/_/g, ' ').toLowerCase();
  return { sg: plain, pl: plain, gender: 'm' };
}

function num(p: Phrases, v: number, digits: number): string {
  return v.toFixed(digits).replace('.', p.decimal);
}

/**
 * Probability and threshold as printed: two decimals, more when two would print different numbers alike
 * (0.496 against 0.500 must not read "0.50, threshold 0.50").
 */
export function formatPair(p: Phrases, prob: number, threshold: number): [string, string] {
  let digits = 2;
  while (digits < 12 && prob !== threshold && prob.toFixed(digits) === threshold.toFixed(digits)) digits++;
  return [num(p, prob, digits), num(p, threshold, digits)];
}

/** The place of a finding in words for lists and the details (e.g. "right side, base"); null when not stated. */
export function findingLocationText(f: StructuredFinding, language: Language): string | null {
  return f.place.stated ? PHRASES[language].place(f.place.place) : null;
}

/** The clinical sentence of a called finding: certainty, extent, place and name, under its anatomical rule. */
export function findingSentence(f: StructuredFinding, language: Language): string {
  if (!f.positive || !f.certainty) throw new Error(`${f.label} is not called: no sentence`);
  const p = PHRASES[language];
  const rule = anatomyRule(f.label);
  const place = f.place.stated ? f.place.place : null;
  return p.finding({
    certainty: f.certainty,
    name: nameOf(p, f.label),
    plural: rule.countable && place?.side === 'both',
    rule,
    place,
    extent: f.severity && rule.extent !== 'none' ? { kind: rule.extent, severity: f.severity } : null,
  });
}

function detailLines(p: Phrases, findings: readonly StructuredFinding[]): TextSentence[] {
  const ordered = [...findings].sort((a, b) => Number(b.positive) - Number(a.positive) || b.probability - a.probability);
  return ordered.map((f) => {
    const [prob, threshold] = formatPair(p, f.probability, f.threshold);
    return {
      label: f.label,
      text: p.details.line({
        name: nameOf(p, f.label).sg,
        p: prob,
        t: threshold,
        source: f.thresholdSource,
        called: f.positive ? f.certainty : null,
        place: f.positive && f.place.stated ? f.place.place : null,
        unstated: f.positive && !f.place.stated ? f.place.reason : null,
      }),
    };
  });
}

/**
 * The findings text of one analysed image, in the style of a report's findings section: one sentence per called
 * finding (highest probability first) followed by the pertinent negatives, or, for a study with nothing called, the
 * pertinent negatives alone. Negatives are written only for findings with a validated operating point. When the
 * quality gate withheld the findings, one sentence says why and nothing else is stated. Always marked AI-generated;
 * the numbers go to `details`.
 */
export function findingsText(
  findings: readonly StructuredFinding[],
  options: { language: Language; model: string; version: string; withheldCodes?: string[] },
): FindingsText {
  const p = PHRASES[options.language];
  const base = { language: options.language, aiGenerated: true as const, header: p.header(options.model, options.version) };
  if (options.withheldCodes?.length) {
    const reasons = options.withheldCodes.map((c) => p.quality[c] ?? c).join('; ');
    return { ...base, sentences: [{ label: null, text: p.withheld(reasons) }], details: { title: p.details.title, lines: [] } };
  }
  const called = findings.filter((f) => f.positive && f.certainty).sort((a, b) => b.probability - a.probability);
  // Only labels with a validated operating point become structured findings (presentAnalysis.ts findingsOf): the text
  // never sees the others, so each finding here may be called, or written as a negative when it is not.
  const validated = findings;
  const negativesFrom = (labels: readonly string[]) =>
    labels.filter((l) => validated.some((f) => f.label === l && !f.positive)).map((l) => nameOf(p, l).sg);
  const sentences: TextSentence[] = called.map((f) => ({ label: f.label, text: findingSentence(f, options.language) }));
  const negatives = negativesFrom(called.length ? PERTINENT_NEGATIVES_BESIDE_FINDINGS : PERTINENT_NEGATIVES);
  if (negatives.length) sentences.push({ label: null, text: p.negatives(negatives) });
  else if (!called.length) sentences.push({ label: null, text: validated.length ? p.noneCalled(validated.length) : p.noValidated });
  return { ...base, sentences, details: { title: p.details.title, lines: detailLines(p, findings) } };
}
