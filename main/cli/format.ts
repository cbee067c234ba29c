/** Small text helpers for the CLI's tables and progress lines. */
import { CliUsageError } from './command.js';

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

/** Reads `--name value` / `--flag` options; everything else is positional. */
export function parseArgs(args: string[], valueOptions: string[], flagOptions: string[] = []) {
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2)) {
      const [name, inline] = a.split('=', 2) as [string, string | undefined];
      if (valueOptions.includes(name)) {
        const v = inline ?? args[++i];
        if (v === undefined) throw new CliUsageError(`${name} needs a value`);
        values[name] = v;
      } else if (flagOptions.includes(name)) flags.add(name);
      else throw new CliUsageError(`unknown option ${name}`);
    } else positional.push(a);
  }
  return { values, flags, positional };
}
