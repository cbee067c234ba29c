/**
 * LOINC codes of report sections (the DICOM CID 7001 "Diagnostic Imaging Report Headings" use the same ones), used by
 * the DICOM SR and FHIR exports to say which section a text is. Sections not listed are written as plain text items
 * under "Findings"-like generic headings.
 */
const CODES: Record<string, { code: string; meaning: string }> = {
  indication: { code: '18785-6', meaning: 'Indications for Procedure' },
  technique: { code: '55111-9', meaning: 'Current Procedure Descriptions' },
  comparison: { code: '18834-2', meaning: 'Comparison Study' },
  findings: { code: '18782-3', meaning: 'Findings' },
  impression: { code: '19005-8', meaning: 'Impressions' },
  recommendation: { code: '18783-1', meaning: 'Recommendations' },
};

export function sectionCode(name: string): { code: string; meaning: string } | null {
  return CODES[name] ?? null;
}
