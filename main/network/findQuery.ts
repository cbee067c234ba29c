import type { FindInput, RemoteStudy } from '../api/network.js';

/**
 * One study-level query, two encodings: C-FIND identifier keys (dcmjs naturalized keywords) and QIDO-RS query
 * parameters; and the matches of either back to one shape. Names without a wildcard match as a prefix ("Smith"
 * finds "SMITH^JOHN"), the way a reader types them.
 */

function dicomDate(iso: string): string {
  return iso.replace(/-/g, '');
}

/** DICOM date range matching: from-to, from- (on or after), -to (on or before). */
export function dateRange(from?: string, to?: string): string {
  if (!from && !to) return '';
  return `${from ? dicomDate(from) : ''}-${to ? dicomDate(to) : ''}`;
}

function nameKey(name: string | undefined): string {
  if (!name) return '';
  const dicom = name.replace(/,\s*/g, '^');
  return /[*?]/.test(dicom) ? dicom : `${dicom}*`;
}

/** The matching keys a query sets (return keys are added by the C-FIND request itself). */
function matchingKeys(q: FindInput): Record<string, string> {
  const keys: Record<string, string> = {};
  if (q.patientId) keys.PatientID = q.patientId;
  if (q.patientName) keys.PatientName = nameKey(q.patientName);
  const dates = dateRange(q.from, q.to);
  if (dates) keys.StudyDate = dates;
  if (q.modality) keys.ModalitiesInStudy = q.modality.toUpperCase();
  if (q.accessionNumber) keys.AccessionNumber = q.accessionNumber;
  if (q.studyInstanceUid) keys.StudyInstanceUID = q.studyInstanceUid;
  return keys;
}

/** Identifier for a study-root C-FIND at STUDY level. */
export function cFindKeys(q: FindInput): Record<string, unknown> {
  return matchingKeys(q);
}

/** QIDO-RS /studies query parameters. */
export function qidoParams(q: FindInput): Record<string, string> {
  return {
    ...matchingKeys(q),
    limit: String(q.limit + 1),
    // The other attributes shown are in QIDO-RS's default study-level return set (PS3.18 table 10.6.3-3); one field
    // only, because dicomweb-client encodes the comma of a list and some servers then read it as one name.
    includefield: 'StudyDescription',
  };
}

function isoDate(da: string | null | undefined): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(da ?? '');
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

function isoTime(tm: string | null | undefined): string | null {
  const m = /^(\d{2})(\d{2})?(\d{2})?/.exec((tm ?? '').replace(/:/g, ''));
  return m ? `${m[1]}:${m[2] ?? '00'}:${m[3] ?? '00'}` : null;
}

/** "Family^Given^Middle" → "Family, Given Middle" (the worklist's display form). */
export function displayName(pn: string): string {
  const [family = '', given = '', middle = ''] = pn.split('=')[0]!.split('^');
  const rest = [given, middle].filter(Boolean).join(' ');
  return rest ? `${family.trim()}, ${rest.trim()}` : family.trim();
}

function personName(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return personName(v[0]);
  if (v && typeof v === 'object' && 'Alphabetic' in v) return String((v as { Alphabetic: unknown }).Alphabetic ?? '');
  return '';
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(text).join('\\');
  return String(v).trim();
}

function count(v: unknown): number | null {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return v === undefined || v === null || v === '' || !Number.isFinite(n) ? null : n;
}

function modalities(v: unknown): string[] {
  return text(v)
    .split('\\')
    .map((m) => m.trim())
    .filter(Boolean);
}

type Remote = Omit<RemoteStudy, 'localStudyId'>;

/** A C-FIND match (dcmjs naturalized attributes). */
export function fromCFindMatch(e: Record<string, unknown>): Remote {
  return {
    studyInstanceUid: text(e.StudyInstanceUID),
    patientId: text(e.PatientID),
    patientName: displayName(personName(e.PatientName)),
    patientBirthDate: isoDate(text(e.PatientBirthDate)),
    patientSex: text(e.PatientSex),
    studyDate: isoDate(text(e.StudyDate)),
    studyTime: isoTime(text(e.StudyTime)),
    accessionNumber: text(e.AccessionNumber),
    description: text(e.StudyDescription),
    modalities: modalities(e.ModalitiesInStudy),
    seriesCount: count(e.NumberOfStudyRelatedSeries),
    instanceCount: count(e.NumberOfStudyRelatedInstances),
  };
}

type DicomJson = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

function jsonValue(o: DicomJson, tag: string): unknown {
  const v = o[tag]?.Value;
  return v && v.length === 1 ? v[0] : v;
}

/** A QIDO-RS match (DICOM JSON model, PS3.18 F.2). */
export function fromQidoMatch(o: DicomJson): Remote {
  return {
    studyInstanceUid: text(jsonValue(o, '0020000D')),
    patientId: text(jsonValue(o, '00100020')),
    patientName: displayName(personName(jsonValue(o, '00100010'))),
    patientBirthDate: isoDate(text(jsonValue(o, '00100030'))),
    patientSex: text(jsonValue(o, '00100040')),
    studyDate: isoDate(text(jsonValue(o, '00080020'))),
    studyTime: isoTime(text(jsonValue(o, '00080030'))),
    accessionNumber: text(jsonValue(o, '00080050')),
    description: text(jsonValue(o, '00081030')),
    modalities: modalities(o['00080061']?.Value ?? []),
    seriesCount: count(jsonValue(o, '00201206')),
    instanceCount: count(jsonValue(o, '00201208')),
  };
}
