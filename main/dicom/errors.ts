/**
 * The one error type the DICOM reader throws. Its message always starts with the source path, so a caller can show it
 * as it is: "<path>: <problem>".
 */
export class DicomError extends Error {
  readonly source: string;
  readonly problem: string;

  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`${source}: ${problem}`, options);
    this.name = 'DicomError';
    this.source = source;
    this.problem = problem;
  }
}

/** A readable message from whatever a library threw (dicom-parser throws plain strings, codecs throw numbers). */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (thrown && typeof thrown === 'object' && 'exception' in thrown) return String((thrown as { exception: unknown }).exception);
  return String(thrown);
}
