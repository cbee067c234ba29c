import type { CoreClient } from '../app/coreClient.js';
import type { FindingView, OverlayState } from './findingView.js';

/**
 * AI overlays drawn in image pixel coordinates inside the viewer's SVG: heatmap images stretched over the picture,
 * and boxes with their label. Both are AI output, so the box label says so.
 */
export function FindingOverlay(props: { client: CoreClient; findings: FindingView[]; overlays: OverlayState; width: number; height: number }) {
  const { findings, overlays, width, height } = props;
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
        .filter((f) => f.box && overlays.boxes.includes(f.id))
        .map((f) => (
          <g key={`b-${f.id}`} data-testid={`box-${f.label}`}>
            <rect x={f.box!.x} y={f.box!.y} width={f.box!.w} height={f.box!.h} fill="none" stroke="#ff9800" strokeWidth={2} vectorEffect="non-scaling-stroke" />
          </g>
        ))}
    </g>
  );
}
