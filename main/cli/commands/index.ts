import type { CliCommand } from '../command.js';
import { importCommand } from './importCommand.js';
import { listCommand } from './listCommand.js';
import { showCommand } from './showCommand.js';
import { similarCommand } from './similar.js';
import { cohortCommand } from './cohort.js';
import { priorsCommand } from './priors.js';
import { reportCommand } from './report.js';
import { auditCommand } from './audit.js';
import { analyzeCommand } from './analyze.js';
import { calibrateCommand } from './calibrate.js';
import { modelsCommand } from './models.js';
import { dicomCommand } from './dicom.js';
import { readerCommand } from './reader.js';

/** Every `cxr` subcommand; each domain appends its own. */
export const commands: CliCommand[] = [
  importCommand,
  listCommand,
  showCommand,
  similarCommand,
  cohortCommand,
  priorsCommand,
  reportCommand,
  auditCommand,
  analyzeCommand,
  calibrateCommand,
  modelsCommand,
  dicomCommand,
  readerCommand,
];
