import { createHash } from 'node:crypto';
import { aiPacks, keptFindings } from '../aiUse.js';
import { CERTAINTY_CODES, findingCoding, LATERALITY_CODES, LATERALITY_CONCEPT, RADLEX_SYSTEM, SNOMED_SYSTEM } from '../findingCodes.js';
import { reportLabels } from '../labels.js';
import { hasAiContent, type ReportDocument } from '../model.js';
import { sectionCode } from '../sectionCodes.js';
import { validateFhirBundle } from '../fhir/validate.js';
import { renderText } from './text.js';

/** A name-based UUID (RFC 4122 layout, version 5 bits) so the same report exports to the same resource ids. */
export function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** HL7 v3 ObservationValue "AIAST": artificial-intelligence asserted; put in meta.security of AI-derived resources. */
export const AI_ASSERTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'AIAST',
  display: 'Artificial Intelligence asserted',
} as const;

/** HL7 v3 ObservationValue "PSEUDED": pseudonymized; put in meta.security of a de-identified export's resources. */
export const PSEUDONYMIZED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'PSEUDED', display: 'pseudonymized' } as const;

const DICOM_UID_SYSTEM = 'urn:dicom:uid';

const STATUS = { draft: 'partial', preliminary: 'preliminary', final: 'final' } as const;
const GENDER = { M: 'male', F: 'female', O: 'other' } as const;

function nonEmpty<T extends Record<string, unknown>>(o: T): T {
  // R4 forbids empty strings and arrays: drop them rather than emit invalid JSON.
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) delete o[k];
  }
  return o;
}

function toInstant(iso: string): string {
  return new Date(iso).toISOString();
}

/**
 * HL7 FHIR R4 export: a `collection` Bundle holding the DiagnosticReport, its Patient, the ImagingStudy it reports
 * on (by DICOM UIDs; PNG/JPEG images have none and are not listed as DICOM instances), one Observation per AI finding
 * the reader kept, coded in SNOMED CT (and RadLex where a checked code exists) with its certainty as the value
 * ("possible diagnosis" is never "present") and its side as a Laterality component, and a Device for each AI model
 * pack used, with its intended use. AI-derived resources carry the AIAST security label; the DiagnosticReport too when
 * any of its text came from the AI; a de-identified export's report and patient carry PSEUDED. The full
 * human-readable report (with the AI section, the de-identification statement and addenda) is the presentedForm.
 * Throws when the result does not pass the R4 schema (fhir/validate.ts), so an invalid file is never written.
 */
