import type { OperationInput, OperationName, OperationOutput } from '../api/contract.js';
import type { Core } from '../createCore.js';

/** What a CLI command gets: the core, a typed call through the contract, and output streams. */
export interface CliContext {
  core: Core;
  /** Calls an operation through `dispatch` (so the CLI is validated like any transport); throws CliError on failure. */
  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
  out(line: string): void;
  err(line: string): void;
  /** True when stdout is a terminal (progress lines may then rewrite themselves). */
  interactive: boolean;
}

/** One `cxr <name>` subcommand. Commands are thin: parse arguments, call operations, print. */
export interface CliCommand {
  name: string;
  /** e.g. `cxr import PATH... [--csv FILE]` */
  usage: string;
  summary: string;
  /** Returns the process exit code. */
  run(args: string[], cli: CliContext): Promise<number>;
}

export class CliUsageError extends Error {}
