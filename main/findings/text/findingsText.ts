import type { StructuredFinding } from '../structuredFinding.js';
import { PHRASES, type Language, type Phrases } from './phrases.js';

export interface TextSentence {
  /** The label the sentence is about; null for the normal-study and quality sentences. */
  label: string | null;
  text: string;
}

export interface FindingsText {
  language: Language;
  aiGenerated: true;
  header: string;
  sentences: TextSentence[];
}

function num(p: Phrases, v: number, digits = 2): string {
  return v.toFixed(digits).replace('.', p.decimal);
}

/**
 * Probability and threshold as printed: two decimals, or three when two would make them look equal (0.496 vs 0.500
 * must not read "0.50, threshold 0.50").
 */
function pair(p: Phrases, prob: number, threshold: number): [string, string] {
  const digits = prob.toFixed(2) === threshold.toFixed(2) && prob !== threshold ? 3 : 2;
  return [num(p, prob, digits), num(p, threshold, digits)];
}

function findingName(p: Phrases, label: string): string {
  return p.findings[label] ?? label.replace(/_/g, ' ').toLowerCase();
}

function location(p: Phrases, f: StructuredFinding): string {
  const loc = f.localisation;
  if (!loc) return '';
  switch (loc.organ) {
    case 'heart':
      return '';
    case 'mediastinum':
      return p.mediastinum;
    case 'diaphragm':
      return p.diaphragm(loc.laterality);
    default:
      return loc.laterality === 'bilateral' ? p.bilateral(loc.zone) : p.zone(loc.zone, p.side[loc.laterality]);
  }
}

/** The location of a finding in words (e.g. "in the right lower zone"), without leading punctuation. */
export function findingLocationText(f: StructuredFinding, language: Language): string | null {
  const text = location(PHRASES[language], f).replace(/^[ ,]+/, '');
  return text || null;
}

/** One sentence for a positive finding: certainty, name, location, severity, and the numbers behind them. */
export function findingSentence(f: StructuredFinding, language: Language): string {
  const p = PHRASES[language];
  if (!f.positive || !f.certainty) throw new Error(`${f.label} is not positive: no sentence`);
  const extent = f.severity && f.localisation ? p.percent(Math.round(f.localisation.extent * 100)) : null;
  const [prob, threshold] = pair(p, f.probability, f.threshold);
  return `${p.named(f.certainty, findingName(p, f.label))}${location(p, f)}${f.severity ? p.severity[f.severity] : ''}${p.evidence(prob, threshold, extent)}.`;
}

/**
 * The findings text of one analysed image, in the style of a report's findings section: one sentence per positive
 * finding (highest probability first), or one normal-study sentence; when the quality gate withheld the findings,
 * a sentence saying why instead. Always marked AI-generated.
 */
export function findingsText(
  findings: readonly StructuredFinding[],
  options: { language: Language; model: string; version: string; withheldCodes?: string[] },
): FindingsText {
  const p = PHRASES[options.language];
  const header = p.header(options.model, options.version);
  if (options.withheldCodes?.length) {
    const reasons = options.withheldCodes.map((c) => p.quality[c] ?? c).join('; ');
    return { language: options.language, aiGenerated: true, header, sentences: [{ label: null, text: p.withheld(reasons) }] };
  }
  const positives = findings.filter((f) => f.positive).sort((a, b) => b.probability - a.probability);
  if (positives.length) {
    return {
      language: options.language,
      aiGenerated: true,
      header,
      sentences: positives.map((f) => ({ label: f.label, text: findingSentence(f, options.language) })),
    };
  }
  const top = [...findings].sort((a, b) => b.probability - a.probability)[0];
  const topNums = top ? pair(p, top.probability, top.threshold) : null;
  const text = p.normal(findings.length, top && topNums ? { finding: findingName(p, top.label), p: topNums[0], t: topNums[1] } : null);
  return { language: options.language, aiGenerated: true, header, sentences: [{ label: null, text }] };
}
