import { Box, Typography } from '@mui/material';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnnotationKind, ImagePoint } from '../../main/api/index.js';
import { ANNOTATION_POINTS } from '../../main/api/index.js';
import { localDateTime } from '../common/formatTime.js';
import { addDrag, measure, type MeasuredImage, type MeasurementValue } from './measurements.js';
import { edgeMarkers, type EdgeMarkers, type Orientation } from './orientation.js';
import { createPixelRenderer, type PixelRenderer } from './pixelRenderer.js';
import type { LoadedPixels } from './usePixels.js';
import {
  apply,
  distancePx,
  dragWindow,
  imageToViewport,
  invert as invertAffine,
  multiply,
  pixelAspect,
  zoomAt,
  type Affine,
  type FitInsets,
  type Size,
  type ViewGeometry,
  type WindowLevel,
} from './viewTransform.js';

export type ViewerTool = 'windowLevel' | 'pan' | 'zoom' | AnnotationKind;

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

const MEASURING: ReadonlySet<string> = new Set(['ruler', 'angle', 'ellipse', 'ctr']);

/** A measurement on the image: stored ones carry their id, author and time. */
export interface ShownAnnotation {
  id?: number;
  kind: AnnotationKind;
  points: ImagePoint[];
  author?: string;
  createdAt?: string;
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
  /** The reader's measurements on this image. */
  annotations: ShownAnnotation[];
  /** A measurement was completed with the current tool. */
  onCreateAnnotation: (kind: AnnotationKind, points: ImagePoint[]) => void;
  /** Where the patient is, for the edge markers (null: unknown, no markers). */
  orientation?: Orientation | null;
  /** SVG drawn in image pixel coordinates (heatmaps, boxes). */
  imageOverlay?: ReactNode;
  /** Names for the image overlay, drawn upright whatever the rotation or flip. */
  overlayLabels?: OverlayLabel[];
  /** HTML text in the four corners (patient/study data), hidden by the caller when asked; `topCenterOffset` moves the
   * top orientation marker below a banner. */
  corners?: { topLeft?: ReactNode; topRight?: ReactNode; bottomLeft?: ReactNode; bottomRight?: ReactNode; topCenterOffset?: number };
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
  const { t, i18n } = useTranslation();
  const { pixels, geometry, window: wl, invert, tool, annotations } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<PixelRenderer | null>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const [failure, setFailure] = useState<string | null>(null);
  // A measurement being drawn: drags already completed (an angle's first arm, a CTR's cardiac diameter) and the one
  // in progress.
  const [draft, setDraft] = useState<{ kind: AnnotationKind; points: ImagePoint[]; current: [ImagePoint, ImagePoint] | null } | null>(null);
  const drawnKey = useRef<string | null>(null);
  useEffect(() => setDraft(null), [tool, props.imageKey]);

  // The corner text's extent: the fitted image keeps clear of it (and so of the image's burned-in annotations).
  const corners = useRef<Record<string, HTMLDivElement | null>>({});
  const [insets, setInsets] = useState<FitInsets>({ x: 0, y: 0 });
  useLayoutEffect(() => {
    if (typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const boxes = Object.values(corners.current).filter((el): el is HTMLDivElement => !!el);
      const x = Math.max(0, ...boxes.map((el) => el.offsetWidth));
      const y = Math.max(0, ...boxes.map((el) => el.offsetHeight));
      setInsets((old) => (old.x === x + 8 && old.y === y + 8 ? old : { x: x ? x + 8 : 0, y: y ? y + 8 : 0 }));
    };
    measure();
    const ro = new ResizeObserver(measure);
    for (const el of Object.values(corners.current)) if (el) ro.observe(el);
    return () => ro.disconnect();
  });

