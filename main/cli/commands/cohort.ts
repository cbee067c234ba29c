import { CliUsageError, type CliCommand } from '../command.js';
import { parseCommandArgs, table } from '../format.js';

/** `cxr cohort "QUERY"`: images of the whole index matching a cohort query; optionally exported. */
export const cohortCommand: CliCommand = {
  name: 'cohort',
  usage: 'cxr cohort "QUERY" [--limit N] [--offset N] [--export csv|coco] [--pack ID] [--json] | cxr cohort --help',
  summary: 'Query the index (findings, labels, report text, demographics, dates); export as CSV or COCO JSON.',
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, { limit: { type: 'string' }, offset: { type: 'string' }, export: { type: 'string' }, pack: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } });
    if (values.help === true) {
      const s = await cli.call('cohorts:syntax', { packId: values.pack });
      cli.out(s.text);
      cli.out(`Findings: ${s.labels.join(', ')}`);
      return 0;
    }
    const query = positional.join(' ').trim();
    if (!query) throw new CliUsageError('give a query in quotes, e.g. cxr cohort "Effusion>0.6 AND sex=F" (cxr cohort --help)');
    const format = values.export;
    if (format !== undefined) {
      if (format !== 'csv' && format !== 'coco') throw new CliUsageError('--export is csv or coco');
      const e = await cli.call('cohorts:export', { query, format, packId: values.pack });
      if (values.json === true) cli.out(JSON.stringify(e, null, 2));
      else {
        cli.out(`Exported ${e.rows} image${e.rows === 1 ? '' : 's'}${format === 'coco' ? ` and ${e.boxes} boxes` : ''} for: ${e.query}`);
        cli.out(`  ${e.path}  (under the data directory: exports/cohorts/${e.path.split('/').pop()})`);
        for (const n of e.notes) cli.out(`  note: ${n}`);
      }
      return 0;
    }
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    const offset = values.offset === undefined ? 0 : Number(values.offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CliUsageError('--limit takes a whole number from 1 to 500');
    if (!Number.isInteger(offset) || offset < 0) throw new CliUsageError('--offset takes a whole number from 0');
    const page = await cli.call('cohorts:query', { query, limit, offset, packId: values.pack });
    if (values.json === true) {
      cli.out(JSON.stringify(page, null, 2));
      return 0;
    }
    cli.out(`${page.total} image${page.total === 1 ? '' : 's'} match ${page.query}${page.pack ? ` (AI: ${page.pack.packId} ${page.pack.packVersion})` : ''}`);
    if (page.items.length) {
      for (const line of table(
          ['image', 'study', 'patient', 'date', 'sex', 'age', 'view', 'AI positive', 'reference'],
          page.items.map((i) => [
            i.instanceId,
            i.studyId,
            i.patientId,
            i.studyDate,
            i.sex,
            i.ageYears,
            i.viewPosition,
            i.findings.filter((f) => f.positive).map((f) => `${f.label} ${f.probability.toFixed(2)}`).join(', ') || '-',
            i.referenceLabels.join(', ') || '-',
          ]),
        ))
        cli.out(line);
      if (page.offset + page.items.length < page.total) cli.out(`… ${page.total - page.offset - page.items.length} more (--offset ${page.offset + page.items.length})`);
    }
    return 0;
  },
};
