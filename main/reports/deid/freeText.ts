import type { ScrubKind } from '../model.js';
import { fold, nicknamesOf } from './nicknames.js';

/**
 * Free-text de-identification: every identifier known for the patient (in any spacing, punctuation or accenting),
 * the people named in the report, and the common forms of phone numbers, street addresses, e-mail addresses, UIDs
 * and dates, with a count per kind so the export can say exactly what was cleaned.
 *
 * It works from what is known plus patterns; it cannot know that "the patient's sister Ana" names someone, or that a
 * rare occupation identifies: exports say that such text was not cleaned.
 */
export interface KnownIdentifiers {
  /** People's names, each with what replaces it (patient → ANONYMOUS, readers → READER...). */
  people: Array<{ name: string; replacement: string; givenNamesToo?: boolean }>;
  /** Identifiers (patient ID, accession number...) and what replaces each. */
  identifiers: Array<{ value: string; replacement: string }>;
  institutions: string[];
  /** UIDs known for the study and their replacements. */
  uids: Array<{ value: string; replacement: string }>;
  /** Dates (YYYY-MM-DD) removed wherever they appear in any spelling (the birth date). */
  removedDates: string[];
  /** Shifts a date (YYYY-MM-DD) the way the header dates are shifted. */
  shiftDate: (isoDate: string) => string | null;
}

export interface Scrubber {
  clean(text: string): string;
  /** Replacements made so far, per kind. */
  readonly counts: Record<ScrubKind, number>;
}

export const PHONE_REMOVED = '[phone removed]';
export const ADDRESS_REMOVED = '[address removed]';
export const EMAIL_REMOVED = '[e-mail removed]';
export const UID_REMOVED = '[UID removed]';

const VARIANTS: Record<string, string> = { a: 'aàáâãäåā', e: 'eèéêëē', i: 'iìíîïī', o: 'oòóôõöøō', u: 'uùúûüū', c: 'cç', n: 'nñ', y: 'yýÿ' };
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const EDGE_BEFORE = '(?<![\\p{L}\\p{N}])';
const EDGE_AFTER = '(?![\\p{L}\\p{N}])';

/** A pattern for a word that matches it with or without accents ("Conceição" also as "Conceicao"). */
function accentInsensitive(word: string, capitalisedOnly = false): string {
  return [...fold(word)]
    .map((c, i) => {
      const v = VARIANTS[c];
      if (!v) return escapeRegExp(capitalisedOnly && i === 0 ? c.toUpperCase() : c);
      const letters = capitalisedOnly && i === 0 ? v.toUpperCase() : capitalisedOnly ? v : v + v.toUpperCase();
      return `[${letters}]`;
    })
    .join('');
}

/** Name words that are never a name on their own: particles and titles. */
const NOT_NAMES = new Set(['de', 'da', 'do', 'das', 'dos', 'del', 'la', 'le', 'les', 'van', 'von', 'der', 'den', 'di', 'du', 'y', 'e', 'dr', 'dra', 'prof', 'mr', 'mrs', 'ms', 'sr', 'sra', 'mme', 'mlle', 'md', 'phd', 'jr']);

/** Digits with an optional single space, dot or hyphen between any two ("4471902" also as "447 19-02"). */
const spacedDigits = (digits: string) => [...digits].join('[\\s.\\-]?');

/** Patterns of an identifier in any spacing or punctuation, and as its bare number. */
export function identifierPatterns(value: string): string[] {
  const chunks = value.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (!chunks.length) return [];
  const out = [chunks.map((c) => (/^\d+$/.test(c) ? spacedDigits(c) : escapeRegExp(c))).join('[\\s\\-./_:#]*')];
  const digits = value.replace(/\D/g, '');
  const hasLetters = /\p{L}/u.test(value);
  if (hasLetters && digits.length >= 3) out.push(spacedDigits(digits));
  const significant = digits.replace(/^0+/, '');
  if (significant.length >= 4 && significant !== digits) out.push(`0*${spacedDigits(significant)}`);
  return out;
}

