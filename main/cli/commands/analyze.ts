import type { Job } from '../../api/jobs.js';
import { waitForJob } from '../../api/waitForJob.js';
import { CliUsageError, type CliCommand, type CliContext } from '../command.js';
import { duration, parseCommandArgs, table } from '../format.js';

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  usage: 'cxr analyze (INSTANCE_ID... | --study ID | --all) [--force] [--pack ID] [--show] [--lang en|fr|es|pt]',
  summary: 'Run the AI on images (in batches, off the main thread); --show prints the findings of each image.',
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, { study: { type: 'string' }, pack: { type: 'string' }, lang: { type: 'string' }, all: { type: 'boolean' }, force: { type: 'boolean' }, show: { type: 'boolean' } });
    const ids = positional.map((p) => {
      const n = Number(p);
      if (!Number.isInteger(n) || n <= 0) throw new CliUsageError(`not an instance id: ${p}`);
      return n;
    });
    const scope = ids.length ? { instanceIds: ids } : values.study ? { studyId: Number(values.study) } : values.all === true ? { all: true } : null;
    if (!scope) throw new CliUsageError('give instance ids, --study ID or --all');
    const job = await cli.call('analysis:start', { ...scope, force: values.force === true, ...(values.pack ? { packId: values.pack } : {}) });
    const done = await followJob(job, cli, 'images');
    cli.out(done.message ?? '');
    if (done.state !== 'done') return done.state === 'cancelled' ? 130 : 1;
    if (values.show === true && ids.length) {
      const language = (values.lang ?? 'en') as 'en' | 'fr' | 'es' | 'pt';
      for (const instanceId of ids) {
        const r = await cli.call('analysis:get', { instanceId, language });
        if (!r) continue;
        cli.out('');
        cli.out(`instance ${instanceId}: ${r.packId} ${r.packVersion} on ${r.provider}, ${r.totalMs.toFixed(0)} ms`);
        if (r.status === 'withheld') {
          cli.out(`  WITHHELD by the quality gate: ${r.withheld.flags.map((f) => f.message).join('; ')}`);
          cli.out(`  ${r.withheld.reason} (a reader may override in the viewer; it is audited)`);
          continue;
        }
        if (r.override) cli.out(`  quality gate OVERRIDDEN by ${r.override.by} (${r.override.at}): ${r.override.reason}`);
        cli.out(`  operating points: ${r.operatingPoints.version}`);
        for (const line of table(
          ['label', 'p', 'operating point', 'call', 'location', 'extent'],
          r.findings.map((f) => [
            f.label,
            f.probability.toFixed(3),
            f.operatingPoint.status === 'validated' ? `${f.operatingPoint.threshold.toFixed(3)} (${f.operatingPoint.source})` : 'not calibrated',
            f.positive ? 'CALLED' : '',
            f.locationText,
            f.extent === null || !f.positive ? '' : `${Math.round(f.extent * 100)}%`,
          ]),
        ))
          cli.out(`  ${line}`);
        cli.out(`  ${r.text.header}`);
        for (const s of r.text.sentences) cli.out(`  ${s.text}`);
      }
    }
    return 0;
  },
};

/** Prints a job's progress until it ends; Ctrl-C asks it to cancel (work already stored is kept). */
export async function followJob(job: Job, cli: CliContext, unit: string): Promise<Job> {
  let last = 0;
  const show = (j: Job) => {
    const line = `[${j.kind}] ${j.done}/${j.total} ${unit}, ${j.failed} failed, ${j.rate.toFixed(1)} ${unit}/s, ETA ${duration(j.etaSeconds)}`;
    if (cli.interactive) process.stdout.write(`\r${line}\x1b[K`);
    else if (Date.now() - last > 2000 || j.done + j.failed === j.total) {
      cli.out(line);
      last = Date.now();
    }
  };
  const off = cli.core.subscribe('jobs:onDidProgress', (j) => j.id === job.id && show(j));
  const onSigint = () => {
    cli.err('\ncancelling: results already stored are kept…');
    void cli.call('jobs:cancel', { jobId: job.id });
  };
  process.once('SIGINT', onSigint);
  try {
    const finished = await waitForJob(cli.core, job.id);
    show(finished);
    if (cli.interactive) process.stdout.write('\n');
    return finished;
  } finally {
    process.off('SIGINT', onSigint);
    off();
  }
}
