import { parseArgs } from 'node:util';
import { dispatch } from '../api/dispatch.js';
import type { ApiError } from '../api/envelope.js';
import { defaultConfig } from '../config.js';
import { createCore } from '../createCore.js';
import { CliUsageError, type CliContext } from './command.js';
import { commands } from './commands/index.js';
import { printable } from './format.js';

/** An operation answered with an error envelope: the CLI prints its message and exits non-zero. */
export class CliCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

function usage(out: (l: string) => void): void {
  out('cxr — offline chest X-ray workstation, command line');
  out('');
  out('usage: cxr [--data-dir DIR] [--models-dir DIR]... COMMAND [ARGS]');
  out('');
  for (const c of commands) {
    out(`  ${c.usage}`);
    out(`      ${c.summary}`);
  }
  out('');
  out('The data folder (index, thumbnails, results) is --data-dir, else $CXR_DATA_DIR, else ~/.cxr-workstation.');
}

/** Runs `cxr ARGS`; returns the exit code. Output goes through `out`/`err` so tests can capture it. */
export async function runCli(
  argv: string[],
  io: { out: (l: string) => void; err: (l: string) => void; interactive: boolean } = {
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    interactive: Boolean(process.stdout.isTTY),
  },
): Promise<number> {
  // Global options come before the command; everything from the command on is the command's own.
  const { tokens } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, 'models-dir': { type: 'string', multiple: true }, help: { type: 'boolean' } },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const commandAt = tokens.find((t) => t.kind === 'positional' || t.kind === 'option-terminator')?.index ?? argv.length;
  let dataDir: string | undefined;
  const modelsDirs: string[] = [];
  for (const t of tokens) {
    if (t.index >= commandAt || t.kind !== 'option') continue;
    if (t.name === 'help') {
      usage(io.out);
      return 0;
    }
    if (t.name !== 'data-dir' && t.name !== 'models-dir') {
      io.err(`unknown option ${t.rawName} (try cxr --help)`);
      return 2;
    }
    if (t.value === undefined) {
      io.err(`${t.rawName} needs a value`);
      return 2;
    }
    if (t.name === 'data-dir') dataDir = t.value;
    else modelsDirs.push(t.value);
  }
  const args = argv.slice(commandAt);
  const name = args.shift();
  if (!name || name === 'help') {
    usage(io.out);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command "${name}" (try cxr --help)`);
    return 2;
  }
  const base = defaultConfig({ dataDir });
  const config = modelsDirs.length ? { ...base, modelsDirs: [...modelsDirs, ...base.modelsDirs] } : base;
  let core;
  try {
    core = createCore(config);
  } catch (err) {
    io.err(`cannot open the workstation data in ${config.dataDir}: ${(err as Error).message}`);
    return 1;
  }
  const cli: CliContext = {
    core,
    // Every line leaves through here: what came from a file cannot drive the terminal.
    out: (line) => io.out(printable(line)),
    err: (line) => io.err(printable(line)),
    interactive: io.interactive,
    async call(op, input) {
      const result = await dispatch(core.api, op, input);
      if (!result.ok) throw new CliCallError(result.error);
      return result.value as never;
    },
  };
  try {
    return await command.run(args, cli);
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.err(`${err.message}\nusage: ${command.usage}`);
      return 2;
    }
    if (err instanceof CliCallError) {
      io.err(`error (${err.error.code}): ${err.message}`);
      return 1;
    }
    io.err(`error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    await core.close();
  }
}
