/**
 * The migrations that have shipped: databases in the field may be at any of these versions. A new migration is
 * numbered above SHIPPED_SCHEMA_VERSION; when it is merged, append it here and raise the version with it (the test
 * in sequence.test.ts says so when you forget). Never renumber, rename or remove a shipped migration.
 */
export const SHIPPED_MIGRATIONS: readonly string[] = [
  '0010-create-patients',
  '0020-create-studies',
  '0030-create-series',
  '0040-create-instances',
  '0050-create-reference-findings',
  '0060-create-study-labels',
  '0070-create-import-jobs',
  '0080-create-settings',
  '0090-create-worklist-fts',
  '0100-create-analyses',
  '0110-create-calibrations',
  '0120-create-finding-reviews',
  '0200-create-reports',
  '0210-create-audit-log',
  '0300-create-cohort-findings',
  '0310-create-search-index-files',
  '0320-create-cohort-exports',
  '0330-patients-keyed-without-id',
  '0340-create-import-attempts',
  '0350-create-report-signed-state',
  '0360-create-quality-overrides',
  '0370-add-study-triage',
  '0380-create-study-id-search',
  '0390-create-annotations',
  '0400-create-job-leases',
];

/** The newest shipped migration's number. */
export const SHIPPED_SCHEMA_VERSION = 400;
