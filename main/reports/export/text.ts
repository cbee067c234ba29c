import { reportLabels } from '../labels.js';
import { aiProvenance, hasAiContent, type ReportDocument } from '../model.js';

/** Formats a probability as a percentage with one decimal (locale-neutral, so tests and parsers agree). */
export function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** A stored ISO timestamp as people read it: `2024-05-20 08:31 UTC`. */
export function formatTimestamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

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

/** The AI block: notice, accepted findings with probability and threshold, model provenance. Empty when no AI. */
export function aiLines(doc: ReportDocument): string[] {
  if (!hasAiContent(doc)) return [];
  const L = reportLabels(doc.language);
  const lines = [L.aiNotice];
  if (doc.aiFindings.length) {
    lines.push(`${L.aiFindings}:`);
    for (const f of doc.aiFindings) {
      lines.push(`- ${f.label}: ${L.probability} ${percent(f.probability)}, ${L.threshold} ${percent(f.threshold)}${f.decision === 'edited' ? ' (edited)' : ''}`);
    }
  }
  for (const p of aiProvenance(doc)) lines.push(`${L.model}: ${p.modelPack} ${p.modelVersion}, ${L.threshold} ${p.thresholdVersion}`);
  return lines;
}

/** Plain text export (UTF-8, LF line ends). */
export function renderText(doc: ReportDocument): string {
  const L = reportLabels(doc.language);
  const out: string[] = [];
  out.push(doc.title.toUpperCase(), `${L.state[doc.state]}`, '');
  if (doc.deidentified) out.push(L.deidentified, '');
  for (const [k, v] of headerLines(doc)) out.push(`${k}: ${v}`);
  out.push('');
  for (const s of doc.sections) {
    if (s.name === 'patient') continue; // the header above already says it, from the same data
    out.push(`${s.title.toUpperCase()}${s.aiDerived ? ` ${L.aiSectionMark}` : ''}`);
    out.push(s.text.trim() || '-', '');
  }
  const ai = aiLines(doc);
  if (ai.length) out.push('---', ...ai, '');
  out.push(signatureLine(doc));
  for (const a of doc.addenda) {
    out.push('', `${L.addendum.toUpperCase()} (${a.author}, ${formatTimestamp(a.createdAt)})`, a.text);
  }
  return out.join('\n') + '\n';
}
