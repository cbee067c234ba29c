import { describe, expect, it } from 'vitest';
import { deidentifyReport } from '../deidentify.js';
import { renderFhir } from '../export/fhir.js';
import { sampleAiUse, sampleReportDocument } from '../fixtures.js';
import { officialFhirR4Errors } from '../../../test/helpers/officialFhirSchema.js';
import { validateFhirBundle } from './validate.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const resourceOf = (bundle: Json, type: string): Json => bundle.entry.find((e: Json) => e.resource.resourceType === type).resource;

describe('FHIR R4 export and its schema check', () => {
  it('writes a valid collection Bundle: report, patient, imaging study, device and one observation per AI finding', () => {
    const bundle = renderFhir(sampleReportDocument()) as Json;
    expect(validateFhirBundle(bundle)).toEqual({ valid: true, errors: [] });
    expect(bundle.entry.map((e: Json) => e.resource.resourceType)).toEqual(['DiagnosticReport', 'Patient', 'ImagingStudy', 'Device', 'Observation', 'Observation']);
    const report = resourceOf(bundle, 'DiagnosticReport');
    expect(report.status).toBe('appended');
    expect(report.meta.security[0]).toMatchObject({ code: 'AIAST' });
    expect(report.code.coding[0]).toMatchObject({ system: 'http://loinc.org', code: '18748-4' });
    expect(report.imagingStudy[0].reference).toBe(bundle.entry[2].fullUrl);
    expect(report.result.map((r: Json) => r.reference)).toEqual([bundle.entry[4].fullUrl, bundle.entry[5].fullUrl]);
    expect(report.conclusion).toContain('Pneumonia do lobo inferior direito');
    const study = resourceOf(bundle, 'ImagingStudy');
    expect(study.identifier[0].value).toBe('urn:oid:1.2.826.0.1.3680043.8.498.1001');
    expect(study.series[0].instance[0]).toEqual({ uid: '1.2.826.0.1.3680043.8.498.1001.2.1', sopClass: { system: 'urn:ietf:rfc:3986', code: 'urn:oid:1.2.840.10008.5.1.4.1.1.1' } });
    const device = resourceOf(bundle, 'Device');
    expect(device.deviceName[0]).toEqual({ name: 'cxr14-densenet121-demo', type: 'model-name' });
    expect(device.note).toContainEqual({ text: 'Intended use: Demonstration and testing only. Trained on 420 images. Not for clinical use.' });
    // same input, same ids: the export is reproducible
    expect(renderFhir(sampleReportDocument())).toEqual(bundle);
  });

  it('maps draft and preliminary states and leaves out empty elements (R4 forbids empty strings)', () => {
    const draft = renderFhir(sampleReportDocument({ state: 'draft', signedBy: null, signedAt: null, addenda: [], patient: { name: '', id: '', sex: null, birthDate: null, ageYears: null } })) as Json;
    expect(resourceOf(draft, 'DiagnosticReport').status).toBe('partial');
    expect(resourceOf(draft, 'DiagnosticReport').resultsInterpreter).toBeUndefined();
    expect(resourceOf(draft, 'Patient')).toEqual({ resourceType: 'Patient', gender: 'unknown' });
    expect(resourceOf(draft, 'Observation').status).toBe('preliminary');
    const prelim = renderFhir(sampleReportDocument({ state: 'preliminary', signedBy: null, signedAt: null, addenda: [] })) as Json;
    expect(resourceOf(prelim, 'DiagnosticReport').status).toBe('preliminary');
  });

  it('codes each kept finding in SNOMED CT (and RadLex), with its certainty as the value and its side; never a private system', () => {
    const bundle = renderFhir(sampleReportDocument()) as Json;
    const [consolidation, effusion] = bundle.entry.filter((e: Json) => e.resource.resourceType === 'Observation').map((e: Json) => e.resource);
    expect(consolidation.code.coding).toEqual([
      { system: 'http://snomed.info/sct', code: '95436008', display: 'Lung consolidation' },
      { system: 'http://radlex.org', code: 'RID43255', display: 'consolidation' },
    ]);
    expect(consolidation.valueCodeableConcept.coding).toEqual([{ system: 'http://snomed.info/sct', code: '2931005', display: 'Probable diagnosis' }]);
    // "possible" is never sent as "present"
    expect(effusion.valueCodeableConcept.coding).toEqual([{ system: 'http://snomed.info/sct', code: '60022001', display: 'Possible diagnosis' }]);
    expect(effusion.valueCodeableConcept.text).toBe('Pequeno derrame pleural à direita.');
    expect(effusion.component[0]).toEqual({
      code: { coding: [{ system: 'http://snomed.info/sct', code: '272741003', display: 'Laterality' }] },
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '24028007', display: 'Right' }] },
    });
    const json = JSON.stringify(bundle);
    expect(json).not.toContain('52101004');
    expect(json).not.toContain('urn:cxr-workstation');
    // the rejected finding is not an observation
    expect(json).not.toContain('8186001');
  });

  it('leaves PNG images out of the ImagingStudy (they have no DICOM identity) and marks a de-identified copy', () => {
    const base = sampleReportDocument();
    const png = renderFhir({ ...base, images: [{ ...base.images[0]!, format: 'png' }] }) as Json;
    expect(validateFhirBundle(png)).toEqual({ valid: true, errors: [] });
    expect(resourceOf(png, 'ImagingStudy').series).toBeUndefined();
    expect(resourceOf(png, 'ImagingStudy').numberOfInstances).toBe(0);
    const deid = renderFhir(deidentifyReport(base, { secret: 's' })) as Json;
    expect(validateFhirBundle(deid)).toEqual({ valid: true, errors: [] });
    expect(resourceOf(deid, 'Patient').meta.security[0].code).toBe('PSEUDED');
    expect(resourceOf(deid, 'DiagnosticReport').meta.security.map((c: Json) => c.code)).toEqual(['AIAST', 'PSEUDED']);
  });

  it('has no AI label, device or observation when no AI content is in the report', () => {
    const base = sampleReportDocument();
    const bundle = renderFhir({ ...base, ai: sampleAiUse({ images: [] }), sections: base.sections.map((s) => ({ ...s, aiDerived: false })) }) as Json;
    expect(bundle.entry.map((e: Json) => e.resource.resourceType)).toEqual(['DiagnosticReport', 'Patient', 'ImagingStudy']);
    expect(resourceOf(bundle, 'DiagnosticReport').meta).toBeUndefined();
  });

  // What the schema catches: each mutation breaks one R4 rule.
  const mutations: Array<[string, (b: Json) => void, RegExp]> = [
    ['an unknown status code', (b) => (resourceOf(b, 'DiagnosticReport').status = 'signed'), /\/entry\/0\/resource\/status must be equal to one of the allowed values/],
    ['a missing required code', (b) => delete resourceOf(b, 'Observation').code, /must have required property 'code'/],
    ['an element R4 does not define', (b) => (resourceOf(b, 'DiagnosticReport').signature = 'x'), /must NOT have additional properties \(signature\)/],
    ['an empty string', (b) => (resourceOf(b, 'Patient').name[0].text = ''), /must match pattern/],
    ['an empty array', (b) => (resourceOf(b, 'DiagnosticReport').result = []), /must NOT have fewer than 1 items/],
    ['a date in the wrong format', (b) => (resourceOf(b, 'Patient').birthDate = '09/03/1961'), /birthDate must match pattern/],
    ['a dateTime with a time but no zone', (b) => (resourceOf(b, 'DiagnosticReport').effectiveDateTime = '2024-05-20T07:45:00'), /effectiveDateTime must match pattern/],
    ['an instant without seconds', (b) => (resourceOf(b, 'DiagnosticReport').issued = '2024-05-20T08:31Z'), /issued must match pattern/],
    ['a UID that is not an R4 id', (b) => (resourceOf(b, 'ImagingStudy').series[0].uid = '1.2.3 4'), /uid must match pattern/],
    ['a gender outside the value set', (b) => (resourceOf(b, 'Patient').gender = 'M'), /gender must be equal to one of the allowed values/],
    ['base64 that is not', (b) => (resourceOf(b, 'DiagnosticReport').presentedForm[0].data = 'not base64!'), /data must match pattern/],
    ['a number as a string', (b) => (resourceOf(b, 'Observation').component.find((c: Json) => c.valueQuantity).valueQuantity.value = '0.8'), /value must be number/],
    ['a reference that does not resolve', (b) => (resourceOf(b, 'DiagnosticReport').subject.reference = 'urn:uuid:00000000-0000-5000-8000-000000000000'), /does not resolve inside the Bundle/],
    ['a duplicate fullUrl', (b) => (b.entry[1].fullUrl = b.entry[2].fullUrl), /appears twice/],
  ];
  for (const [name, mutate, message] of mutations) {
    it(`rejects ${name}`, () => {
      const bundle = structuredClone(renderFhir(sampleReportDocument())) as Json;
      mutate(bundle);
      const result = validateFhirBundle(bundle);
      expect(result.valid).toBe(false);
      expect(result.errors.join('\n')).toMatch(message);
    });
  }

  it('every variant is valid against the official HL7 FHIR R4 JSON schema (fhir.schema.json)', () => {
    const base = sampleReportDocument();
    const variants: Record<string, unknown> = {
      final: renderFhir(base),
      draft: renderFhir(sampleReportDocument({ state: 'draft', signedBy: null, signedAt: null, addenda: [], patient: { name: '', id: '', sex: null, birthDate: null, ageYears: null } })),
      preliminary: renderFhir(sampleReportDocument({ state: 'preliminary', signedBy: null, signedAt: null, addenda: [] })),
      'de-identified': renderFhir(deidentifyReport(base, { secret: 's' })),
      'PNG study': renderFhir({ ...base, images: [{ ...base.images[0]!, format: 'png' }] }),
      'no AI content': renderFhir({ ...base, ai: sampleAiUse({ images: [] }), sections: base.sections.map((s) => ({ ...s, aiDerived: false })) }),
    };
    for (const [name, bundle] of Object.entries(variants)) expect([name, officialFhirR4Errors(bundle)]).toEqual([name, []]);
    // The check has teeth: an element R4 does not define, and a status outside its required value set, both fail.
    const broken = structuredClone(variants.final) as Json;
    broken.entry[0].resource.status = 'signed';
    broken.entry[1].resource.favouriteColour = 'blue';
    expect(officialFhirR4Errors(broken).length).toBeGreaterThan(0);
  }, 60_000);
});
