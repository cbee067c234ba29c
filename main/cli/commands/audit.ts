import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AuditActionSchema, type AuditQuery } from '../../api/audit.js';
import { CliUsageError, type CliCommand } from '../command.js';
import { parseCommandArgs, table } from '../format.js';

export const auditCommand: CliCommand = {
  name: 'audit',
  usage: 'cxr audit [--study ID] [--action A] [--actor NAME] [--from DATE] [--to DATE] [--limit N] [--csv FILE] [--json]',
  summary: 'Print the audit log (who viewed, analysed, edited, signed, exported what, when), or write it as CSV.',
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, { study: { type: 'string' }, action: { type: 'string' }, actor: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, limit: { type: 'string' }, csv: { type: 'string' }, json: { type: 'boolean' } });
    if (positional.length) throw new CliUsageError(`unexpected argument ${positional[0]}`);
    const query: AuditQuery = {};
    if (values.study) query.studyId = Number(values.study);
    if (values.action) {
      const a = AuditActionSchema.safeParse(values.action);
      if (!a.success) throw new CliUsageError(`--action must be one of ${AuditActionSchema.options.join(', ')}`);
      query.action = a.data;
    }
    if (values.actor) query.actor = values.actor;
    if (values.from) query.from = values.from;
    if (values.to) query.to = values.to;
    if (values.csv) {
      const { offset: _o, limit: _l, ...filters } = query;
      const exported = await cli.call('audit:export', filters);
      const file = await cli.core.resource(exported.path);
      if (!file) throw new Error(`the export ${exported.path} was written but cannot be read back`);
      writeFileSync(resolve(values.csv), file.body);
      cli.out(`${exported.rows} audit entr${exported.rows === 1 ? 'y' : 'ies'} → ${resolve(values.csv)}`);
      return 0;
    }
    query.limit = values.limit ? Number(values.limit) : 50;
    const page = await cli.call('audit:list', query);
    if (values.json === true) {
      cli.out(JSON.stringify(page, null, 2));
      return 0;
    }
    const rows = page.items.map((e) => [
      e.at.replace('T', ' ').slice(0, 19),
      e.actor,
      e.action,
      `${e.entityType} ${e.entityId}`,
      e.studyId,
      e.modelPack ? `${e.modelPack} ${e.modelVersion ?? ''}`.trim() : '',
      e.thresholdVersion ?? '',
      Object.entries(e.detail)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' '),
    ]);
    for (const line of table(['time (UTC)', 'actor', 'action', 'what', 'study', 'model', 'thresholds', 'detail'], rows)) cli.out(line);
    cli.out(`${page.items.length} of ${page.total}`);
    return 0;
  },
};
