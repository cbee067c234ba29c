import type { CliCommand } from '../command.js';

/** Every `cxr` subcommand; each domain appends its own. */
export const commands: CliCommand[] = [
];
