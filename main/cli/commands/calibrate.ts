import { CliUsageError, type CliCommand } from '../command.js';
import { OPERATING_POINT_RULE as RULE, type Calibration } from '../../api/analysis.js';
import { parseCommandArgs, table } from '../format.js';
import { followJob } from './analyze.js';

export const calibrateCommand: CliCommand = {
  name: 'calibrate',
  usage: 'cxr calibrate LABELS.csv [--images DIR] [--split calibration] [--method youden|sensitivity] [--target 0.9] [--pack ID] | cxr calibrate --show [--pack ID]',
  summary:
    "Derive per-label operating points from a labelled set (Youden's J, or a sensitivity target); each is validated (positives, AUC bootstrap interval above 0.5) or refused with the reason.",
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, { images: { type: 'string' }, split: { type: 'string' }, method: { type: 'string' }, target: { type: 'string' }, pack: { type: 'string' }, show: { type: 'boolean' } });
    const packId = values.pack;
    if (!values.show === true) {
      const labelsCsv = positional[0];
      if (!labelsCsv) throw new CliUsageError('give the labels CSV');
      const method = values.method ?? (values.target ? 'sensitivity' : 'youden');
      if (method !== 'youden' && method !== 'sensitivity') throw new CliUsageError(`unknown --method ${method}`);
      const target = values.target ? Number(values.target) : undefined;
      if (target !== undefined && !(target > 0 && target <= 1)) throw new CliUsageError('--target must be in (0, 1]');
      const job = await cli.call('calibration:run', {
        labelsCsv,
        method,
        ...(values.images ? { imagesDir: values.images } : {}),
        ...(values.split ? { split: values.split } : {}),
        ...(target !== undefined ? { targetSensitivity: target } : {}),
        ...(packId ? { packId } : {}),
      });
      const done = await followJob(job, cli, 'images');
      cli.out(done.message ?? '');
      if (done.state !== 'done') return 1;
    }
    const points = await cli.call('operatingPoints:get', packId ? { packId } : {});
    const c = points.calibration;
    if (!c) cli.out(`No site calibration for ${points.packId} ${points.packVersion}.`);
    else {
      cli.out(`Calibration ${c.id} of ${c.packId} ${c.packVersion}, ${c.createdAt}: ${c.method}${c.targetSensitivity ? ` (target sensitivity ${c.targetSensitivity})` : ''}, ${c.imageCount} images from ${c.source}`);
      cli.out(`A label is validated with at least ${RULE.minPositives} positives and ${RULE.minNegatives} negatives and an AUC whose 95% bootstrap interval (${RULE.bootstrapResamples} stratified resamples, seed ${RULE.bootstrapSeed}) lies above 0.5.`);
      cli.out('Sensitivity and specificity are measured on the same set the threshold was chosen on (optimistic), with Wilson 95% intervals.');
      for (const line of calibrationTable(c)) cli.out(line);
      const refused = c.labels.filter((l) => !l.validated);
      if (refused.length) {
        cli.out('');
        cli.out(`Refused (${refused.length} of ${c.labels.length}: shown "not calibrated", never called):`);
        for (const l of refused) cli.out(`  ${l.label}: ${l.refusal}`);
      }
    }
    cli.out('');
    cli.out(`In force: ${points.version}`);
    for (const l of points.labels) {
      const p = l.operatingPoint;
      cli.out(`  ${l.label.padEnd(20)} ${p.status === 'validated' ? `${p.threshold.toFixed(3)}  ${p.provenance}` : `not calibrated (${p.reason})`}`);
    }
    return 0;
  },
};

/** The per-label table: positives/negatives, AUC with its interval, threshold, sensitivity and specificity with theirs. */
export function calibrationTable(c: Calibration): string[] {
  const f = (v: number | null) => (v === null ? '-' : v.toFixed(3));
  const ci = (v: number | null, i: { low: number; high: number } | null) => (v === null ? '-' : `${v.toFixed(2)} [${i ? `${i.low.toFixed(2)}–${i.high.toFixed(2)}` : '-'}]`);
  return table(
    ['label', 'pos', 'neg', 'AUC [95% CI]', 'threshold', 'sensitivity [CI]', 'specificity [CI]', 'verdict'],
    c.labels.map((l) => [l.label, l.positives, l.negatives, ci(l.auc, l.aucCi), f(l.threshold), ci(l.sensitivity, l.sensitivityCi), ci(l.specificity, l.specificityCi), l.validated ? 'validated' : 'REFUSED']),
  );
}
