import type { CliCommand } from '../command.js';
import { importCommand } from './importCommand.js';
import { listCommand } from './listCommand.js';
import { showCommand } from './showCommand.js';

/** Every `cxr` subcommand; each domain appends its own. */
export const commands: CliCommand[] = [
  importCommand,
  listCommand,
  showCommand,
];
