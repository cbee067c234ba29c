import type { FindingDecision as ContractFindingDecision } from '../../main/api/index.js';
/**
 * What the findings panel shows of one AI finding, independent of how the analysis domain stores it (the adapter
 * in useFindings.ts maps the contract's analysis result onto this).
 */
export interface FindingView {
  /** Stable within an analysis (label name, or a finding id). */
  id: string;
  label: string;
  /** Model probability in [0, 1]. */
  probability: number;
  /** Operating threshold in [0, 1] from the pack's calibration; at or above is called positive. */
  threshold: number;
  positive: boolean;
  /** Location text (zone/side), already in the UI language where the core provides it. */
  location: string | null;
  /** Generated sentence for the report, if any. */
  text: string | null;
  /** `/files/...` path of the class activation heatmap (an image the size of the picture), or null. */
  heatmap: string | null;
  /** Box in image pixels derived from the heatmap, or null. */
  box: { x: number; y: number; w: number; h: number } | null;
  review: FindingReview;
}

/** The reader's decision as the contract declares it, or still pending. */
export type FindingDecision = 'pending' | ContractFindingDecision;

export interface FindingReview {
  decision: FindingDecision;
  /** The reader's wording when edited. */
  editedText: string | null;
}

/** Which overlays are on the image, and how opaque the heatmaps are. */
export interface OverlayState {
  heatmaps: string[];
  boxes: string[];
  opacity: number;
}

export const emptyOverlays: OverlayState = { heatmaps: [], boxes: [], opacity: 0.5 };

export function toggle(list: string[], id: string): string[] {
  return list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
}
