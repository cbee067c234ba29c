import type { CoreClient } from '../app/coreClient.js';
import type { OverlayLabel } from '../viewer/ViewerCanvas.js';
import type { FindingView, OverlayState } from './findingView.js';

/** One colour per finding (by its place in the analysis' label order), bright enough on a radiograph. */
const PALETTE = ['#00e5ff', '#ff4081', '#76ff03', '#ffab40', '#e040fb', '#40c4ff', '#ff6e40', '#b2ff59', '#ffd740', '#ea80fc', '#69f0ae', '#ff8a80', '#8c9eff', '#84ffff'];

export function findingColour(findings: readonly FindingView[], id: string): string {
  const i = Math.max(0, findings.findIndex((f) => f.id === id));
  return PALETTE[i % PALETTE.length]!;
}

const path = (rings: number[][]) =>
  rings
    .map((r) => {
      let d = '';
      for (let i = 0; i < r.length; i += 2) d += `${i ? 'L' : 'M'}${r[i]} ${r[i + 1]}`;
      return `${d}Z`;
    })
    .join('');

/**
 * AI overlays drawn in image pixel coordinates inside the viewer's SVG: heatmaps (one absolute scale, made by the
 * core), outlines of each finding's hot region, and boxes. Their names are drawn upright in screen space by the
 * viewer (`overlayLabels`), so a rotated or flipped image never mirrors the text. Nothing is drawn when AI overlays
 * are hidden.
 */
export function FindingOverlay(props: { client: CoreClient; findings: FindingView[]; overlays: OverlayState; width: number; height: number }) {
  const { findings, overlays, width, height } = props;
  if (!overlays.visible) return null;
  return (
    <g data-testid="finding-overlay">
      {findings
        .filter((f) => f.heatmap && overlays.heatmaps.includes(f.id))
        .map((f) => (
          <image
            key={`h-${f.id}`}
            data-testid={`heatmap-${f.label}`}
            href={props.client.resourceUrl(f.heatmap!)}
            x={0}
            y={0}
            width={width}
            height={height}
            preserveAspectRatio="none"
            opacity={overlays.opacity}
          />
        ))}
      {findings
        .filter((f) => f.contours?.length && overlays.contours.includes(f.id))
        .map((f) => (
          <g key={`c-${f.id}`} data-testid={`contour-${f.label}`}>
            <path d={path(f.contours!)} fill="none" stroke="#000" strokeOpacity={0.6} strokeWidth={4} vectorEffect="non-scaling-stroke" />
            <path d={path(f.contours!)} fill="none" stroke={findingColour(findings, f.id)} strokeWidth={2} vectorEffect="non-scaling-stroke" />
          </g>
        ))}
      {findings
        .filter((f) => f.box && overlays.boxes.includes(f.id))
        .map((f) => (
          <g key={`b-${f.id}`} data-testid={`box-${f.label}`}>
            <rect
              x={f.box!.x}
              y={f.box!.y}
              width={f.box!.w}
              height={f.box!.h}
              fill="none"
              stroke={findingColour(findings, f.id)}
              strokeDasharray="6 4"
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
            />
          </g>
        ))}
    </g>
  );
}

/**
 * The name of each finding with an outline or a box on the image, anchored at the top of its outline (else the top
 * left of its box), for the viewer to draw upright; `name` gives the finding's name in the UI language.
 */
export function findingOverlayLabels(findings: readonly FindingView[], overlays: OverlayState, name: (f: FindingView) => string): OverlayLabel[] {
  if (!overlays.visible) return [];
  const out: OverlayLabel[] = [];
  for (const f of findings) {
    let anchor: { x: number; y: number } | null = null;
    if (f.contours?.length && overlays.contours.includes(f.id)) {
      for (const ring of f.contours) {
        for (let i = 0; i < ring.length; i += 2) if (!anchor || ring[i + 1]! < anchor.y) anchor = { x: ring[i]!, y: ring[i + 1]! };
      }
    } else if (f.box && overlays.boxes.includes(f.id)) {
      anchor = { x: f.box.x, y: f.box.y };
    }
    if (anchor) out.push({ key: f.id, x: anchor.x, y: anchor.y, text: name(f), color: findingColour(findings, f.id), testId: `overlay-label-${f.label}` });
  }
  return out;
}
