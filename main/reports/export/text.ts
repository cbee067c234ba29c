import { aiDetailsLines, aiSectionLines, formatTimestamp } from '../aiSection.js';
import { aiSectionWords } from '../aiSectionWords.js';
import { deidentificationLines, reportLabels } from '../labels.js';
import { readerSections, type ReportDocument } from '../model.js';
import { cleanText } from '../plainText.js';

export { formatTimestamp, percent } from '../aiSection.js';

/** The header lines (patient and study) every human-readable format prints, in the report's language. */
export function headerLines(doc: ReportDocument): Array<[string, string]> {
  const L = reportLabels(doc.language);
  const rows: Array<[string, string]> = [
    [L.patient, doc.patient.name],
    [L.patientId, doc.patient.id],
    [L.sex, doc.patient.sex ?? ''],
    [L.birthDate, doc.patient.birthDate ?? ''],
    [L.age, doc.patient.ageYears === null ? '' : String(doc.patient.ageYears)],
    [L.studyDate, [doc.study.date, doc.study.time].filter(Boolean).join(' ')],
    [L.accession, doc.study.accessionNumber],
    [L.institution, doc.study.institution],
    [L.referringPhysician, doc.study.referringPhysician],
  ];
  return rows.filter(([, v]) => v.trim() !== '');
}

/** The signature line: who signed and when, or "not signed" with the state. */
export function signatureLine(doc: ReportDocument): string {
  const L = reportLabels(doc.language);
  return doc.state === 'final' && doc.signedBy && doc.signedAt
    ? `${L.signedBy} ${doc.signedBy}, ${formatTimestamp(doc.signedAt)}`
    : `${L.notSigned} (${L.state[doc.state]})`;
}

/**
 * The AI section every format prints, generated from the record of what the AI did: its title, the lines saying
 * what ran, what was shown and what the reader decided, and the AI details appendix (probabilities, thresholds).
 */
export function aiBlock(doc: ReportDocument): { title: string; lines: string[]; details: string[] } {
  return { title: aiSectionWords(doc.language).title, lines: aiSectionLines(doc.ai, doc.language), details: aiDetailsLines(doc.ai, doc.language) };
}

/** The de-identification statement (empty for an identified export). */
export function deidLines(doc: ReportDocument): string[] {
  return doc.deidentification ? deidentificationLines(doc.deidentification, doc.language) : [];
}

/** Plain text export (UTF-8, LF line ends, no control or bidi-override characters). */
export function renderText(doc: ReportDocument): string {
  const L = reportLabels(doc.language);
  const out: string[] = [];
  out.push(doc.title.toUpperCase(), `${L.state[doc.state]}`, '');
  const deid = deidLines(doc);
  if (deid.length) out.push(...deid, '');
  for (const [k, v] of headerLines(doc)) out.push(`${k}: ${v}`);
  out.push('');
  for (const s of readerSections(doc)) {
    out.push(`${s.title.toUpperCase()}${s.aiDerived ? ` ${L.aiSectionMark}` : ''}`);
    out.push(s.text.trim() || '-', '');
  }
  const ai = aiBlock(doc);
  out.push(ai.title.toUpperCase(), ...ai.lines, '');
  if (ai.details.length) out.push(...ai.details, '');
  out.push(signatureLine(doc));
  for (const a of doc.addenda) {
    out.push('', `${L.addendum.toUpperCase()} (${a.author}, ${formatTimestamp(a.createdAt)})`, a.text);
  }
  // The model is cleaned when it is built; cleaning again here keeps this format safe whatever fed it.
  return cleanText(out.join('\n')) + '\n';
}