export function renderFhir(doc: ReportDocument): Record<string, unknown> {
  const L = reportLabels(doc.language);
  const seed = `${doc.study.studyInstanceUid}/report/${doc.id}`;
  const url = (kind: string, n = 0) => `urn:uuid:${uuidFrom(`${seed}/${kind}/${n}`)}`;
  const aiSecurity = { security: [{ ...AI_ASSERTED }, ...(doc.deidentification ? [{ ...PSEUDONYMIZED }] : [])] };
  const deidSecurity = doc.deidentification ? { security: [{ ...PSEUDONYMIZED }] } : undefined;
  const entries: Array<{ fullUrl: string; resource: Record<string, unknown> }> = [];

  const patientUrl = url('patient');
  entries.push({
    fullUrl: patientUrl,
    resource: nonEmpty({
      resourceType: 'Patient',
      meta: deidSecurity,
      identifier: doc.patient.id ? [{ value: doc.patient.id }] : [],
      name: doc.patient.name ? [{ text: doc.patient.name, ...(doc.deidentification ? { use: 'anonymous' } : {}) }] : [],
      gender: doc.patient.sex ? GENDER[doc.patient.sex] : 'unknown',
      birthDate: doc.patient.birthDate ?? undefined,
    }),
  });

  const studyUrl = url('imaging-study');
  const seriesByUid = new Map<string, ReportDocument['images']>();
  // Only DICOM objects have instance UIDs a PACS knows; a PNG's UIDs are the index's own and would point nowhere.
  for (const img of doc.images.filter((i) => i.format === 'dicom')) seriesByUid.set(img.seriesInstanceUid, [...(seriesByUid.get(img.seriesInstanceUid) ?? []), img]);
  entries.push({
    fullUrl: studyUrl,
    resource: nonEmpty({
      resourceType: 'ImagingStudy',
      identifier: [{ system: DICOM_UID_SYSTEM, value: `urn:oid:${doc.study.studyInstanceUid}` }],
      status: 'available',
      subject: { reference: patientUrl },
      // Study time is local time without a zone; R4 wants a zone with a time, so only the date is given.
      started: doc.study.date ?? undefined,
      description: doc.study.description,
      numberOfSeries: seriesByUid.size,
      numberOfInstances: [...seriesByUid.values()].reduce((n, images) => n + images.length, 0),
      series: [...seriesByUid.entries()].map(([uid, images]) => ({
        uid,
        modality: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: images[0]!.modality || 'OT' },
        instance: images.map((i) => ({ uid: i.sopInstanceUid, sopClass: { system: 'urn:ietf:rfc:3986', code: `urn:oid:${i.sopClassUid}` } })),
      })),
    }),
  });

  const deviceUrls = new Map<string, string>();
  aiPacks(doc.ai).forEach((p, n) => {
    const fullUrl = url('device', n);
    deviceUrls.set(`${p.packId}@${p.packVersion}`, fullUrl);
    entries.push({
      fullUrl,
      resource: nonEmpty({
        resourceType: 'Device',
        meta: aiSecurity,
        deviceName: [
          { name: p.packId, type: 'model-name' },
          ...(p.packTitle && p.packTitle !== p.packId ? [{ name: p.packTitle, type: 'user-friendly-name' }] : []),
        ],
        type: { text: 'AI decision-support software (chest radiograph findings)' },
        version: [{ value: p.packVersion }],
        note: [{ text: `Thresholds: ${p.thresholdVersion}` }, ...(p.intendedUse.trim() ? [{ text: `Intended use: ${p.intendedUse.trim()}` }] : [])],
      }),
    });
  });

  const status = STATUS[doc.state];
  const observationUrls = keptFindings(doc.ai).map((f, n) => {
    const fullUrl = url('observation', n);
    const quantity = (value: number) => ({ value: Math.round(value * 10000) / 10000, unit: '1', system: 'http://unitsofmeasure.org', code: '1' });
    const coding = findingCoding(f.label);
    const name = f.label.replace(/_/g, ' ');
    entries.push({
      fullUrl,
      resource: nonEmpty({
        resourceType: 'Observation',
        meta: aiSecurity,
        status: doc.state === 'final' ? 'final' : 'preliminary',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'imaging', display: 'Imaging' }] }],
        // A label without a checked standard code is sent as text only, never under a made-up code system.
        code: coding
          ? { coding: [{ system: SNOMED_SYSTEM, ...coding.snomed }, ...(coding.radlex ? [{ system: RADLEX_SYSTEM, ...coding.radlex }] : [])], text: name }
          : { text: name },
        subject: { reference: patientUrl },
        effectiveDateTime: doc.study.date ?? undefined,
        // How sure the AI's call was: a possible finding is never sent as "present".
        valueCodeableConcept: f.certainty
          ? { coding: [{ system: SNOMED_SYSTEM, ...CERTAINTY_CODES[f.certainty] }], text: f.text || name }
          : { text: f.text || name },
        method: { text: `AI model ${f.packId} ${f.packVersion}; reader ${f.decision}` },
        device: { reference: deviceUrls.get(`${f.packId}@${f.packVersion}`)! },
        derivedFrom: [{ reference: studyUrl }],
        note: f.text ? [{ text: f.text }] : [],
        component: [
          ...(f.laterality
            ? [{ code: { coding: [{ system: SNOMED_SYSTEM, ...LATERALITY_CONCEPT }] }, valueCodeableConcept: { coding: [{ system: SNOMED_SYSTEM, ...LATERALITY_CODES[f.laterality] }] } }]
            : []),
          { code: { text: 'AI probability' }, valueQuantity: quantity(f.probability) },
          ...(f.threshold === null ? [] : [{ code: { text: 'Decision threshold' }, valueQuantity: quantity(f.threshold) }]),
        ],
      }),
    });
    return fullUrl;
  });

  const impression = doc.sections.find((s) => sectionCode(s.name)?.code === '19005-8')?.text.trim();
  const text = renderText(doc);
  entries.unshift({
    fullUrl: url('diagnostic-report'),
    resource: nonEmpty({
      resourceType: 'DiagnosticReport',
      meta: hasAiContent(doc) ? aiSecurity : deidSecurity,
      language: doc.language,
      status: doc.state === 'final' && doc.addenda.length ? 'appended' : status,
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'RAD', display: 'Radiology' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '18748-4', display: 'Diagnostic imaging study' }], text: doc.title },
      subject: { reference: patientUrl },
      effectiveDateTime: doc.study.date ?? undefined,
      issued: toInstant(doc.signedAt ?? doc.updatedAt),
      resultsInterpreter: doc.signedBy ? [{ display: doc.signedBy }] : [],
      result: observationUrls.map((reference) => ({ reference })),
      imagingStudy: [{ reference: studyUrl }],
      conclusion: impression || undefined,
      presentedForm: [
        {
          contentType: 'text/plain; charset=utf-8',
          language: doc.language,
          data: Buffer.from(text, 'utf8').toString('base64'),
          title: `${doc.title} (${L.state[doc.state]})`,
        },
      ],
    }),
  });

  const bundle = {
    resourceType: 'Bundle',
    id: uuidFrom(`${seed}/bundle`),
    type: 'collection',
    timestamp: toInstant(doc.generatedAt),
    entry: entries,
  };
  const check = validateFhirBundle(bundle);
  if (!check.valid) throw new Error(`FHIR export of report ${doc.id} failed R4 validation: ${check.errors.join('; ')}`);
  return bundle;
}
