/**
 * A JSON Schema (draft-07) of the part of HL7 FHIR R4 (4.0.1) that the report export writes: a `collection` Bundle
 * of Patient, ImagingStudy, Device, Observation and DiagnosticReport. It is the exporter's fast runtime check (the
 * official fhir.schema.json takes seconds to compile); the tests also hold every export variant to the official
 * schema (test/helpers/officialFhirSchema.ts). It is transcribed from the R4 specification
 * (resource definitions and the primitive-type regular expressions of fhir.schema.json), restricted to the elements
 * this exporter uses.
 *
 * What it checks:
 * - every resource's required elements and cardinalities (R4 `min 1`: DiagnosticReport.status/code,
 *   Observation.status/code, ImagingStudy.status/subject, series.uid/modality, instance.uid/sopClass, Bundle.type);
 * - code values bound `required` in R4: DiagnosticReport.status, Observation.status, ImagingStudy.status,
 *   Patient.gender, Bundle.type, Device.deviceName.type, Narrative.status;
 * - primitive formats with the R4 regular expressions (id, uri, code, date, dateTime, instant, decimal, base64Binary,
 *   oid, markdown/string non-empty), the R4 rule that strings are never empty and arrays never empty, no nulls;
 * - choice types: only the value[x]/effective[x] variants R4 defines for these resources;
 * - `additionalProperties: false` everywhere: an element R4 does not define (or a misspelt one) fails, like the
 *   official schema.
 * What it does not check: terminology membership for extensible/example bindings (LOINC/SNOMED codes), FHIRPath
 * invariants, and that references resolve (validate.ts checks the last one for the Bundle separately).
 */

const year = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const tz = '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';
const time = '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?';

const primitive = {
  id: { type: 'string', pattern: '^[A-Za-z0-9\\-\\.]{1,64}$' },
  uri: { type: 'string', pattern: '^\\S*$', minLength: 1 },
  code: { type: 'string', pattern: '^[^\\s]+(\\s[^\\s]+)*$' },
  string: { type: 'string', pattern: '^[ \\r\\n\\t\\S]+$' },
  markdown: { type: 'string', pattern: '^[ \\r\\n\\t\\S]+$' },
  date: { type: 'string', pattern: `^${year}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$` },
  dateTime: {
    type: 'string',
    pattern: `^${year}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T${time}${tz})?)?)?$`,
  },
  instant: { type: 'string', pattern: `^${year}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T${time}${tz}$` },
  decimal: { type: 'number' },
  unsignedInt: { type: 'integer', minimum: 0 },
  base64Binary: { type: 'string', pattern: '^(\\s*([0-9a-zA-Z\\+/=]){4}\\s*)+$' },
  oid: { type: 'string', pattern: '^urn:oid:[0-2](\\.(0|[1-9][0-9]*))+$' },
  boolean: { type: 'boolean' },
} as const;

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const array = (items: object) => ({ type: 'array', minItems: 1, items });
const object = (properties: Record<string, object>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...(required.length ? { required } : {}),
});
const resource = (name: string, properties: Record<string, object>, required: string[] = []) =>
  object(
    {
      resourceType: { const: name },
      id: ref('id'),
      meta: ref('Meta'),
      language: ref('code'),
      text: ref('Narrative'),
      ...properties,
    },
    ['resourceType', ...required],
  );

