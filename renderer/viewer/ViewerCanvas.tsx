import { Box, Typography } from '@mui/material';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createPixelRenderer, type PixelRenderer } from './pixelRenderer.js';
import type { LoadedPixels } from './usePixels.js';
import {
  apply,
  distanceMm,
  distancePx,
  dragWindow,
  imageToViewport,
  invert as invertAffine,
  zoomAt,
  type Size,
  type ViewGeometry,
  type WindowLevel,
} from './viewTransform.js';

export type ViewerTool = 'windowLevel' | 'pan' | 'zoom' | 'ruler';

/** Text anchored at a point of the image, drawn upright in screen space (names of AI overlays). */
export interface OverlayLabel {
  key: string;
  /** Anchor in image pixels; the text sits just above it. */
  x: number;
  y: number;
  text: string;
  color: string;
  testId?: string;
}

export interface Measurement {
  a: [number, number];
  b: [number, number];
}

/** Marks a drawn frame for the end-to-end tests and the benchmark (pixel checks wait for it). */
declare global {
  interface Window {
    __cxrViewer?: { frames: number; lastDrawn: string | null; renderer: string | null };
  }
}

export interface ViewerCanvasProps {
  /** Null while the image loads: the viewport (and its WebGL context) is ready before the bytes arrive. */
  pixels: LoadedPixels | null;
  /** Identifies the image for tests and benchmarks (`data-drawn` once drawn). */
  imageKey: string;
  geometry: ViewGeometry;
  onGeometryChange: (g: ViewGeometry) => void;
  window: WindowLevel;
  onWindowChange: (w: WindowLevel) => void;
  /** User's inversion toggle; combined with the image's MONOCHROME1 flag. */
  invert: boolean;
  tool: ViewerTool;
  measurements: Measurement[];
  onMeasurementsChange: (m: Measurement[]) => void;
  /** SVG drawn in image pixel coordinates (heatmaps, boxes). */
  imageOverlay?: ReactNode;
  /** Names for the image overlay, drawn upright whatever the rotation or flip. */
  overlayLabels?: OverlayLabel[];
  /** HTML text in the four corners (patient/study data), hidden by the caller when asked. */
  corners?: { topLeft?: ReactNode; topRight?: ReactNode; bottomLeft?: ReactNode; bottomRight?: ReactNode };
  label?: string;
}

/**
 * Screen positions for overlay names: just above each anchor, inside the viewport (an outline along the film's top
 * edge would put its name off screen), moved down a line while it would cover a name already placed.
 */
function placeLabels(labels: OverlayLabel[], matrix: Parameters<typeof apply>[0], size: Size): { l: OverlayLabel; x: number; y: number }[] {
  const LINE = 16;
  const placed: { l: OverlayLabel; x: number; y: number; w: number }[] = [];
  for (const l of labels) {
    const [ax, ay] = apply(matrix, l.x, l.y);
    const w = 7.5 * l.text.length;
    const x = Math.min(Math.max(ax, 4), Math.max(4, size.width - w - 4));
    let y = Math.min(Math.max(ay - 6, LINE), size.height - 4);
    while (y < size.height - 4 && placed.some((p) => Math.abs(p.y - y) < LINE && x < p.x + p.w && p.x < x + w)) y += LINE;
    placed.push({ l, x, y, w });
  }
  return placed;
}

