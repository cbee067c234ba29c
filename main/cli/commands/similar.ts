import { CliUsageError, type CliCommand } from '../command.js';
import { parseArgs, table } from '../format.js';

/** `cxr similar ID`: the most similar indexed images to an analysed image. */
export const similarCommand: CliCommand = {
  name: 'similar',
  usage: 'cxr similar IMAGE_ID [-k 10] [--finding LABEL] [--sex M|F|O] [--age-min N] [--age-max N] [--from DATE] [--to DATE] [--same-patient] [--exact] [--json]',
  summary: 'The k indexed images most similar to an analysed image (CNN embedding, cosine).',
  async run(args, cli) {
    const { values, flags, positional } = parseArgs(
      args,
      ['-k', '--finding', '--sex', '--age-min', '--age-max', '--from', '--to', '--pack'],
      ['--same-patient', '--exact', '--json'],
    );
    const id = Number(positional[0]);
    if (!Number.isInteger(id) || id <= 0) throw new CliUsageError('give an image id (see cxr show STUDY_ID)');
    const k = values['-k'] === undefined ? 10 : Number(values['-k']);
    if (!Number.isInteger(k) || k < 1 || k > 100) throw new CliUsageError('-k takes a whole number from 1 to 100');
    const num = (name: string) => {
      const v = values[name];
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new CliUsageError(`${name} takes a number, got "${v}"`);
      return n;
    };
    const sex = values['--sex']?.toUpperCase();
    if (sex !== undefined && !['M', 'F', 'O'].includes(sex)) throw new CliUsageError('--sex is M, F or O');
    const r = await cli.call('similar:find', {
      instanceId: id,
      k,
      packId: values['--pack'],
      method: flags.has('--exact') ? 'exact' : 'auto',
      filters: {
        finding: values['--finding'],
        sex: sex as 'M' | 'F' | 'O' | undefined,
        ageMin: num('--age-min'),
        ageMax: num('--age-max'),
        dateFrom: values['--from'],
        dateTo: values['--to'],
        excludeSamePatient: !flags.has('--same-patient'),
      },
    });
    if (flags.has('--json')) {
      cli.out(JSON.stringify(r, null, 2));
      return 0;
    }
    cli.out(
      `Image ${r.query.instanceId} (patient ${r.query.patientId}) — ${r.pack.packId} ${r.pack.packVersion}, ${r.method} search over ` +
        `${r.indexed} embeddings${r.allowed === null ? '' : `, ${r.allowed} allowed by the filters`}, ${r.searchMs.toFixed(1)} ms`,
    );
    if (!r.neighbours.length) {
      cli.out('No similar images (nothing else analysed, or the filters leave none).');
      return 0;
    }
    for (const line of table(
        ['image', 'similarity', 'patient', 'date', 'sex', 'age', 'AI positive', 'reference', 'report'],
        r.neighbours.map((n) => [
          n.instanceId,
          n.similarity.toFixed(3),
          n.patientId,
          n.studyDate,
          n.sex,
          n.ageYears,
          n.findings.filter((f) => f.positive).map((f) => `${f.label} ${f.probability.toFixed(2)}`).join(', ') || '-',
          n.referenceLabels.join(', ') || '-',
          n.reportText ? n.reportText.replace(/\s+/g, ' ') : '-',
        ]),
      ))
      cli.out(line);
    return 0;
  },
};
