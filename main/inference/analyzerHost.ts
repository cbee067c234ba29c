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

  constructor(private readonly settings: AiSettings) {}

  async analyzer(pack: Pack): Promise<Analyzer> {
    const provider = this.settings.provider();
    const key = `${pack.dir}|${pack.manifest.sha256}|${provider}`;
    if (this.open?.key === key) return this.open.analyzer;
    const previous = this.open;
    const analyzer = Analyzer.open(pack, { provider });
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