/** One image viewport: WebGL2 drawing, mouse interaction (window/level, pan, zoom, ruler) and overlays. */
export function ViewerCanvas(props: ViewerCanvasProps) {
  const { t } = useTranslation();
  const { pixels, geometry, window: wl, invert, tool, measurements } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<PixelRenderer | null>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const [failure, setFailure] = useState<string | null>(null);
  const [draft, setDraft] = useState<Measurement | null>(null);
  const drawnKey = useRef<string | null>(null);

  const image = { width: pixels?.header.width ?? 1, height: pixels?.header.height ?? 1 };
  const matrix = useMemo(
    () => imageToViewport(image, size, geometry),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [image.width, image.height, size.width, size.height, geometry],
  );

  useLayoutEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    try {
      const forced = new URLSearchParams(globalThis.location?.search ?? '').get('renderer') === 'canvas2d';
      rendererRef.current = createPixelRenderer(canvas, forced ? 'canvas2d' : 'webgl2');
      performance.mark('cxr:renderer-ready');
      window.__cxrViewer ??= { frames: 0, lastDrawn: null, renderer: null };
      const r = rendererRef.current as PixelRenderer & { texelFormat?: string };
      window.__cxrViewer.renderer = r.texelFormat ? `${r.kind}/${r.texelFormat}` : r.kind;
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    }
    return () => {
      rendererRef.current?.dispose();
      rendererRef.current = null;
    };
  }, []);

  useEffect(() => {
    if (!pixels) return;
    try {
      performance.mark('cxr:upload-start');
      rendererRef.current?.setImage(pixels.header, pixels.stored);
      performance.mark('cxr:texture-uploaded');
      drawnKey.current = null;
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    }
  }, [pixels]);

  // One draw per animation frame, whatever number of state changes arrived in between (drags fire faster).
  const frameParams = useRef({ matrix, wl, invert, key: props.imageKey });
  frameParams.current = { matrix, wl, invert: invert !== (pixels?.header.invert ?? false), key: props.imageKey };
  const pending = useRef(0);
  useEffect(() => {
    const canvas = canvasRef.current;
    const renderer = rendererRef.current;
    if (!canvas || !renderer || !pixels || size.width === 0 || size.height === 0) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.round(size.width * dpr);
    const h = Math.round(size.height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    if (pending.current) return;
    pending.current = requestAnimationFrame(() => {
      pending.current = 0;
      const p = frameParams.current;
      renderer.draw({ imageToViewport: p.matrix, window: p.wl, invert: p.invert });
      const stats = (window.__cxrViewer ??= { frames: 0, lastDrawn: null, renderer: renderer.kind });
      stats.frames++;
      if (drawnKey.current !== p.key) {
        drawnKey.current = p.key;
        stats.lastDrawn = p.key;
        canvas.dataset.drawn = p.key;
        performance.mark('cxr:image-drawn', { detail: p.key });
      }
    });
  });
  useEffect(() => () => cancelAnimationFrame(pending.current), []);

  const toImage = (clientX: number, clientY: number): [number, number] => {
    const rect = containerRef.current!.getBoundingClientRect();
    return apply(invertAffine(matrix), clientX - rect.left, clientY - rect.top);
  };

  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button === 2) e.preventDefault();
    const mode: ViewerTool = e.button === 1 ? 'pan' : e.button === 2 ? 'zoom' : tool;
    const start = { x: e.clientX, y: e.clientY, geometry, wl };
    const rect = containerRef.current!.getBoundingClientRect();
    const anchor = toImage(e.clientX, e.clientY);
    (e.target as Element).setPointerCapture?.(e.pointerId);
    const move = (ev: PointerEvent) => {
      const dx = ev.clientX - start.x;
      const dy = ev.clientY - start.y;
      if (mode === 'windowLevel') {
        if (pixels) props.onWindowChange(dragWindow(start.wl, dx, dy, pixels.header.max - pixels.header.min, size));
      } else if (mode === 'pan') {
        props.onGeometryChange({ ...start.geometry, panX: start.geometry.panX + dx, panY: start.geometry.panY + dy });
      } else if (mode === 'zoom') {
        props.onGeometryChange(zoomAt(start.geometry, size, Math.exp(-dy / 200), start.x - rect.left, start.y - rect.top));
      } else {
        setDraft({ a: anchor, b: toImage(ev.clientX, ev.clientY) });
      }
    };
    const up = (ev: PointerEvent) => {
      globalThis.removeEventListener('pointermove', move);
      globalThis.removeEventListener('pointerup', up);
      if (mode === 'ruler') {
        const b = toImage(ev.clientX, ev.clientY);
        setDraft(null);
        if (distancePx(anchor, b) > 2) props.onMeasurementsChange([...measurements, { a: anchor, b }]);
      }
    };
    globalThis.addEventListener('pointermove', move);
    globalThis.addEventListener('pointerup', up);
  };

  const onWheel = (e: React.WheelEvent) => {
    const rect = containerRef.current!.getBoundingClientRect();
    props.onGeometryChange(zoomAt(geometry, size, Math.exp(-e.deltaY / 500), e.clientX - rect.left, e.clientY - rect.top));
  };

  const spacing = pixels?.header.spacingMm ?? null;
  const shown = draft ? [...measurements, draft] : measurements;
  const svgMatrix = `matrix(${matrix.join(' ')})`;
  const corner = (pos: Record<string, number>, content: ReactNode) =>
    content ? (
      <Box
        sx={{
          position: 'absolute',
          ...pos,
          color: '#e8e8e8',
          textShadow: '0 0 3px #000',
          fontSize: 12,
          lineHeight: 1.35,
          pointerEvents: 'none',
          textAlign: 'right' in pos ? 'right' : 'left',
        }}
      >
        {content}
      </Box>
    ) : null;

  return (
    <Box
      ref={containerRef}
      data-testid="viewer-viewport"
      aria-label={props.label}
      onPointerDown={onPointerDown}
      onWheel={onWheel}
      onContextMenu={(e) => e.preventDefault()}
      onDoubleClick={() => props.onGeometryChange({ ...geometry, zoom: 1, panX: 0, panY: 0 })}
      sx={{ position: 'relative', flex: 1, minWidth: 0, minHeight: 0, bgcolor: '#000', overflow: 'hidden', touchAction: 'none', cursor: tool === 'ruler' ? 'crosshair' : 'default' }}
    >
      <canvas ref={canvasRef} data-testid="viewer-canvas" style={{ position: 'absolute', inset: 0, width: '100%', height: '100%' }} />
      <svg width={size.width} height={size.height} style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}>
        <g transform={svgMatrix}>
          {props.imageOverlay}
          {shown.map((m, i) => (
            <line key={i} x1={m.a[0]} y1={m.a[1]} x2={m.b[0]} y2={m.b[1]} stroke="#ffeb3b" strokeWidth={2} vectorEffect="non-scaling-stroke" />
          ))}
        </g>
        {placeLabels(props.overlayLabels ?? [], matrix, size).map(({ l, x, y }) => (
          <text key={`l-${l.key}`} x={x} y={y} fill={l.color} fontSize={13} fontWeight={600} stroke="#000" strokeWidth={3} paintOrder="stroke" data-testid={l.testId}>
            {l.text}
          </text>
        ))}
        {shown.map((m, i) => {
          const [x, y] = apply(matrix, m.b[0], m.b[1]);
          const mm = distanceMm(m.a, m.b, spacing);
          const text = mm === null ? t('viewer.rulerPx', { px: distancePx(m.a, m.b).toFixed(0) }) : t('viewer.rulerMm', { mm: mm.toFixed(1) });
          return (
            <text key={i} x={x + 6} y={y - 6} fill="#ffeb3b" fontSize={13} stroke="#000" strokeWidth={0.6} paintOrder="stroke" data-testid="ruler-label">
              {text}
            </text>
          );
        })}
      </svg>
      {corner({ top: 6, left: 8 }, props.corners?.topLeft)}
      {corner({ top: 6, right: 8 }, props.corners?.topRight)}
      {corner({ bottom: 6, left: 8 }, props.corners?.bottomLeft)}
      {corner({ bottom: 6, right: 8 }, props.corners?.bottomRight)}
      {failure && (
        <Typography role="alert" sx={{ position: 'absolute', top: '45%', width: '100%', textAlign: 'center', color: 'error.light' }}>
          {failure}
        </Typography>
      )}
    </Box>
  );
}