  // Image coordinates are the full image's, also when the core sent a reduced display level of a huge one (header.source).
  const header = pixels?.header;
  const image = header?.source ?? { width: header?.width ?? 1, height: header?.height ?? 1 };
  const texelToImage = useMemo<Affine>(
    () => (header?.source ? [header.source.width / header.width, 0, 0, header.source.height / header.height, 0, 0] : [1, 0, 0, 1, 0, 0]),
    [header],
  );
  const aspect = pixelAspect(pixels?.header.spacingMm);
  const matrix = useMemo(
    () => imageToViewport(image, size, geometry, { insets, aspect }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [image.width, image.height, size.width, size.height, geometry, insets.x, insets.y, aspect],
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
  const frameParams = useRef({ matrix, texelToImage, wl, invert, key: props.imageKey });
  frameParams.current = { matrix, texelToImage, wl, invert: invert !== (pixels?.header.invert ?? false), key: props.imageKey };
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
      renderer.draw({ imageToViewport: multiply(p.matrix, p.texelToImage), window: p.wl, invert: p.invert });
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
    const kind = MEASURING.has(mode) ? (mode as AnnotationKind) : null;
    const earlier = kind && draft?.kind === kind ? draft.points : [];
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
      } else if (kind) {
        setDraft({ kind, points: earlier, current: [startOf(kind, earlier, anchor), toImage(ev.clientX, ev.clientY)] });
      }
    };
    const up = (ev: PointerEvent) => {
      globalThis.removeEventListener('pointermove', move);
      globalThis.removeEventListener('pointerup', up);
      if (!kind) return;
      const a = startOf(kind, earlier, anchor);
      const b = toImage(ev.clientX, ev.clientY);
      // A click, not a drag: nothing drawn (and a half-drawn measurement waits for its next drag).
      if (distancePx(a, b) <= 2) {
        setDraft(earlier.length ? { kind, points: earlier, current: null } : null);
        return;
      }
      const points = addDrag(kind, earlier, a, b);
      if (points.length >= ANNOTATION_POINTS[kind]) {
        setDraft(null);
        props.onCreateAnnotation(kind, points);
      } else {
        setDraft({ kind, points, current: null });
      }
    };
    globalThis.addEventListener('pointermove', move);
    globalThis.addEventListener('pointerup', up);
  };

  const onWheel = (e: React.WheelEvent) => {
    const rect = containerRef.current!.getBoundingClientRect();
    props.onGeometryChange(zoomAt(geometry, size, Math.exp(-e.deltaY / 500), e.clientX - rect.left, e.clientY - rect.top));
  };

  const measured: MeasuredImage | null = pixels
    ? {
        width: image.width,
        height: image.height,
        ...(pixels.header.source ? { level: { width: pixels.header.width, height: pixels.header.height } } : {}),
        stored: pixels.stored,
        slope: pixels.header.slope,
        intercept: pixels.header.intercept,
        spacingMm: pixels.header.spacingMm,
      }
    : null;
  const inProgress: ShownAnnotation[] = draft
    ? [{ kind: draft.kind, points: draft.current ? addDrag(draft.kind, draft.points, draft.current[0], draft.current[1]) : draft.points }]
    : [];
  const shown = [...annotations, ...inProgress];
  const svgMatrix = `matrix(${matrix.join(' ')})`;
  const markers = props.orientation && pixels ? edgeMarkers(props.orientation, matrix) : null;
  // Where the image is on screen (for end-to-end checks that text never covers it at the fitted zoom).
  const rect = (() => {
    const cs = [apply(matrix, 0, 0), apply(matrix, image.width, 0), apply(matrix, 0, image.height), apply(matrix, image.width, image.height)];
    const xs = cs.map((c) => c[0]);
    const ys = cs.map((c) => c[1]);
    return { x: Math.min(...xs), y: Math.min(...ys), w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) };
  })();
  const r1 = (v: number) => Math.round(v * 10) / 10;
  const imageRect = `${r1(rect.x)},${r1(rect.y)},${r1(rect.w)},${r1(rect.h)}`;
  // Edge markers sit just outside the image's edges, centred on them (clear of the corner text in the bands), and
  // stay inside the viewport when the image is zoomed beyond it.
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), Math.max(lo, hi));
  const topMin = props.corners?.topCenterOffset ?? 2;
  const markerAt = {
    left: { left: clamp(rect.x - 24, 2, size.width - 24), top: clamp(rect.y + rect.h / 2 - 12, 2, size.height - 24) },
    right: { left: clamp(rect.x + rect.w + 6, 2, size.width - 24), top: clamp(rect.y + rect.h / 2 - 12, 2, size.height - 24) },
    top: { left: clamp(rect.x + rect.w / 2 - 8, 2, size.width - 24), top: clamp(rect.y - 26, topMin, size.height - 24) },
    bottom: { left: clamp(rect.x + rect.w / 2 - 8, 2, size.width - 24), top: clamp(rect.y + rect.h + 2, 2, size.height - 24) },
  };
  // Readable on a bright image too: a dark halo on every side of each glyph.
  const halo = '0 0 2px #000, 0 0 4px #000, 1px 1px 1px #000, -1px -1px 1px #000';
  const corner = (name: string, pos: Record<string, number>, content: ReactNode) =>
    content ? (
      <Box
        ref={(el: HTMLDivElement | null) => {
          corners.current[name] = el;
        }}
        data-testid={`corner-${name}`}
        sx={{
          position: 'absolute',
          ...pos,
          color: '#f0f0f0',
          textShadow: halo,
          fontSize: 12,
          lineHeight: 1.35,
          pointerEvents: 'none',
          textAlign: 'right' in pos ? 'right' : 'left',
        }}
      >
        {content}
      </Box>
    ) : null;
  const marker = (edge: keyof EdgeMarkers, pos: Record<string, number | string>) =>
    markers ? (
      <Box
        data-testid={`marker-${edge}`}
        title={props.orientation?.source === 'assumed' ? t('viewer.orientationAssumed') : undefined}
        sx={{
          position: 'absolute',
          ...pos,
          color: '#ffe082',
          textShadow: halo,
          fontSize: 18,
          fontWeight: 700,
          pointerEvents: 'none',
          fontStyle: props.orientation?.source === 'assumed' ? 'italic' : 'normal',
        }}
      >
        {markers[edge]}
        {props.orientation?.source === 'assumed' ? '?' : ''}
      </Box>
    ) : null;

  return (
    <Box
      ref={containerRef}
      data-testid="viewer-viewport"
      data-image-rect={pixels ? imageRect : undefined}
      aria-label={props.label}
      onPointerDown={onPointerDown}
      onWheel={onWheel}
      onContextMenu={(e) => e.preventDefault()}
      onDoubleClick={() => props.onGeometryChange({ ...geometry, zoom: 1, panX: 0, panY: 0 })}
      sx={{ position: 'relative', flex: 1, minWidth: 0, minHeight: 0, bgcolor: '#000', overflow: 'hidden', touchAction: 'none', cursor: MEASURING.has(tool) ? 'crosshair' : 'default' }}
    >
      <canvas ref={canvasRef} data-testid="viewer-canvas" style={{ position: 'absolute', inset: 0, width: '100%', height: '100%' }} />
      <svg width={size.width} height={size.height} style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}>
        <g transform={svgMatrix}>
          {props.imageOverlay}
          {shown.map((a, i) => (
            <AnnotationShape key={a.id ?? `draft-${i}`} annotation={a} />
          ))}
        </g>
        {placeLabels(props.overlayLabels ?? [], matrix, size).map(({ l, x, y }) => (
          <text key={`l-${l.key}`} x={x} y={y} fill={l.color} fontSize={13} fontWeight={600} stroke="#000" strokeWidth={3} paintOrder="stroke" data-testid={l.testId}>
            {l.text}
          </text>
        ))}
        {measured &&
          shown.map((a, i) => {
            const complete = a.points.length >= ANNOTATION_POINTS[a.kind];
            const [x, y] = apply(matrix, ...labelPoint(a));
            return (
              <g key={a.id ?? `draft-${i}`}>
                {a.author && <title>{t('viewer.measuredBy', { name: a.author, at: localDateTime(a.createdAt, i18n.language) })}</title>}
              <text
                x={x + 6}
                y={y - 6}
                fill="#ffeb3b"
                fontSize={13}
                stroke="#000"
                strokeWidth={0.6}
                paintOrder="stroke"
                data-testid={a.kind === 'ruler' ? 'ruler-label' : 'measure-label'}
                data-kind={a.kind}
                data-author={a.author}
              >
                {complete ? measurementText(t, measure(a.kind, a.points, measured)) : t(`viewer.measureNext.${a.kind}`)}
              </text>
              </g>
            );
          })}
      </svg>
      {corner('topLeft', { top: 6, left: 8 }, props.corners?.topLeft)}
      {corner('topRight', { top: 6, right: 8 }, props.corners?.topRight)}
      {corner('bottomLeft', { bottom: 6, left: 8 }, props.corners?.bottomLeft)}
      {corner('bottomRight', { bottom: 6, right: 8 }, props.corners?.bottomRight)}
      {marker('left', markerAt.left)}
      {marker('right', markerAt.right)}
      {marker('top', markerAt.top)}
      {marker('bottom', markerAt.bottom)}
      {failure && (
        <Typography role="alert" sx={{ position: 'absolute', top: '45%', width: '100%', textAlign: 'center', color: 'error.light' }}>
          {failure}
        </Typography>
      )}
    </Box>
  );
}

