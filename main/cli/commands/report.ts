import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExportFormatSchema, ReportLanguageSchema } from '../../api/reports.js';
import { CliUsageError, type CliCommand } from '../command.js';
import { parseCommandArgs } from '../format.js';

export const reportCommand: CliCommand = {
  name: 'report',
  usage:
    'cxr report STUDY_ID [--template T] [--language en|fr|es|pt] [--image INSTANCE_ID] [--heatmap] --format pdf|docx|txt|fhir|sr ' +
    '-o FILE [--deidentify] [--findings TEXT] [--impression TEXT] [--sign] [--no-images]\n' +
    '  --sign signs as the reader the workstation acts as (see cxr reader; set it with cxr reader NAME)',
  summary:
    'Draft a report for a study from a template (with the accepted AI findings), optionally write its findings and impression, sign it (refused while either is empty), and export it.',
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, {
      template: { type: 'string' },
      language: { type: 'string' },
      image: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      findings: { type: 'string' },
      impression: { type: 'string' },
      sign: { type: 'boolean' },
      deidentify: { type: 'boolean' },
      heatmap: { type: 'boolean' },
      'no-images': { type: 'boolean' },
    });
    if (values.sign === true && positional.length > 1) {
      throw new CliUsageError(`--sign takes no name: it signs as the workstation's reader (cxr reader NAME sets it), not "${positional[1]}"`);
    }
    const studyId = Number(positional[0]);
    if (!Number.isInteger(studyId) || studyId <= 0 || positional.length !== 1) throw new CliUsageError('give one study id (see cxr list)');
    const format = ExportFormatSchema.safeParse(values.format);
    if (!format.success) throw new CliUsageError(`--format must be one of ${ExportFormatSchema.options.join(', ')}`);
    const output = values.output ?? values.output;
    if (!output) throw new CliUsageError('give the output file with -o FILE');
    const language = ReportLanguageSchema.safeParse(values.language ?? 'en');
    if (!language.success) throw new CliUsageError(`--language must be one of ${ReportLanguageSchema.options.join(', ')}`);
    const instanceId = values.image === undefined ? undefined : Number(values.image);
    if (instanceId !== undefined && (!Number.isInteger(instanceId) || instanceId <= 0)) throw new CliUsageError('--image needs an image id (see cxr show)');
    let report = await cli.call('reports:draft', {
      studyId,
      ...(values.template ? { templateId: values.template } : {}),
      language: language.data,
      ...(instanceId !== undefined ? { instanceId } : {}),
      withHeatmap: values.heatmap === true,
    });
    // Signing is refused while Findings or Impression is empty: write them first when given.
    const written = (['findings', 'impression'] as const).filter((name) => values[name] !== undefined).map((name) => ({ name, text: values[name]! }));
    if (written.length) report = await cli.call('reports:save', { reportId: report.id, sections: written });
    if (values.sign === true) report = await cli.call('reports:setState', { reportId: report.id, state: 'final' });
    const exported = await cli.call('reports:export', {
      reportId: report.id,
      format: format.data,
      deidentify: values.deidentify === true,
      includeImages: !values['no-images'] === true,
    });
    const file = await cli.core.resource(exported.path);
    if (!file) throw new Error(`the export ${exported.path} was written but cannot be read back`);
    const target = resolve(output);
    writeFileSync(target, file.body);
    cli.out(
      `report ${report.id} (${report.state}${report.signedBy ? `, signed by ${report.signedBy}` : ''}, ${report.aiFindings.length} AI finding${report.aiFindings.length === 1 ? '' : 's'}) ` +
        `→ ${target} (${format.data}${exported.deidentified ? ', de-identified' : ''}, ${exported.bytes} bytes)`,
    );
    return 0;
  },
};
