/**
 * A deliberately small test runner for the end-to-end tier: tests run one after another (they share one browser
 * and one workstation), a failure is printed with its stack, and the summary line is `N passed, N failed`.
 */
export type TestFn = () => Promise<void>;

interface Entry {
  name: string;
  fn: TestFn;
}

const entries: Entry[] = [];

/** Registers a test. Throw {@link Skip} from inside to skip it with a reason. */
export function test(name: string, fn: TestFn): void {
  entries.push({ name, fn });
}

/** Thrown to mark a test skipped (a precondition such as missing shared data), never to hide a failure. */
export class Skip extends Error {}

export function skip(reason: string): never {
  throw new Skip(reason);
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

export interface RunSummary {
  passed: number;
  failed: number;
  skipped: number;
}

/** Runs the registered tests in order; `stopAfterFailure` skips the rest when a step they depend on failed. */
export async function runAll(options: { stopAfterFailure?: boolean } = {}): Promise<RunSummary> {
  const summary: RunSummary = { passed: 0, failed: 0, skipped: 0 };
  let stopped: string | null = null;
  for (const { name, fn } of entries) {
    if (stopped) {
      console.log(`  - ${name} (skipped: "${stopped}" failed before it)`);
      summary.skipped++;
      continue;
    }
    const started = Date.now();
    try {
      await fn();
      summary.passed++;
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      if (err instanceof Skip) {
        summary.skipped++;
        console.log(`  - ${name} (skipped: ${err.message})`);
        continue;
      }
      summary.failed++;
      console.log(`  ✗ ${name} (${Date.now() - started} ms)`);
      console.log(`    ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`.replace(/\n/g, '\n    '));
      if (options.stopAfterFailure) stopped = name;
    }
  }
  return summary;
}
