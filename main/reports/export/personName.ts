/** Honorifics and titles that go in the DICOM PN prefix component, not in the family or given name. */
const PREFIXES = new Set(['dr', 'dra', 'doctor', 'doctora', 'doutor', 'doutora', 'prof', 'profa', 'pr', 'mr', 'mrs', 'ms', 'miss', 'mme', 'mlle', 'm', 'sr', 'sra', 'srta']);

/**
 * A display name as a DICOM PN (PS3.5 6.2): `Family^Given^Middle^Prefix`. "Family, Given Middle" keeps its order;
 * "Dra. Inês Araújo" becomes `Araújo^Inês^^Dra.`; a single word is a family name (`READER^`), so the value is never
 * in the retired form without component separators. Characters that delimit PN values (^ = \) are removed.
 */
export function toPersonName(display: string): string {
  const text = display.replace(/[\^=\\]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!text) return '';
  let family: string;
  let given = '';
  let middle = '';
  const prefix: string[] = [];
  const comma = text.indexOf(',');
  if (comma >= 0) {
    family = text.slice(0, comma).trim();
    const rest = text.slice(comma + 1).trim().split(' ').filter(Boolean);
    while (rest.length > 1 && PREFIXES.has(rest[0]!.toLowerCase().replace(/\.$/, ''))) prefix.push(rest.shift()!);
    given = rest.shift() ?? '';
    middle = rest.join(' ');
  } else {
    const words = text.split(' ');
    while (words.length > 1 && PREFIXES.has(words[0]!.toLowerCase().replace(/\.$/, ''))) prefix.push(words.shift()!);
    family = words.pop()!;
    given = words.shift() ?? '';
    middle = words.join(' ');
  }
  const parts = [family, given, middle, prefix.join(' ')];
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const pn = parts.length === 1 ? `${parts[0]}^` : parts.join('^');
  // PN allows 64 characters per component group.
  return [...pn].slice(0, 64).join('');
}
