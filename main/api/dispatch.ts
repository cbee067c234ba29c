import { z } from 'zod';
import { CoreError, type Result } from './envelope.js';
import { isOperationName, operations, type CoreApi } from './contract.js';

export interface DispatchOptions {
  /** Parse outputs too (tests and development), so the core cannot drift from the contract unnoticed. */
  validateOutput?: boolean;
}

/**
 * The one server function both transports use: validates the input against the contract, calls the core, and
 * answers with the result envelope. Exceptions never cross the boundary raw.
 */
export async function dispatch(
  core: CoreApi,
  name: string,
  rawInput: unknown,
  options: DispatchOptions = {},
): Promise<Result<unknown>> {
  if (!isOperationName(name)) {
    return { ok: false, error: { code: 'not_found', message: `unknown operation "${name}"` } };
  }
  const spec = operations[name];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'invalid_input', message: `${name}: ${z.prettifyError(parsed.error)}`, detail: parsed.error.issues },
    };
  }
  try {
    const handler = core[name] as (input: unknown) => Promise<unknown>;
    const value = await handler.call(core, parsed.data);
    if (options.validateOutput) {
      const out = spec.output.safeParse(value);
      if (!out.success) {
        return {
          ok: false,
          error: { code: 'internal', message: `${name} returned output that breaks the contract: ${z.prettifyError(out.error)}` },
        };
      }
      return { ok: true, value: out.data };
    }
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}

export function toApiError(err: unknown): { code: CoreError['code']; message: string; detail?: unknown } {
  if (err instanceof CoreError) return { code: err.code, message: err.message, detail: err.detail };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
