import type { z } from 'zod';
import { CoreError } from '../api/envelope.js';

/**
 * Reads a JSON column through the schema of what it holds, so a repository hands out typed values, never `unknown`
 * cast later. A row that does not match (edited by hand, or written by a newer version) fails here, naming the row.
 */
export function parseJsonColumn<S extends z.ZodType>(schema: S, text: string, what: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CoreError('internal', `the stored ${what} is not valid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CoreError('internal', `the stored ${what} does not hold what this version expects (${issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'invalid'})`);
  }
  return parsed.data;
}
