import type { z } from 'zod';

/** One operation of the contract: its input and output schemas and a line saying what it does. */
export interface OperationSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  summary: string;
}

export type OperationMap = Record<string, OperationSpec>;

export function op<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): OperationSpec<I, O> {
  return { input, output, summary };
}
