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
  /** The validated operating point's threshold in [0, 1] (at or above is called); null when not calibrated. */
  threshold: number | null;
  /** Called at a validated operating point; never true when not calibrated. */
  positive: boolean;
  /** Why the label has no validated operating point (shown "not calibrated", never called); null when it has one. */
  notCalibrated: string | null;
  /** Location text (zone/side), already in the UI language where the core provides it. */
  location: string | null;
  /** Generated sentence for the report, if any. */
  text: string | null;
  /** `/files/...` path of the class activation heatmap (an image the size of the picture), or null. */
  heatmap: string | null;
  /** Box in image pixels derived from the heatmap, or null. */
  box: { x: number; y: number; w: number; h: number } | null;
  /** Outline of the heatmap's hot region: closed polylines [x0, y0, x1, y1, …] in image pixels (the box's region). */
  contours?: number[][];
  review: FindingReview;
}

/** The reader's decision as the contract declares it, or still pending. */
export type FindingDecision = 'pending' | ContractFindingDecision;

export interface FindingReview {
  decision: FindingDecision;
  /** The reader's wording when edited. */
  editedText: string | null;
}

/**
 * Which AI overlays are on the image, and how opaque the heatmaps are. `visible` is the one switch that hides every AI
 * overlay at once (the toolbar's "AI overlays" button; a keyboard shortcut can bind to `toggleAiOverlays`) without
 * forgetting which ones were chosen.
 */
export interface OverlayState {
  visible: boolean;
  /** Findings whose hot-region outline is drawn, with its name (by default the called findings). */
  contours: string[];
  heatmaps: string[];
  boxes: string[];
  opacity: number;
}

export const emptyOverlays: OverlayState = { visible: true, contours: [], heatmaps: [], boxes: [], opacity: 0.5 };

export function toggle(list: string[], id: string): string[] {
  return list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
}

/** Hides every AI overlay, or shows again those that were on. */
export function toggleAiOverlays(o: OverlayState): OverlayState {
  return { ...o, visible: !o.visible };
}

/** The overlays a new analysis starts with: the outlines of the called findings, nothing else. */
export function defaultOverlays(findings: readonly FindingView[], previous: OverlayState = emptyOverlays): OverlayState {
  return { ...previous, contours: findings.filter((f) => f.positive && f.contours?.length).map((f) => f.id), heatmaps: [], boxes: [] };
}

/** Whether a finding has any overlay switched on (and AI overlays are shown at all). */
export function hasOverlay(o: OverlayState, id: string): boolean {
  return o.visible && (o.contours.includes(id) || o.heatmaps.includes(id) || o.boxes.includes(id));
}

/**
 * Whether a reader may accept, reject or edit a finding: only one called at a validated operating point can be, and
 * nothing on an image a signed report froze (the core refuses both as well). Buttons and keys ask this one question.
 */
export function takesDecision(f: Pick<FindingView, 'notCalibrated'>, signed: unknown): boolean {
  return f.notCalibrated === null && !signed;
}
