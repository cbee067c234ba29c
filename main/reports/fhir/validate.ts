import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { fhirR4ReportBundleSchema } from './r4Schema.js';

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  // allErrors so one run lists every problem; strict off because the R4 patterns use unicode-less escapes.
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(fhirR4ReportBundleSchema);
  return compiled;
}

export interface FhirValidation {
  valid: boolean;
  /** One line per problem: the JSON pointer and what is wrong. */
  errors: string[];
}

/**
 * Checks a Bundle against the R4 schema of r4Schema.ts (structure, cardinality, required codes, primitive formats)
 * and, beyond the schema, that every `reference` inside it resolves to an entry's fullUrl and that fullUrls are unique.
 */
export function validateFhirBundle(bundle: unknown): FhirValidation {
  const validate = validator();
  const errors: string[] = [];
  if (!validate(bundle)) {
    for (const e of validate.errors as ErrorObject[]) {
      // oneOf over resources reports each branch's failure; the branch whose resourceType matched is the useful one.
      errors.push(`${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
    }
    return { valid: false, errors };
  }
  const b = bundle as { entry?: Array<{ fullUrl: string; resource: unknown }> };
  const urls = new Set<string>();
  for (const entry of b.entry ?? []) {
    if (urls.has(entry.fullUrl)) errors.push(`fullUrl ${entry.fullUrl} appears twice`);
    urls.add(entry.fullUrl);
  }
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${path}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'reference' && typeof v === 'string' && !urls.has(v)) errors.push(`${path}/reference ${v} does not resolve inside the Bundle`);
        else walk(v, `${path}/${k}`);
      }
    }
  };
  walk(b.entry ?? [], '/entry');
  return { valid: errors.length === 0, errors };
}
