import type { ImportLimits, ImportReport } from '../../api/imports.js';
import { waitForJob } from '../../api/waitForJob.js';
import type { Job } from '../../api/jobs.js';
import { CliUsageError, type CliCommand, type CliContext } from '../command.js';
import { duration, parseCommandArgs } from '../format.js';

export const importCommand: CliCommand = {
  name: 'import',
  usage:
    'cxr import PATH... [--csv FILE] [--analyse|--no-analyse] [--max-...] | cxr import --resume | cxr import --report [JOB_ID] | cxr import --limits [--max-... N]\n' +
    '  limits (for this import, or with --limits the site\'s): --max-file-mb, --max-pixels, --max-decoded-mb, --max-zip-ratio, --max-file-seconds',
  summary: 'Import files, folders, DICOMDIRs and .zip archives into the index (Ctrl-C cancels, keeping what is stored).',
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, {
      csv: { type: 'string' },
      resume: { type: 'boolean' },
      report: { type: 'boolean' },
      quiet: { type: 'boolean' },
      limits: { type: 'boolean' },
      analyse: { type: 'boolean' },
      'no-analyse': { type: 'boolean' },
      ...LIMIT_OPTIONS,
    });
    const limits = limitsFrom(values);
    if (values.limits === true) {
      const inForce = Object.keys(limits).length ? await cli.call('import:setLimits', limits) : await cli.call('import:limits', {});
      printLimits(inForce, cli);
      return 0;
    }
    if (values.report === true) {
      const report = positional[0]
        ? await cli.call('import:report', { jobId: positional[0] })
        : (await cli.call('import:reports', { limit: 1 }))[0];
      if (!report) {
        cli.out('No import has been run yet.');
        return 0;
      }
      printReport(report, cli);
      return 0;
    }
    let jobs: Job[];
    if (values.resume === true) {
      jobs = await cli.call('import:resume', {});
      if (!jobs.length) {
        cli.out('Nothing to resume: no import was left unfinished.');
        return 0;
      }
    } else {
      if (!positional.length) throw new CliUsageError('give at least one file or folder to import');
      if (values.analyse === true && values['no-analyse'] === true) throw new CliUsageError('give --analyse or --no-analyse, not both');
      // Without either flag the site's setting decides (cxr models analyse-on-import; on when a pack is installed).
      const analyse = values.analyse === true ? true : values['no-analyse'] === true ? false : undefined;
      jobs = [
        await cli.call('import:start', {
          paths: positional,
          sidecarCsv: values.csv,
          ...(Object.keys(limits).length ? { limits } : {}),
          ...(analyse !== undefined ? { analyse } : {}),
        }),
      ];
    }
    let failures = 0;
    for (const job of jobs) {
      const finished = await follow(job, cli, values.quiet === true);
      const report = await cli.call('import:report', { jobId: job.id });
      printReport(report, cli);
      if (finished.state === 'failed') {
        cli.err(`import failed: ${finished.message ?? 'unknown error'}`);
        failures++;
      }
      if (finished.state === 'cancelled') return 130;
    }
    return failures ? 1 : 0;
  },
};

const MiB = 1024 * 1024;

/** The limit flags: each sets one limit, in the unit its name says. */
const LIMIT_FLAGS: Record<string, { key: keyof ImportLimits; scale: number; integer: boolean }> = {
  'max-file-mb': { key: 'maxFileBytes', scale: MiB, integer: true },
  'max-pixels': { key: 'maxDeclaredPixels', scale: 1, integer: true },
  'max-decoded-mb': { key: 'maxDecodedBytes', scale: MiB, integer: true },
  'max-zip-ratio': { key: 'maxZipRatio', scale: 1, integer: false },
  'max-file-seconds': { key: 'maxFileSeconds', scale: 1, integer: false },
};
const LIMIT_OPTIONS = {
  'max-file-mb': { type: 'string' },
  'max-pixels': { type: 'string' },
  'max-decoded-mb': { type: 'string' },
  'max-zip-ratio': { type: 'string' },
  'max-file-seconds': { type: 'string' },
} as const;

