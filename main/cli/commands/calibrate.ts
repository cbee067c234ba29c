import { CliUsageError, type CliCommand } from '../command.js';
import { parseCommandArgs, table } from '../format.js';
import { followJob } from './analyze.js';

export const calibrateCommand: CliCommand = {
  name: 'calibrate',
  usage: 'cxr calibrate LABELS.csv [--images DIR] [--split calibration] [--method youden|sensitivity] [--target 0.9] [--pack ID] | cxr calibrate --show [--pack ID]',
  summary: "Derive per-label operating thresholds from a labelled set (Youden's J, or the highest threshold reaching a sensitivity target).",
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
    const c = await cli.call('calibration:get', packId ? { packId } : {});
    if (!c) {
      cli.out('No calibration for this pack: thresholds come from the pack, else 0.5.');
      return 0;
    }
    cli.out(`Calibration ${c.id} of ${c.packId} ${c.packVersion}, ${c.createdAt}: ${c.method}${c.targetSensitivity ? ` (target sensitivity ${c.targetSensitivity})` : ''}, ${c.imageCount} images from ${c.source}`);
    const f = (v: number | null) => (v === null ? '-' : v.toFixed(3));
    for (const line of table(
      ['label', 'threshold', 'sens', 'spec', 'AUC', 'pos', 'neg', 'how'],
      c.labels.map((l) => [l.label, f(l.threshold), f(l.sensitivity), f(l.specificity), f(l.auc), l.positives, l.negatives, l.method]),
    ))
      cli.out(line);
    return 0;
  },
};
