import { createHmac } from 'node:crypto';
import type { ReportDocument } from './model.js';

/**
 * De-identification of a report model (names and IDs replaced, dates shifted, UIDs remapped), in the spirit of the
 * DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile with the "Retain Longitudinal Temporal
 * Information with Modified Dates" and "Clean Structured Content" options:
 *
 * - patient name → "ANONYMOUS"; patient ID → a pseudonym (`ANON-` + 10 hex) derived with an HMAC of the site
 *   secret, so the same patient always gets the same pseudonym at one site and no one without the secret can
 *   reverse it; birth date, age, sex, accession number, institution, referring physician and study description
 *   removed (Basic Profile actions X/Z); reader names (author, signer, addenda authors) → "READER" (action D);
 * - every date and time shifted back by the same per-patient number of days (1–365, from the HMAC), so intervals
 *   between a patient's studies survive;
 * - every UID replaced by `2.25.<decimal of 128 bits of the HMAC>`: consistent (the same original UID maps to the
 *   same new UID in every export), so the SR, the FHIR bundle and a de-identified image set still match each other;
 * - free text (sections, AI finding text, addenda): the patient's and readers' known names (each word of 3+ letters),
 *   IDs, accession number, institution and every date above are replaced. Text that identifies the patient in
 *   other ways (a relative's name, a rare occupation) cannot be found this way: the reader is warned in the UI.
 */
export interface DeidentifyKey {
  /** The site secret (stored once in the data directory; see reportService). */
  secret: string;
}

function hmac(key: DeidentifyKey, message: string): Buffer {
  return createHmac('sha256', key.secret).update(message).digest();
}

export function pseudonymousPatientId(key: DeidentifyKey, patientId: string): string {
  return `ANON-${hmac(key, `patient-id:${patientId}`).toString('hex').slice(0, 10).toUpperCase()}`;
}

/** Days to shift this patient's dates back by: 1 to 365, stable per patient and site. */
export function dateShiftDays(key: DeidentifyKey, patientId: string): number {
  return 1 + (hmac(key, `date-shift:${patientId}`).readUInt32BE(0) % 365);
}

/** The replacement of a UID: `2.25.` + the first 128 bits of the HMAC as a decimal (at most 44 characters). */
export function remapUid(key: DeidentifyKey, uid: string): string {
  const h = hmac(key, `uid:${uid}`).subarray(0, 16).toString('hex');
  return `2.25.${BigInt(`0x${h}`).toString()}`;
}

export function shiftDate(date: string | null, days: number): string | null {
  if (!date) return date;
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return null;
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export function shiftTimestamp(iso: string, days: number): string {
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? iso : new Date(t - days * 86_400_000).toISOString();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every spelling of a date that free text may hold: ISO, DICOM DA, dd/mm/yyyy, mm/dd/yyyy, dd.mm.yyyy. */
function dateSpellings(date: string): string[] {
  const [y, m, d] = date.split('-');
  if (!y || !m || !d) return [date];
  return [date, `${y}${m}${d}`, `${d}/${m}/${y}`, `${m}/${d}/${y}`, `${d}.${m}.${y}`, `${d}-${m}-${y}`];
}

/** Returns a de-identified copy; the input is not changed. */
export function deidentifyReport(doc: ReportDocument, key: DeidentifyKey): ReportDocument {
  const days = dateShiftDays(key, doc.patient.id);
  const pseudoId = pseudonymousPatientId(key, doc.patient.id);
  const replacements: Array<[RegExp, string]> = [];
  // Whole words only, so an ID "13" does not eat the 13 of "13 mm".
  const whole = (v: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(v)}(?![\\p{L}\\p{N}])`, 'giu');
  const literal = (value: string, by: string, wordsToo = false) => {
    const v = value.trim();
    if (v.length >= 2) replacements.push([whole(v), by]);
    if (wordsToo) for (const w of v.split(/[\s,^]+/)) if (w.length >= 3) replacements.push([whole(w), by]);
  };
  // Longest first so "Doe, John" is replaced whole before "Doe".
  literal(doc.patient.name, 'ANONYMOUS', true);
  literal(doc.patient.id, pseudoId);
  literal(doc.study.accessionNumber, '');
  literal(doc.study.institution, '', false);
  literal(doc.study.referringPhysician, 'PHYSICIAN', true);
  for (const reader of new Set([doc.author, doc.signedBy ?? '', ...doc.addenda.map((a) => a.author)])) literal(reader, 'READER', true);
  if (doc.patient.birthDate) for (const s of dateSpellings(doc.patient.birthDate)) literal(s, '');
  literal(doc.study.studyInstanceUid, remapUid(key, doc.study.studyInstanceUid));
  replacements.sort((a, b) => b[0].source.length - a[0].source.length);
  // Any other date in the text (a prior study, an admission) is shifted like the header dates: ISO, DICOM DA
  // (8 digits starting 19/20), and day-first d/m/y or d.m.y.
  const shiftAll = (text: string) =>
    text
      .replace(/(?<!\d)((?:19|20)\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)/g, (_m, y: string, mo: string, d: string) => shiftDate(`${y}-${mo}-${d}`, days) ?? '')
      .replace(/(?<!\d)(\d{1,2})([./])(\d{1,2})\2((?:19|20)\d{2})(?!\d)/g, (m, a: string, _s: string, b: string, y: string) => {
        // Day-first unless that is impossible (05/17/2024 is month-first); the original never survives either way.
        const [d, mo] = Number(b) <= 12 ? [a, b] : [b, a];
        return shiftDate(`${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`, days) ?? m.replace(/\d/g, 'X');
      });
  const clean = (text: string) => shiftAll(replacements.reduce((t, [re, by]) => t.replace(re, by), text));

  return {
    ...doc,
    title: clean(doc.title),
    sections: doc.sections.map((s) => ({ ...s, text: clean(s.text) })),
    aiFindings: doc.aiFindings.map((f) => ({ ...f, text: clean(f.text), location: f.location === null ? null : clean(f.location) })),
    addenda: doc.addenda.map((a) => ({ ...a, text: clean(a.text), author: 'READER', createdAt: shiftTimestamp(a.createdAt, days) })),
    author: 'READER',
    signedBy: doc.signedBy === null ? null : 'READER',
    signedAt: doc.signedAt === null ? null : shiftTimestamp(doc.signedAt, days),
    createdAt: shiftTimestamp(doc.createdAt, days),
    updatedAt: shiftTimestamp(doc.updatedAt, days),
    generatedAt: shiftTimestamp(doc.generatedAt, days),
    patient: { name: 'ANONYMOUS', id: pseudoId, sex: null, birthDate: null, ageYears: null },
    study: {
      studyInstanceUid: remapUid(key, doc.study.studyInstanceUid),
      date: shiftDate(doc.study.date, days),
      time: doc.study.time,
      description: '',
      accessionNumber: '',
      institution: '',
      referringPhysician: '',
      indication: clean(doc.study.indication),
    },
    images: doc.images.map((i) => ({
      ...i,
      instanceId: null,
      sopInstanceUid: remapUid(key, i.sopInstanceUid),
      seriesInstanceUid: remapUid(key, i.seriesInstanceUid),
    })),
    deidentified: true,
  };
}
