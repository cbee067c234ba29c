import { z } from 'zod';

/**
 * Every operation answers with a result envelope, never a raw exception, so that IPC, the WebSocket bridge and the
 * CLI all see failures the same way (the Signal-Desktop habit).
 */
export const ErrorCodeSchema = z.enum([
  'invalid_input',
  'not_found',
  'conflict',
  'bad_file',
  'unsupported',
  'cancelled',
  'model_error',
  /** A remote system (a PACS, a DICOM node) could not be reached, or refused or failed the request. */
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ApiErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Optional structured detail, e.g. zod issues or the offending path. */
  detail: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Thrown inside the core to choose the envelope's error code; anything else becomes `internal`. */
export class CoreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
