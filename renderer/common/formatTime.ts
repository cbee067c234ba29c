/**
 * An ISO timestamp as the reader's local date and time, in the UI language (e.g. "12 May 2024, 14:03"); the input
 * unchanged when it is not a valid date, so nothing is hidden.
 */
export function localDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
