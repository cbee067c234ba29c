import { auditCsvHeader, auditCsvRow } from '../audit/auditCsv.js';
import type { AuditRepository } from '../db/auditRepository.js';
import { fileStamp, writeExport } from '../reports/exportFiles.js';
import type { Service } from './service.js';

/** The audit log: read a page, or export the filtered log as CSV under the data folder's exports. */
export function createAuditService(deps: { audit: AuditRepository; dataDir: string; clock: () => Date }): Service {
  const { audit, dataDir, clock } = deps;
  return {
    async 'audit:list'(query) {
      return audit.list(query);
    },

    async 'audit:export'(query) {
      // Collect first: the iterator holds the connection until it ends.
      let csv = auditCsvHeader();
      let rows = 0;
      for (const e of audit.iterate(query)) {
        csv += auditCsvRow(e);
        rows++;
      }
      const fileName = `audit-${fileStamp(clock())}.csv`;
      const written = writeExport(dataDir, 'audit', fileName, csv);
      return { path: written.path, fileName, rows };
    },
  };
}