const definitions = {
  ...primitive,
  Coding: object({ system: ref('uri'), version: ref('string'), code: ref('code'), display: ref('string'), userSelected: ref('boolean') }),
  CodeableConcept: object({ coding: array(ref('Coding')), text: ref('string') }),
  Identifier: object({ use: { enum: ['usual', 'official', 'temp', 'secondary', 'old'] }, system: ref('uri'), value: ref('string') }),
  Reference: object({ reference: ref('string'), type: ref('uri'), identifier: ref('Identifier'), display: ref('string') }),
  Quantity: object({ value: ref('decimal'), comparator: { enum: ['<', '<=', '>=', '>'] }, unit: ref('string'), system: ref('uri'), code: ref('code') }),
  Annotation: object({ authorString: ref('string'), time: ref('dateTime'), text: ref('markdown') }, ['text']),
  Attachment: object({
    contentType: ref('code'),
    language: ref('code'),
    data: ref('base64Binary'),
    url: ref('uri'),
    size: ref('unsignedInt'),
    title: ref('string'),
    creation: ref('dateTime'),
  }),
  HumanName: object({ use: { enum: ['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden'] }, text: ref('string'), family: ref('string'), given: array(ref('string')) }),
  Meta: object({ versionId: ref('id'), lastUpdated: ref('instant'), profile: array(ref('uri')), security: array(ref('Coding')), tag: array(ref('Coding')) }),
  Narrative: object({ status: { enum: ['generated', 'extensions', 'additional', 'empty'] }, div: { type: 'string', pattern: '^<div' } }, ['status', 'div']),

  Patient: resource('Patient', {
    identifier: array(ref('Identifier')),
    active: ref('boolean'),
    name: array(ref('HumanName')),
    gender: { enum: ['male', 'female', 'other', 'unknown'] },
    birthDate: ref('date'),
  }),
  Device: resource('Device', {
    identifier: array(ref('Identifier')),
    manufacturer: ref('string'),
    deviceName: array(
      object({ name: ref('string'), type: { enum: ['udi-label-name', 'user-friendly-name', 'patient-reported-name', 'manufacturer-name', 'model-name', 'other'] } }, ['name', 'type']),
    ),
    modelNumber: ref('string'),
    type: ref('CodeableConcept'),
    version: array(object({ type: ref('CodeableConcept'), value: ref('string') }, ['value'])),
    note: array(ref('Annotation')),
  }),
  ImagingStudy: resource(
    'ImagingStudy',
    {
      identifier: array(ref('Identifier')),
      status: { enum: ['registered', 'available', 'cancelled', 'entered-in-error', 'unknown'] },
      modality: array(ref('Coding')),
      subject: ref('Reference'),
      started: ref('dateTime'),
      referrer: ref('Reference'),
      numberOfSeries: ref('unsignedInt'),
      numberOfInstances: ref('unsignedInt'),
      description: ref('string'),
      series: array(
        object(
          {
            uid: ref('id'),
            number: ref('unsignedInt'),
            modality: ref('Coding'),
            description: ref('string'),
            numberOfInstances: ref('unsignedInt'),
            bodySite: ref('Coding'),
            instance: array(object({ uid: ref('id'), sopClass: ref('Coding'), number: ref('unsignedInt'), title: ref('string') }, ['uid', 'sopClass'])),
          },
          ['uid', 'modality'],
        ),
      ),
    },
    ['status', 'subject'],
  ),
  Observation: resource(
    'Observation',
    {
      identifier: array(ref('Identifier')),
      status: { enum: ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'] },
      category: array(ref('CodeableConcept')),
      code: ref('CodeableConcept'),
      subject: ref('Reference'),
      effectiveDateTime: ref('dateTime'),
      issued: ref('instant'),
      performer: array(ref('Reference')),
      valueQuantity: ref('Quantity'),
      valueCodeableConcept: ref('CodeableConcept'),
      valueString: ref('string'),
      valueBoolean: ref('boolean'),
      interpretation: array(ref('CodeableConcept')),
      note: array(ref('Annotation')),
      bodySite: ref('CodeableConcept'),
      method: ref('CodeableConcept'),
      device: ref('Reference'),
      derivedFrom: array(ref('Reference')),
      component: array(
        object(
          {
            code: ref('CodeableConcept'),
            valueQuantity: ref('Quantity'),
            valueCodeableConcept: ref('CodeableConcept'),
            valueString: ref('string'),
            valueBoolean: ref('boolean'),
          },
          ['code'],
        ),
      ),
    },
    ['status', 'code'],
  ),
  DiagnosticReport: resource(
    'DiagnosticReport',
    {
      identifier: array(ref('Identifier')),
      status: { enum: ['registered', 'partial', 'preliminary', 'final', 'amended', 'corrected', 'appended', 'cancelled', 'entered-in-error', 'unknown'] },
      category: array(ref('CodeableConcept')),
      code: ref('CodeableConcept'),
      subject: ref('Reference'),
      effectiveDateTime: ref('dateTime'),
      issued: ref('instant'),
      performer: array(ref('Reference')),
      resultsInterpreter: array(ref('Reference')),
      result: array(ref('Reference')),
      imagingStudy: array(ref('Reference')),
      media: array(object({ comment: ref('string'), link: ref('Reference') }, ['link'])),
      conclusion: ref('string'),
      conclusionCode: array(ref('CodeableConcept')),
      presentedForm: array(ref('Attachment')),
    },
    ['status', 'code'],
  ),
};

const resourceNames = ['Patient', 'Device', 'ImagingStudy', 'Observation', 'DiagnosticReport'] as const;

/** The Bundle schema with its definitions; compile with Ajv (validate.ts). */
export const fhirR4ReportBundleSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:cxr-workstation:fhir-r4-report-bundle',
  definitions,
  ...object(
    {
      resourceType: { const: 'Bundle' },
      id: ref('id'),
      meta: ref('Meta'),
      identifier: ref('Identifier'),
      type: { enum: ['document', 'message', 'transaction', 'transaction-response', 'batch', 'batch-response', 'history', 'searchset', 'collection'] },
      timestamp: ref('instant'),
      entry: array(
        object(
          {
            fullUrl: ref('uri'),
            resource: { oneOf: resourceNames.map(ref) },
          },
          ['fullUrl', 'resource'],
        ),
      ),
    },
    ['resourceType', 'type'],
  ),
};