const MONTHS: Record<string, number> = {};
const monthNames: string[][] = [
  ['january', 'jan', 'janvier', 'janv', 'enero', 'ene', 'janeiro'],
  ['february', 'feb', 'février', 'fevrier', 'févr', 'fev', 'febrero', 'fevereiro'],
  ['march', 'mar', 'mars', 'marzo', 'março', 'marco'],
  ['april', 'apr', 'avril', 'avr', 'abril', 'abr'],
  ['may', 'mai', 'mayo', 'maio'],
  ['june', 'jun', 'juin', 'junio', 'junho'],
  ['july', 'jul', 'juillet', 'juil', 'julio', 'julho'],
  ['august', 'aug', 'août', 'aout', 'agosto', 'ago'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre', 'setiembre', 'setembro', 'set'],
  ['october', 'oct', 'octobre', 'octubre', 'outubro', 'out'],
  ['november', 'nov', 'novembre', 'noviembre', 'novembro'],
  ['december', 'dec', 'décembre', 'decembre', 'déc', 'diciembre', 'dic', 'dezembro', 'dez'],
];
monthNames.forEach((names, i) => names.forEach((n) => (MONTHS[fold(n)] = i + 1)));
const MONTH = `(${Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .map((m) => accentInsensitive(m))
  .join('|')})\\.?`;

const iso = (y: string, m: number | string, d: number | string) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const validIso = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/** Every date form the scrubber knows, each turned into YYYY-MM-DD (null when it is not a real date). */
const DATE_FORMS: Array<{ re: RegExp; toIso: (m: RegExpExecArray) => string | null }> = [
  // 2024-05-17, 20240517, 2024/05/17, 2024.05.17
  { re: /(?<!\d)((?:19|20)\d{2})([-/.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)/g, toIso: (m) => iso(m[1]!, m[3]!, m[4]!) },
  // 17/05/2024, 05/17/2024, 17.05.2024, 17-05-2024 (day first unless impossible)
  {
    re: /(?<!\d)(\d{1,2})([./-])(\d{1,2})\2((?:19|20)\d{2})(?!\d)/g,
    toIso: (m) => {
      const [a, b] = [Number(m[1]), Number(m[3])];
      const [d, mo] = b <= 12 ? [a, b] : [b, a];
      return iso(m[4]!, mo, d);
    },
  },
  // 17 May 2024, 17th of May 2024, 17 de maio de 2024, 1er mars 2024
  {
    re: new RegExp(`(?<![\\p{L}\\p{N}])(\\d{1,2})(?:st|nd|rd|th|er|º|°)?\\s+(?:of\\s+|de\\s+)?${MONTH}\\s+(?:de\\s+)?((?:19|20)\\d{2})(?!\\d)`, 'giu'),
    toIso: (m) => iso(m[3]!, MONTHS[fold(m[2]!)]!, m[1]!),
  },
  // May 17, 2024 / May 17 2024
  {
    re: new RegExp(`(?<![\\p{L}\\p{N}])${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+((?:19|20)\\d{2})(?!\\d)`, 'giu'),
    toIso: (m) => iso(m[3]!, MONTHS[fold(m[1]!)]!, m[2]!),
  },
];

/** A word matched in any letter case, without the `i` flag (which would also make \p{Lu} match lower case). */
const anyCase = (word: string) => [...word].map((c) => (/\p{L}/u.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escapeRegExp(c))).join('');
const STREET_EN = `(?:${['street', 'st', 'avenue', 'ave', 'road', 'rd', 'boulevard', 'blvd', 'lane', 'ln', 'drive', 'dr', 'court', 'ct', 'way', 'place', 'pl', 'terrace', 'close', 'crescent', 'square', 'sq', 'highway', 'hwy'].map(anyCase).join('|')})`;
const STREET_FIRST = `(?:${[
  'rue', 'avenue', 'av', 'avda', 'avenida', 'boulevard', 'bd', 'bld', 'chemin', 'allée', 'allee', 'impasse', 'quai', 'route', 'cours',
  'calle', 'c/', 'paseo', 'plaza', 'camino', 'carrera', 'carretera', 'rua', 'travessa', 'tv', 'praça', 'praca', 'largo', 'estrada', 'alameda', 'rodovia',
]
  .map(anyCase)
  .join('|')})`;
const CAP_WORD = "\\p{Lu}[\\p{L}'’\\-]*";
const LINK_WORD = "(?:de|del|de la|des|du|la|le|l'|d'|da|do|das|dos|e|y)";
const POSTAL_TAIL = `(?:,?\\s*\\d{4,5}(?:-\\d{3,4})?\\s+${CAP_WORD}(?:\\s+${CAP_WORD})?)?`;
const ADDRESS_FORMS: RegExp[] = [
  // 42 Elm Street, 221B Baker St., 12 Oak Dr
  new RegExp(`(?<![\\p{L}\\p{N}])\\d{1,5}[A-Za-z]?,?\\s+(?:${CAP_WORD}\\s+){1,4}${STREET_EN}\\.?(?![\\p{L}])${POSTAL_TAIL}`, 'gu'),
  // 12 rue de la Paix, 3 bis avenue Foch
  new RegExp(`(?<![\\p{L}\\p{N}])\\d{1,4}(?:\\s?(?:bis|ter))?,?\\s+${STREET_FIRST}\\.?\\s+(?:${LINK_WORD}\\s*)*[\\p{L}'’\\-]+(?:\\s+(?:${LINK_WORD}\\s*)*${CAP_WORD}){0,3}${POSTAL_TAIL}`, 'gu'),
  // Rua das Flores 123, Calle Mayor, 5, Avenida Paulista n.º 1000
  new RegExp(
    `(?<![\\p{L}\\p{N}])${STREET_FIRST}\\.?\\s+(?:${LINK_WORD}\\s+)*${CAP_WORD}(?:\\s+(?:${LINK_WORD}\\s+)*${CAP_WORD}){0,4},?\\s*(?:n\\.?\\s?[ºo°]?\\.?\\s*)?\\d{1,5}[A-Za-z]?(?!\\d)${POSTAL_TAIL}`,
    'gu',
  ),
];

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
/** A DICOM-style UID (2.25...., 1.2.840....): four or more dotted numbers starting 0, 1 or 2. */
const UID = /(?<![\p{L}\p{N}.])[0-2](?:\.(?:0|[1-9]\d*)){3,}(?![\p{N}])/gu;
const PHONE_WORD = '(?:tel|tél|téléphone|telephone|phone|ph|mobile|mob|cell|cel|celular|telemóvel|telemovel|telefone|teléfono|telefono|fone|portable|port|fax|móvil|movil)';
/**
 * A run of digits grouped by single spaces, dots, hyphens or parentheses, optionally after +country: a phone number
 * when it holds 9 to 15 digits, or 7 to 15 with a + or an area code in parentheses (see isPhone).
 */
const PHONE = /(?<![\p{L}\p{N}+])\+?(?:\(\d{1,4}\)|\d)(?:[\s.\-]?(?:\(\d{1,4}\)|\d)){5,18}(?![\p{N}])/gu;
function isPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '').length;
  return digits <= 15 && (digits >= 9 || (digits >= 7 && /[+(]/.test(candidate)));
}
const PHONE_AFTER_WORD = new RegExp(`(${PHONE_WORD}\\.?\\s*(?:n[.ºo°]*\\s*)?:?\\s*)(\\+?[\\d(][\\d\\s.\\-()]{4,}\\d)`, 'giu');

export function createScrubber(known: KnownIdentifiers): Scrubber {
  const counts: Record<ScrubKind, number> = { name: 0, identifier: 0, date: 0, phone: 0, address: 0, email: 0, institution: 0, uid: 0 };
  const rules: Array<{ re: RegExp; kind: ScrubKind; by: string | ((m: RegExpExecArray) => string) }> = [];
  const literal = (pattern: string, kind: ScrubKind, by: string, flags = 'giu') => rules.push({ re: new RegExp(`${EDGE_BEFORE}(?:${pattern})${EDGE_AFTER}`, flags), kind, by });

  // Longest first, and never a prefix of a longer UID (an image UID often starts with its study's).
  for (const u of [...known.uids].sort((a, b) => b.value.length - a.value.length)) {
    if (u.value) rules.push({ re: new RegExp(`(?<![\\p{N}.])${escapeRegExp(u.value)}(?![\\p{N}]|\\.\\d)`, 'gu'), kind: 'uid', by: u.replacement });
  }
  const idPatterns = known.identifiers.flatMap((i) => identifierPatterns(i.value.trim()).map((p) => ({ p, by: i.replacement })));
  for (const { p, by } of idPatterns.sort((a, b) => b.p.length - a.p.length)) literal(p, 'identifier', by);
  rules.push({ re: EMAIL, kind: 'email', by: EMAIL_REMOVED });

  const names: Array<{ p: string; by: string; flags: string }> = [];
  for (const person of known.people) {
    const full = person.name.trim();
    if (!full) continue;
    const words = full.split(/[\s,^]+/).map((w) => w.replace(/[.()"'“”]/g, '')).filter((w) => w.length >= 2 && !NOT_NAMES.has(fold(w)));
    if (words.length > 1) names.push({ p: words.map((w) => accentInsensitive(w)).join('[\\s,^]+'), by: person.replacement, flags: 'giu' });
    for (const w of words) {
      names.push({ p: accentInsensitive(w), by: person.replacement, flags: 'giu' });
      if (person.givenNamesToo !== false) for (const nick of nicknamesOf(w)) names.push({ p: accentInsensitive(nick, true), by: person.replacement, flags: 'gu' });
    }
  }
  for (const n of names.sort((a, b) => b.p.length - a.p.length)) literal(n.p, 'name', n.by, n.flags);
  for (const inst of known.institutions) if (inst.trim().length >= 2) literal(inst.trim().split(/\s+/).map((w) => accentInsensitive(w)).join('\\s+'), 'institution', '');
  for (const re of ADDRESS_FORMS) rules.push({ re, kind: 'address', by: ADDRESS_REMOVED });

  // What replaces an identifier is kept aside as a private-use character until the end, so no later pattern can
  // take a replacement for something else (a remapped 2.25 UID is not a phone number).
  const vault: string[] = [];
  const keep = (s: string) => (s === '' ? '' : String.fromCharCode(0xe100 + vault.push(s) - 1));
  const removed = new Set(known.removedDates);
  const cleanDates = (text: string) => {
    let out = text;
    for (const form of DATE_FORMS) {
      out = out.replace(form.re, (...args) => {
        const m = args.slice(0, -2) as unknown as RegExpExecArray;
        const date = form.toIso(m);
        if (!date || !validIso(date)) return m[0];
        counts.date++;
        return removed.has(date) ? '' : keep(known.shiftDate(date) ?? '');
      });
    }
    return out;
  };

  const apply = (text: string, re: RegExp, kind: ScrubKind, by: string | ((m: RegExpExecArray) => string)) =>
    text.replace(re, (...args) => {
      counts[kind]++;
      return keep(typeof by === 'string' ? by : by(args.slice(0, -2) as unknown as RegExpExecArray));
    });

  return {
    counts,
    clean(text: string) {
      vault.length = 0;
      // Private-use characters have no place in a report; removing them keeps the vault unambiguous.
      let out = text.replace(/[\ue000-\uf8ff]/g, '');
      for (const r of rules) out = apply(out, r.re, r.kind, r.by);
      out = apply(out, UID, 'uid', UID_REMOVED);
      out = cleanDates(out);
      out = apply(out, PHONE_AFTER_WORD, 'phone', (m) => `${m[1]}${PHONE_REMOVED}`);
      out = out.replace(PHONE, (m) => {
        if (!isPhone(m)) return m;
        counts.phone++;
        return keep(PHONE_REMOVED);
      });
      return out.replace(/[\ue100-\uf8ff]/g, (c) => vault[c.charCodeAt(0) - 0xe100] ?? '');
    },
  };
}
