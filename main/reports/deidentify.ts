import { createHmac } from 'node:crypto';
import type { ReportAiUse } from '../api/reports.js';
import { createScrubber } from './deid/freeText.js';
import type { ReportDocument } from './model.js';

/**
 * De-identification of a report model, in the spirit of the DICOM PS3.15 Annex E Basic Application Level
 * Confidentiality Profile with the "Retain Longitudinal Temporal Information with Modified Dates" and "Clean
 * Structured Content" options:
 *
 * - patient name → "ANONYMOUS"; patient ID → a pseudonym (`ANON-` + 10 hex) derived with an HMAC of the site
 *   secret, so the same patient always gets the same pseudonym at one site and no one without the secret can
 *   reverse it; birth date, age, sex, accession number, institution, referring physician and study description
 *   removed (Basic Profile actions X/Z); reader names (author, signer, addenda authors) → "READER" (action D);
 * - every date and time shifted back by the same per-patient number of days (1–365, from the HMAC), so intervals
 *   between a patient's studies survive;
 * - every UID replaced by `2.25.<decimal of 128 bits of the HMAC>`: consistent (the same original UID maps to the
 *   same new UID in every export), so the SR, the FHIR bundle and a de-identified image set still match each other;
 * - free text (sections, title, AI text, addenda): every identifier known for the patient in any spacing,
 *   punctuation or accenting (the ID also as its bare number), the names of everyone in the report and the common
 *   nicknames of their given names, and every phone number, street address, e-mail address, UID and date in the
 *   common forms (deid/freeText.ts), counted per kind in `deidentification`;
 * - key images: their pixels may carry the patient's name burned in, so a thumbnail is kept only when its file
 *   says Burned In Annotation (0028,0301) = NO; others are left out (PNG/JPEG files cannot say, so they always are).
 * What no rule can find (a relative's name, a rare occupation) is not cleaned, and every export says so.
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
  return iso === '' || Number.isNaN(t) ? iso : new Date(t - days * 86_400_000).toISOString();
}

/** Returns a de-identified copy; the input is not changed. */
export function deidentifyReport(doc: ReportDocument, key: DeidentifyKey): ReportDocument {
  const days = dateShiftDays(key, doc.patient.id);
  const pseudoId = pseudonymousPatientId(key, doc.patient.id);
  const readers = [...new Set([doc.author, doc.signedBy ?? '', ...doc.addenda.map((a) => a.author)])].filter((r) => r.trim());
  const scrubber = createScrubber({
    people: [
      { name: doc.patient.name, replacement: 'ANONYMOUS' },
      { name: doc.study.referringPhysician, replacement: 'PHYSICIAN' },
      ...readers.map((r) => ({ name: r, replacement: 'READER' })),
    ],
    identifiers: [
      { value: doc.patient.id, replacement: pseudoId },
      { value: doc.study.accessionNumber, replacement: '' },
    ].filter((i) => i.value.trim()),
    institutions: [doc.study.institution],
    uids: [doc.study.studyInstanceUid, ...doc.images.flatMap((i) => [i.sopInstanceUid, i.seriesInstanceUid])]
      .filter(Boolean)
      .map((value) => ({ value, replacement: remapUid(key, value) })),
    removedDates: doc.patient.birthDate ? [doc.patient.birthDate] : [],
    shiftDate: (d) => shiftDate(d, days),
  });
  const clean = (text: string) => scrubber.clean(text);
  const cleanOrNull = (text: string | null) => (text === null ? null : clean(text));

  const ai: ReportAiUse = {
    ...doc.ai,
    frozenAt: doc.ai.frozenAt === null ? null : shiftTimestamp(doc.ai.frozenAt, days),
    images: doc.ai.images.map((img) => ({
      ...img,
      instanceId: null,
      analysisId: null,
      analysedAt: shiftTimestamp(img.analysedAt, days),
      withheld: cleanOrNull(img.withheld),
      labels: img.labels.map((l) => ({ ...l, shownText: cleanOrNull(l.shownText), readerText: cleanOrNull(l.readerText) })),
    })),
  };

  let imagesOmitted = 0;
  let imagesKept = 0;
  const images = doc.images.map((i) => {
    const hasPixels = i.png !== null || i.heatmapPng !== null;
    const keep = i.burnedIn === 'NO';
    if (hasPixels) keep ? imagesKept++ : imagesOmitted++;
    return {
      ...i,
      instanceId: null,
      sopInstanceUid: remapUid(key, i.sopInstanceUid),
      seriesInstanceUid: remapUid(key, i.seriesInstanceUid),
      // A file name can hold the patient's number (NIH images do); the de-identified copy never names the file.
      fileName: '',
      png: keep ? i.png : null,
      heatmapPng: keep ? i.heatmapPng : null,
    };
  });

  const out: ReportDocument = {
    ...doc,
    title: clean(doc.title),
    sections: doc.sections.map((s) => ({ ...s, title: clean(s.title), text: clean(s.text) })),
    ai,
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
    images,
    deidentification: { freeText: { ...scrubber.counts }, imagesOmitted, imagesKept, shiftDays: days },
  };
  return out;
}
