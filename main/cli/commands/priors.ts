import { CliUsageError, type CliCommand } from '../command.js';
import { parseCommandArgs } from '../format.js';

const ARROWS: Record<string, string> = { new: 'NEW', resolved: 'resolved', increased: '↑', decreased: '↓', stable: '=' };

/** `cxr priors STUDY_ID`: each finding across the patient's studies with the change from the previous one. */
export const priorsCommand: CliCommand = {
  name: 'priors',
  usage: 'cxr priors STUDY_ID | --image IMAGE_ID [--all] [--json]',
  summary: "Each finding's probability across the patient's studies, and how it changed (new, resolved, increased, decreased, stable).",
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, { image: { type: 'string' }, pack: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' } });
    const image = values.image === undefined ? undefined : Number(values.image);
    const study = positional[0] === undefined ? undefined : Number(positional[0]);
    if ((image === undefined) === (study === undefined)) throw new CliUsageError('give a study id, or --image IMAGE_ID');
    const id = (image ?? study)!;
    if (!Number.isInteger(id) || id <= 0) throw new CliUsageError('ids are positive whole numbers');
    const r = await cli.call('priors:get', image !== undefined ? { instanceId: image, packId: values.pack } : { studyId: id, packId: values.pack });
    if (values.json === true) {
      cli.out(JSON.stringify(r, null, 2));
      return 0;
    }
    cli.out(`Patient ${r.patientId}: ${r.studies.length} stud${r.studies.length === 1 ? 'y' : 'ies'}${r.pack ? ` (AI: ${r.pack.packId} ${r.pack.packVersion})` : ', none analysed'}`);
    cli.out(`  ${'finding'.padEnd(20)}${r.studies.map((s) => `${s.date ?? 'undated'}${s.studyId === r.currentStudyId ? '*' : ' '}`.padEnd(16)).join('')}`);
    for (const s of r.series) {
      // Without --all, show only findings positive or changing somewhere: twelve flat lines hide the two that matter.
      const interesting = s.points.some((p) => p.positive || (p.change && p.change !== 'stable'));
      if (!interesting && !values.all === true) continue;
      const cells = s.points.map((p) => (p.probability === null ? '-' : `${p.probability.toFixed(2)}${p.change ? ` ${ARROWS[p.change]}` : ''}`).padEnd(16));
      cli.out(`  ${`${s.label} (${s.threshold === null ? 'not calib.' : `≥${s.threshold.toFixed(2)}`})`.padEnd(20)}${cells.join('')}`);
    }
    const margin = r.series[0]?.margin;
    if (margin !== undefined) {
      cli.out(`A change is reported only when the probability moves by at least ${margin}; new/resolved also need a validated operating point to be crossed.`);
    }
    return 0;
  },
};
