import type { ReportSection } from '../api/reports.js';

/** The sections a signed report must have written: a report is signed for its findings and its impression. */
const REQUIRED = ['findings', 'impression'] as const;

/** Text that says nothing: empty, whitespace, or a lone placeholder dash. */
const blank = (text: string) => /^[\s\-–—.]*$/.test(text);

/**
 * Why a report cannot be signed yet, as sentences naming the sections; empty when it can. Each of Findings and
 * Impression the report has must be written, and it must have at least one of them.
 */
export function signingProblems(sections: readonly ReportSection[]): string[] {
  const present = REQUIRED.map((name) => sections.find((s) => s.name === name)).filter((s): s is ReportSection => s !== undefined);
  if (!present.length) return ['it has neither a Findings nor an Impression section'];
  return present.filter((s) => blank(s.text)).map((s) => `${s.title || s.name} is empty`);
}
