/**
 * Turns search-box text into an FTS5 query: every word becomes a quoted prefix term (`"smi"*`) and all must match.
 * Words are runs of letters, digits and combining marks (what the unicode61 tokenizer keeps), so punctuation,
 * quotes and FTS operators typed by the user can never change the query's syntax. "ACC-2024" gives
 * `"acc"* "2024"*`, which finds the accession ACC-2024-0001. Returns null when the text holds no word.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.normalize('NFC').match(/[\p{L}\p{N}\p{M}]+/gu);
  if (!words) return null;
  // Inside an FTS5 string a double quote is the only special character; words cannot contain one.
  return words.map((w) => `"${w}"*`).join(' ');
}

/**
 * The search text as a substring query for the patient ID / accession trigram index (`"99999"` finds "00099999"),
 * or null when it cannot be one: under three characters (a trigram needs three), or with spaces (two words are a
 * name, searched by words). A double quote inside is doubled, so typed text can never change the query's syntax.
 */
export function toIdSubstringQuery(text: string): string | null {
  const t = text.normalize('NFC').trim();
  if ([...t].length < 3 || /\s/.test(t)) return null;
  return `"${t.replace(/"/g, '""')}"`;
}
