import { WorklistSortFieldSchema, type WorklistQuery } from '../../api/studies.js';
import { CliUsageError, type CliCommand } from '../command.js';
import { parseCommandArgs, table } from '../format.js';

export const listCommand: CliCommand = {
  name: 'list',
  usage:
    'cxr list [TEXT] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--modality M] [--finding LABEL] [--status S] [--has-ai|--no-ai] ' +
    '[--sort date|name|patientId|imported|abnormality[:asc|desc]] [--limit N] [--offset N] [--json]',
  summary: 'Print the worklist.',
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, { from: { type: 'string' }, to: { type: 'string' }, modality: { type: 'string' }, finding: { type: 'string' }, status: { type: 'string' }, sort: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' }, 'has-ai': { type: 'boolean' }, 'no-ai': { type: 'boolean' }, json: { type: 'boolean' } });
    const query: WorklistQuery = {};
    if (positional.length) query.text = positional.join(' ');
    if (values.from) query.dateFrom = values.from;
    if (values.to) query.dateTo = values.to;
    if (values.modality) query.modality = values.modality;
    if (values.finding) query.finding = values.finding;
    if (values.status) query.status = values.status as WorklistQuery['status'];
    if (values['has-ai'] === true) query.hasAi = true;
    if (values['no-ai'] === true) query.hasAi = false;
    if (values.sort) {
      const [field, dir = field === 'abnormality' ? 'desc' : 'asc'] = values.sort.split(':');
      const parsed = WorklistSortFieldSchema.safeParse(field);
      if (!parsed.success || (dir !== 'asc' && dir !== 'desc')) throw new CliUsageError(`bad --sort ${values.sort}`);
      query.sort = { field: parsed.data, dir };
    }
    if (values.limit) query.limit = Number(values.limit);
    if (values.offset) query.offset = Number(values.offset);
    const page = await cli.call('studies:list', query);
    if (values.json === true) {
      cli.out(JSON.stringify(page, null, 2));
      return 0;
    }
    const rows = page.items.map((s) => [
      s.id,
      s.patientId,
      s.patientName,
      s.sex ?? '',
      s.ageYears ?? '',
      s.date ?? '',
      s.modalities.join('/'),
      s.imageCount,
      s.status,
      s.aiStatus,
      s.maxProbability === null ? '' : s.maxProbability.toFixed(2),
      s.description,
    ]);
    for (const line of table(['ID', 'Patient ID', 'Name', 'Sex', 'Age', 'Date', 'Mod', 'Img', 'Status', 'AI', 'Max p', 'Description'], rows)) cli.out(line);
    cli.out(`${page.offset + 1}–${page.offset + page.items.length} of ${page.total} studies`);
    return 0;
  },
};
