import { CliUsageError, type CliCommand } from '../command.js';
import { parseCommandArgs } from '../format.js';

export const showCommand: CliCommand = {
  name: 'show',
  usage: 'cxr show STUDY_ID [--json]',
  summary: 'Print one study: patient, study, series, images, reference findings.',
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, { json: { type: 'boolean' } });
    const id = Number(positional[0]);
    if (!Number.isInteger(id) || id <= 0) throw new CliUsageError('give a study id (see cxr list)');
    const s = await cli.call('studies:get', { studyId: id });
    if (values.json === true) {
      cli.out(JSON.stringify(s, null, 2));
      return 0;
    }
    cli.out(`Study ${s.id}  ${s.studyInstanceUid}`);
    cli.out(`  Patient:     ${s.patientName || '(no name)'}  ID ${s.patientId}  sex ${s.sex ?? '?'}  age ${s.ageYears ?? '?'}  born ${s.birthDate ?? '?'}`);
    cli.out(`  Date:        ${s.date ?? 'unknown'}   Accession ${s.accessionNumber || '-'}   Status ${s.status}   AI ${s.aiStatus}`);
    cli.out(`  Description: ${s.description || '-'}   Institution ${s.institution || '-'}   Referring ${s.referringPhysician || '-'}`);
    for (const se of s.series) {
      cli.out(`  Series ${se.seriesNumber ?? '-'} ${se.modality} ${se.description}  (${se.instances.length} image${se.instances.length === 1 ? '' : 's'})`);
      for (const i of se.instances) {
        const spacing = i.pixelSpacingMm ? `${i.pixelSpacingMm[0].toFixed(3)}×${i.pixelSpacingMm[1].toFixed(3)} mm (${i.spacingSource})` : 'spacing unknown';
        cli.out(`    Image ${i.id}: ${i.columns}×${i.rows} ${i.bitsStored}-bit ${i.photometric} ${i.viewPosition || '-'} ${i.format}${i.transferSyntaxUid ? ` ${i.transferSyntaxUid}` : ''}, ${spacing}`);
        cli.out(`      ${i.filePath}`);
        for (const r of i.referenceFindings) {
          const box = r.box ? ` box ${Math.round(r.box.x)},${Math.round(r.box.y)} ${Math.round(r.box.w)}×${Math.round(r.box.h)}` : '';
          cli.out(`      reference: ${r.label} (${r.source})${box}`);
        }
      }
    }
    return 0;
  },
};
