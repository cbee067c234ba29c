/** Small text helpers for the CLI: arguments, tables, progress lines, and text made safe for a terminal. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from './command.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * Text from files (DICOM fields, paths, report text) made safe for a terminal: control characters (an ESC starting an
 * escape sequence, NUL, DEL, the C1 range) and bidirectional overrides are shown as visible escapes instead of acting
 * on the terminal. Tabs and line breaks stay.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function table(headers: string[], rows: Array<Array<string | number | null>>): string[] {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) => Math.min(40, Math.max(h.length, ...cells.map((r) => r[i]!.length))));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (c.length > widths[i]! ? c.slice(0, widths[i]! - 1) + '…' : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt)];
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/**
 * A command's arguments, parsed by Node's own `util.parseArgs` (strict: unknown options and missing values are usage
 * errors, named in the message). Options are declared per command; values come back typed.
 */
export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values, positional: positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Node says "Unknown option '--bogus'. To specify a positional argument ..."; keep the first sentence.
    const m = /^Unknown option '([^']+)'/.exec(message);
    throw new CliUsageError(m ? `unknown option ${m[1]}` : message.split('. ')[0]!);
  }
}