function limitsFrom(values: Record<string, string | boolean | undefined>): Partial<ImportLimits> {
  const out: Partial<ImportLimits> = {};
  for (const [flag, spec] of Object.entries(LIMIT_FLAGS)) {
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    const n = Number(raw) * spec.scale;
    if (!Number.isFinite(n) || n <= 0) throw new CliUsageError(`--${flag} needs a positive number, not "${raw}"`);
    out[spec.key] = spec.integer ? Math.round(n) : n;
  }
  return out;
}

function printLimits(l: ImportLimits, cli: CliContext): void {
  cli.out('Import limits of this site (a file over one is refused, naming it):');
  cli.out(`  maxFileBytes      ${(l.maxFileBytes / MiB).toFixed(0)} MiB   (--max-file-mb)      largest file or zip member read`);
  cli.out(`  maxDeclaredPixels ${l.maxDeclaredPixels}   (--max-pixels)       rows x columns x frames a header may declare`);
  cli.out(`  maxDecodedBytes   ${(l.maxDecodedBytes / MiB).toFixed(0)} MiB   (--max-decoded-mb)   memory one file may decode to`);
  cli.out(`  maxZipRatio       ${l.maxZipRatio}   (--max-zip-ratio)    expansion of a zip member over 1 MiB`);
  cli.out(`  maxFileSeconds    ${l.maxFileSeconds} s   (--max-file-seconds) time to read one file`);
}

/** Prints progress until the job ends; Ctrl-C asks the job to cancel (stored work is kept). */
async function follow(job: Job, cli: CliContext, quiet: boolean): Promise<Job> {
  let lastLine = 0;
  const show = (j: Job) => {
    if (quiet) return;
    const line = `[import] ${j.done}/${j.total} files, ${j.failed} failed, ${j.rate.toFixed(1)} files/s, ETA ${duration(j.etaSeconds)}`;
    if (cli.interactive) process.stdout.write(`\r${line}\x1b[K`);
    else if (Date.now() - lastLine > 2000 || j.done === j.total) {
      cli.out(line);
      lastLine = Date.now();
    }
  };
  const unsubscribe = cli.core.subscribe('jobs:onDidProgress', (j) => j.id === job.id && show(j));
  const onSigint = () => {
    cli.err('\ncancelling: files already imported stay in the index…');
    void cli.call('jobs:cancel', { jobId: job.id });
  };
  process.once('SIGINT', onSigint);
  try {
    const finished = await waitForJob(cli.core, job.id);
    show(finished);
    if (cli.interactive && !quiet) process.stdout.write('\n');
    return finished;
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
  }
}

export function printReport(r: ImportReport, cli: CliContext): void {
  cli.out(`Import ${r.jobId} (${r.state}), started ${r.startedAt}${r.finishedAt ? `, finished ${r.finishedAt}` : ''}`);
  cli.out(`  from: ${r.roots.join(', ')}`);
  cli.out(`  imported ${r.imported}, updated ${r.updated}, skipped ${r.skipped}, failed ${r.failedCount}`);
  if (r.skippedReasons.length) {
    cli.out(`  skipped (other than unchanged):`);
    for (const s of r.skippedReasons) cli.out(`    ${s.path}: ${s.reason}`);
  }
  if (r.warnings.length) {
    cli.out(`  imported with warnings:`);
    for (const w of r.warnings) cli.out(`    ${w.path}: ${w.reason}`);
  }
  if (r.failed.length) {
    cli.out(`  failed:`);
    for (const f of r.failed) cli.out(`    ${f.path}: ${f.reason}`);
    if (r.failedCount > r.failed.length) cli.out(`    … and ${r.failedCount - r.failed.length} more`);
  }
}
