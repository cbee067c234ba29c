import { createHash } from 'node:crypto';
import { reportLabels } from '../labels.js';
import { aiProvenance, hasAiContent, type ReportDocument } from '../model.js';
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

const DICOM_UID_SYSTEM = 'urn:dicom:uid';
/** Where this workstation's finding labels (the ChestX-ray14 names) are coded; no standard system covers them all. */
export const FINDING_LABEL_SYSTEM = 'urn:cxr-workstation:finding-label';

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
 * on (by DICOM UIDs), one Observation per AI finding the reader kept (probability and threshold as components), and
 * a Device for each AI model pack used. AI-derived resources carry the AIAST security label; the DiagnosticReport
 * too when any of its text came from the AI. The full human-readable report (with addenda) is the presentedForm.
 * Throws when the result does not pass the R4 schema (fhir/validate.ts), so an invalid file is never written.
 */
export function renderFhir(doc: ReportDocument): Record<string, unknown> {
  const L = reportLabels(doc.language);
  const seed = `${doc.study.studyInstanceUid}/report/${doc.id}`;
  const url = (kind: string, n = 0) => `urn:uuid:${uuidFrom(`${seed}/${kind}/${n}`)}`;
  const aiSecurity = { security: [{ ...AI_ASSERTED }] };
  const entries: Array<{ fullUrl: string; resource: Record<string, unknown> }> = [];

  const patientUrl = url('patient');
  entries.push({
    fullUrl: patientUrl,
    resource: nonEmpty({
      resourceType: 'Patient',
      identifier: doc.patient.id ? [{ value: doc.patient.id }] : [],
      name: doc.patient.name ? [{ text: doc.patient.name, ...(doc.deidentified ? { use: 'anonymous' } : {}) }] : [],
      gender: doc.patient.sex ? GENDER[doc.patient.sex] : 'unknown',
      birthDate: doc.patient.birthDate ?? undefined,
    }),
  });

  const studyUrl = url('imaging-study');
  const seriesByUid = new Map<string, ReportDocument['images']>();
  for (const img of doc.images) seriesByUid.set(img.seriesInstanceUid, [...(seriesByUid.get(img.seriesInstanceUid) ?? []), img]);
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
      numberOfInstances: doc.images.length,
      series: [...seriesByUid.entries()].map(([uid, images]) => ({
        uid,
        modality: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: images[0]!.modality || 'OT' },
        instance: images.map((i) => ({ uid: i.sopInstanceUid, sopClass: { system: 'urn:ietf:rfc:3986', code: `urn:oid:${i.sopClassUid}` } })),
      })),
    }),
  });

  const deviceUrls = new Map<string, string>();
  aiProvenance(doc).forEach((p, n) => {
    const fullUrl = url('device', n);
    deviceUrls.set(`${p.modelPack}@${p.modelVersion}`, fullUrl);
    entries.push({
      fullUrl,
      resource: nonEmpty({
        resourceType: 'Device',
        meta: aiSecurity,
        deviceName: [{ name: p.modelPack, type: 'model-name' }],
        type: { text: 'AI decision-support software (chest radiograph findings)' },
        version: [{ value: p.modelVersion }],
        note: [{ text: `Thresholds: ${p.thresholdVersion}` }],
      }),
    });
  });

  const status = STATUS[doc.state];
  const observationUrls = doc.aiFindings.map((f, n) => {
    const fullUrl = url('observation', n);
    const quantity = (value: number) => ({ value: Math.round(value * 10000) / 10000, unit: '1', system: 'http://unitsofmeasure.org', code: '1' });
    entries.push({
      fullUrl,
      resource: nonEmpty({
        resourceType: 'Observation',
        meta: aiSecurity,
        status: doc.state === 'final' ? 'final' : 'preliminary',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'imaging', display: 'Imaging' }] }],
        code: { coding: [{ system: FINDING_LABEL_SYSTEM, code: f.label.replace(/\s+/g, '_'), display: f.label }], text: f.label },
        subject: { reference: patientUrl },
        effectiveDateTime: doc.study.date ?? undefined,
        valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '52101004', display: 'Present' }], text: f.text || f.label },
        bodySite: f.location ? { text: f.location } : undefined,
        method: { text: `AI model ${f.modelPack} ${f.modelVersion}; reader ${f.decision}` },
        device: { reference: deviceUrls.get(`${f.modelPack}@${f.modelVersion}`)! },
        derivedFrom: [{ reference: studyUrl }],
        note: f.text ? [{ text: f.text }] : [],
        component: [
          { code: { text: 'AI probability' }, valueQuantity: quantity(f.probability) },
          { code: { text: 'Decision threshold' }, valueQuantity: quantity(f.threshold) },
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
      meta: hasAiContent(doc) ? aiSecurity : undefined,
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
