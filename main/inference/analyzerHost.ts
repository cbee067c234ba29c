import { CoreError } from '../api/envelope.js';
import type { AiSettings } from './aiSettings.js';
import { Analyzer } from './analyzer.js';
import type { Pack } from './packRegistry.js';

/**
 * Keeps one Analyzer open (a worker thread with its onnxruntime session) for the pack and execution provider in
 * use, and reopens it when either changes. Analysis and calibration share it.
 */
export class AnalyzerHost {
  private open: { key: string; analyzer: Promise<Analyzer> } | null = null;
  /** What this launch has seen of execution providers: the one in use, those that created a session, those that failed. */
  private inUse: string | null = null;
  private readonly loaded = new Set<string>();
  private readonly failed = new Map<string, string>();

  constructor(
    private readonly settings: AiSettings,
    /** onnxruntime intra-op threads (the benchmark compares 1 and 2); by default onnxruntime's choice. */
    private readonly options: { intraOpThreads?: number } = {},
  ) {}

  /**
   * The execution providers that actually loaded a model in this launch (and the one in use), and those that were
   * tried and failed with their reason: what onnxruntime lists as offered may still fail on this machine.
   */
  providerReport(): { inUse: string | null; loaded: string[]; failed: { provider: string; reason: string }[] } {
    return {
      inUse: this.inUse,
      loaded: [...this.loaded].sort(),
      failed: [...this.failed].map(([provider, reason]) => ({ provider, reason })),
    };
  }

  private record(analyzer: Promise<Analyzer>, requested: string): void {
    analyzer.then(
      (a) => {
        this.inUse = a.provider;
        this.loaded.add(a.provider);
        this.failed.delete(a.provider);
        for (const f of a.engine.failures) {
          const at = f.indexOf(': ');
          if (at > 0) this.failed.set(f.slice(0, at), f.slice(at + 2));
        }
      },
      (err: unknown) => {
        this.failed.set(requested, err instanceof Error ? err.message : String(err));
      },
    );
  }

  async analyzer(pack: Pack): Promise<Analyzer> {
    const provider = this.settings.provider();
    const key = `${pack.dir}|${pack.manifest.sha256}|${provider}`;
    if (this.open?.key === key) return this.open.analyzer;
    const previous = this.open;
    const analyzer = Analyzer.open(pack, { provider, ...(this.options.intraOpThreads ? { intraOpThreads: this.options.intraOpThreads } : {}) });
    this.record(analyzer, provider);
    this.open = { key, analyzer };
    analyzer.catch(() => {
      if (this.open?.analyzer === analyzer) this.open = null;
    });
    if (previous) void previous.analyzer.then((a) => a.close(), () => undefined);
    try {
      return await analyzer;
    } catch (err) {
      throw new CoreError('model_error', `cannot load model pack ${pack.manifest.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async dispose(): Promise<void> {
    const open = this.open;
    this.open = null;
    if (open) await open.analyzer.then((a) => a.close(), () => undefined);
  }
}