/** Where a drag of `kind` starts: an angle's second arm starts at the vertex, whatever point was pressed. */
function startOf(kind: AnnotationKind, earlier: readonly ImagePoint[], pressed: ImagePoint): ImagePoint {
  return kind === 'angle' && earlier.length === 2 ? earlier[1]! : pressed;
}

/** The image point a measurement's label sits next to. */
function labelPoint(a: ShownAnnotation): ImagePoint {
  if (a.kind === 'ellipse' && a.points.length === 2) return [Math.max(a.points[0]![0], a.points[1]![0]), Math.min(a.points[0]![1], a.points[1]![1])];
  if (a.kind === 'angle' && a.points.length >= 2) return a.points[1]!;
  return a.points[a.points.length - 1]!;
}

const STROKE = { fill: 'none', strokeWidth: 2, vectorEffect: 'non-scaling-stroke' as const };

/** One measurement drawn in image coordinates (inside the view matrix, so it follows zoom, rotation and aspect). */
function AnnotationShape({ annotation: a }: { annotation: ShownAnnotation }) {
  const p = a.points;
  const line = (u: ImagePoint, v: ImagePoint, colour = '#ffeb3b') => <line x1={u[0]} y1={u[1]} x2={v[0]} y2={v[1]} stroke={colour} {...STROKE} />;
  switch (a.kind) {
    case 'ruler':
      return p.length >= 2 ? line(p[0]!, p[1]!) : null;
    case 'angle':
      return <polyline points={p.map((q) => q.join(',')).join(' ')} stroke="#ffeb3b" {...STROKE} />;
    case 'ellipse':
      return p.length >= 2 ? (
        <ellipse
          cx={(p[0]![0] + p[1]![0]) / 2}
          cy={(p[0]![1] + p[1]![1]) / 2}
          rx={Math.abs(p[1]![0] - p[0]![0]) / 2}
          ry={Math.abs(p[1]![1] - p[0]![1]) / 2}
          stroke="#ffeb3b"
          {...STROKE}
        />
      ) : null;
    case 'ctr':
      // Cardiac diameter in orange, thoracic in yellow.
      return (
        <g>
          {p.length >= 2 && line(p[0]!, p[1]!, '#ff9800')}
          {p.length >= 4 && line(p[2]!, p[3]!)}
        </g>
      );
  }
}

/** What a measurement reads, in the UI language. */
function measurementText(t: (key: string, values?: Record<string, unknown>) => string, v: MeasurementValue): string {
  switch (v.kind) {
    case 'ruler':
      return v.mm === null ? t('viewer.rulerPx', { px: v.px.toFixed(0) }) : t('viewer.rulerMm', { mm: v.mm.toFixed(1) });
    case 'angle':
      return t('viewer.angle', { degrees: v.degrees.toFixed(1) });
    case 'ellipse':
      return v.areaMm2 === null
        ? t('viewer.ellipsePx', { mean: v.mean.toFixed(1), sd: v.sd.toFixed(1), n: v.n, area: v.areaPx.toFixed(0) })
        : t('viewer.ellipseMm', { mean: v.mean.toFixed(1), sd: v.sd.toFixed(1), n: v.n, area: v.areaMm2.toFixed(0) });
    case 'ctr':
      return t(v.unit === 'mm' ? 'viewer.ctrMm' : 'viewer.ctrPx', { ratio: v.ratio.toFixed(2), cardiac: v.cardiac.toFixed(0), thoracic: v.thoracic.toFixed(0) });
  }
}
