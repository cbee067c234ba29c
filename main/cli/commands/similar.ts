import { CliUsageError, type CliCommand } from '../command.js';
import { parseCommandArgs, table } from '../format.js';

/** `cxr similar ID`: the most similar indexed images to an analysed image. */
export const similarCommand: CliCommand = {
  name: 'similar',
  usage: 'cxr similar IMAGE_ID [-k 10] [--finding LABEL] [--sex M|F|O] [--age-min N] [--age-max N] [--from DATE] [--to DATE] [--same-patient] [--exact] [--json]',
  summary: 'The k indexed images most similar to an analysed image (CNN embedding, cosine).',
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, { finding: { type: 'string' }, sex: { type: 'string' }, 'age-min': { type: 'string' }, 'age-max': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, pack: { type: 'string' }, 'same-patient': { type: 'boolean' }, exact: { type: 'boolean' }, json: { type: 'boolean' }, count: { type: 'string', short: 'k' } });
    const id = Number(positional[0]);
    if (!Number.isInteger(id) || id <= 0) throw new CliUsageError('give an image id (see cxr show STUDY_ID)');
    const k = values.count === undefined ? 10 : Number(values.count);
    if (!Number.isInteger(k) || k < 1 || k > 100) throw new CliUsageError('-k takes a whole number from 1 to 100');
    const num = (name: 'age-min' | 'age-max') => {
      const v = values[name];
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new CliUsageError(`--${name} takes a number, got "${v}"`);
      return n;
    };
    const sex = values.sex?.toUpperCase();
    if (sex !== undefined && !['M', 'F', 'O'].includes(sex)) throw new CliUsageError('--sex is M, F or O');
    const r = await cli.call('similar:find', {
      instanceId: id,
      k,
      packId: values.pack,
      method: values.exact === true ? 'exact' : 'auto',
      filters: {
        finding: values.finding,
        sex: sex as 'M' | 'F' | 'O' | undefined,
        ageMin: num('age-min'),
        ageMax: num('age-max'),
        dateFrom: values.from,
        dateTo: values.to,
        excludeSamePatient: !values['same-patient'] === true,
      },
    });
    if (values.json === true) {
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
