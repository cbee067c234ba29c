import type { z } from 'zod';
import { importOperations } from './imports.js';
import { jobOperations } from './jobs.js';
import { studyOperations } from './studies.js';
import { reportOperations } from './reports.js';
import { auditOperations } from './audit.js';
import { modelOperations } from './models.js';
import { analysisOperations } from './analysis.js';
import { searchOperations } from './search.js';
import { cohortOperations } from './cohorts.js';
import { networkOperations } from './network.js';
import { annotationOperations } from './annotations.js';
import { readerOperations } from './reader.js';

/**
 * The contract: every operation of the workstation, once. Transports (Electron IPC, the HTTP/WebSocket bridge, the
 * CLI) are typed and validated from this object; TypeScript types come from the schemas, never written twice.
 * Domains add their operation maps here.
 */
export const operations = {
  ...jobOperations,
  ...importOperations,
  ...studyOperations,
  ...reportOperations,
  ...auditOperations,
  ...modelOperations,
  ...analysisOperations,
  ...searchOperations,
  ...cohortOperations,
  ...networkOperations,
  ...annotationOperations,
  ...readerOperations,
};

export type Operations = typeof operations;
export type OperationName = keyof Operations;
/** What a caller may send (defaults not yet applied). */
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
/** What the core receives after validation (defaults applied). */
export type ParsedInput<N extends OperationName> = z.output<Operations[N]['input']>;
export type OperationOutput<N extends OperationName> = z.infer<Operations[N]['output']>;

/** The object the core implements: one async method per operation. */
export type CoreApi = { [N in OperationName]: (input: ParsedInput<N>) => Promise<OperationOutput<N>> };

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(operations, name);
}
