import type { DecodedImages } from '../images/decodedImages.js';
import type { ImportAnalysis } from '../importer/importJob.js';
import type { AiSettings } from './aiSettings.js';
import { openAnalysisRun, updateStudySummaries, type AnalysisPipelineDeps, type AnalysisRun } from './analysisPipeline.js';
import type { Pack, PackRegistry } from './packRegistry.js';

export interface ImportAnalysisDeps extends Omit<AnalysisPipelineDeps, 'images'> {
  packs: PackRegistry;
  aiSettings: AiSettings;
  /** The shared cache: images analysed on import are kept there for the viewer. */
  images: Pick<DecodedImages, 'keep'>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Analysis on import: each new or changed image goes through the analysis pipeline (same batches, quality gate,
 * operating points, audit entry per image and worklist summaries as `analysis:start`) with the pixels the import
 * decoded, so it is decoded once. On by default when a pack is installed; the site's setting or the request decide
 * otherwise. Whatever starts an import (the CLI, the UI, the DICOM receiver) gets it without asking.
 */
export function analysisOnImport(deps: ImportAnalysisDeps): ImportAnalysis {
  return {
    async open(wanted) {
      const setting = deps.aiSettings.analyseOnImport();
      if (!(wanted ?? setting ?? true)) return { run: null };
      let pack: Pack;
      try {
        pack = await deps.packs.resolve();
      } catch (err) {
        // The default says nothing where no pack is installed; a request or a setting that asked for analysis is told why.
        return { run: null, note: wanted === undefined && setting === null ? undefined : `not analysed: ${message(err)}` };
      }
      // The analyzer (a worker and its session) is opened for the first new image only: an import of files already
      // indexed, or of nothing readable, loads no model.
      let run: Promise<AnalysisRun> | null = null;
      let refused: string | null = null;
      return {
        run: {
          async add({ instanceId, contentHash, pixels }) {
            deps.images.keep(contentHash, pixels);
            if (refused) return;
            run ??= openAnalysisRun(deps, pack);
            let opened: AnalysisRun;
            try {
              opened = await run;
            } catch (err) {
              refused = `not analysed: ${message(err)}`;
              return;
            }
            const { frame, display, meta } = pixels;
            await opened.add(instanceId, { width: frame.width, height: frame.height, frame, display, meta });
          },
          async finish() {
            if (refused) return refused;
            if (!run) return '';
            const { studies, failures, provider, analysed } = await (await run).finish();
            await updateStudySummaries(deps, pack, studies);
            const first = failures.slice(0, 3).join('; ');
            return `${analysed} analysed with ${pack.manifest.id} ${pack.manifest.version} on ${provider}${failures.length ? `, ${failures.length} could not be analysed (${first})` : ''}`;
          },
        },
      };
    },
  };
}
