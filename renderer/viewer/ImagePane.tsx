import { Box, CircularProgress } from '@mui/material';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnnotationKind, ImagePoint, Instance, StudyDetail } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { usePixels, type LoadedPixels } from './usePixels.js';
import { ViewerCanvas, type OverlayLabel, type ViewerTool } from './ViewerCanvas.js';
import { useCoreQuery } from '../common/useCoreQuery.js';
import { orientationOf } from './orientation.js';
import type { ViewGeometry, WindowLevel } from './viewTransform.js';
import { fromRelative, toRelative, type RelativeWindow } from './windowLink.js';
import { presetWindow, type WindowPreset } from './windowPresets.js';

/** Commands the toolbar sends to a pane (window presets need the pane's own pixels). */
export interface PaneCommand {
  preset?: WindowPreset;
  reset?: boolean;
  clearMeasurements?: boolean;
  /** Increments so the same command can be sent twice. */
  seq: number;
}

export interface ImagePaneProps {
  study: StudyDetail;
  instance: Instance;
  geometry: ViewGeometry;
  onGeometryChange: (g: ViewGeometry) => void;
  invert: boolean;
  tool: ViewerTool;
  showText: boolean;
  command: PaneCommand | null;
  /** SVG in image pixels (AI overlays); only the current study's pane gets them. */
  imageOverlay?: ReactNode;
  /** Names of the AI overlays, drawn upright. */
  overlayLabels?: OverlayLabel[];
  /** Extra line for the bottom-right corner (e.g. "AI overlay shown"). */
  note?: string | null;
  label: string;
  /** CURRENT / PRIOR with the study date, shown while two studies are side by side. */
  banner?: { kind: 'current' | 'prior'; date: string | null } | null;
  /** Window/level linked with the other pane, relative to each image's default window (null: not set yet). */
  linkedWindow?: RelativeWindow | null;
  /** This pane drives the link: its window changes are reported here. */
  onLinkedWindowChange?: (w: RelativeWindow) => void;
}

/** One study image in a viewport, with its own window/level and measurements, and the DICOM corner text. */
export function ImagePane(props: ImagePaneProps) {
  const { t } = useTranslation();
  const client = useCoreClient();
  const { study, instance } = props;
  const state = usePixels(client, instance.pixels);
  // The reader's window and rulers belong to one image: kept with its pixels, so a new image starts from its own
  // default window in the same render that first shows it (no extra effect pass before the first draw).
  const loaded = state.status === 'ready' ? state.pixels : null;
  // `preset` names the window shown: a preset, 'custom' after a drag, 'default' (the file's) until then.
  const [own, setOwn] = useState<{ for: LoadedPixels; wl: WindowLevel | null; preset: WindowPreset | 'custom' } | null>(null);
  const mine = own && own.for === loaded ? own : null;
  const linked = props.linkedWindow && loaded ? fromRelative(props.linkedWindow, loaded.header.window) : null;
  const wl = loaded ? (linked ?? mine?.wl ?? loaded.header.window) : null;
  const preset: WindowPreset | 'custom' | 'linked' = linked && !props.onLinkedWindowChange ? 'linked' : (mine?.preset ?? 'default');
  const setWl = (w: WindowLevel, name: WindowPreset | 'custom' = 'custom') => {
    if (!loaded) return;
    setOwn({ for: loaded, wl: w, preset: name });
    props.onLinkedWindowChange?.(toRelative(w, loaded.header.window));
  };

  // The reader's measurements belong to the image and are stored with it (author and time by the core).
  const stored = useCoreQuery('annotations:list', { instanceId: instance.id });
  const annotations = stored.data ?? [];
  const [measureError, setMeasureError] = useState<string | null>(null);
  const createAnnotation = (kind: AnnotationKind, points: ImagePoint[]) => {
    setMeasureError(null);
    void client.invoke('annotations:create', { instanceId: instance.id, kind, points }).then((r) => {
      if (!r.ok) setMeasureError(r.error.message);
      stored.reload();
    });
  };
  const clearAnnotations = () =>
    void Promise.all(annotations.map((a) => client.invoke('annotations:delete', { annotationId: a.id }))).then(() => stored.reload());

  // Edge markers from the file's PatientOrientation (read with the tag list), else the frontal-view convention.
  const tags = useCoreQuery('instances:tags', instance.format === 'dicom' ? { instanceId: instance.id } : null);
  const patientOrientation = tags.data?.rows.find((r) => r.tag === '(0020,0020)' && r.depth === 0)?.value ?? null;
  const orientation = instance.format === 'dicom' && tags.status !== 'ready' ? null : orientationOf(patientOrientation, instance.viewPosition);

  // The follower keeps a linked window as its own too, so unlinking leaves the picture as it is.
  useEffect(() => {
    if (linked && loaded && !props.onLinkedWindowChange) setOwn({ for: loaded, wl: linked, preset: 'custom' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.linkedWindow]);

  useEffect(() => {
    const c = props.command;
    if (!c || state.status !== 'ready') return;
    // A pane that follows the other's window takes presets through the link.
    if (c.preset && !(props.linkedWindow && !props.onLinkedWindowChange)) setWl(presetWindow(c.preset, state.pixels.header, state.pixels.stored), c.preset);
    if (c.reset) setOwn(null);
    if (c.clearMeasurements) clearAnnotations();
    // Only a new command (seq) triggers.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.command?.seq]);

  if (state.status === 'error') {
    return (
      <Box role="alert" sx={{ flex: 1, bgcolor: '#000', color: 'error.light', p: 2 }}>
        {t('viewer.loadFailed', { message: state.message })}
      </Box>
    );
  }
  // One tree whether loading or ready, so the viewport (and its WebGL context) is created once, while the pixels
  // are still on their way.
  const pixels = state.status === 'ready' && wl ? state.pixels : null;
  const h = pixels?.header ?? null;
  const shownWindow = wl ?? { center: 0, width: 1 };

  const spacing = !h
    ? ''
    : h.spacingMm
    ? t('viewer.spacing', { row: h.spacingMm[0].toFixed(3), col: h.spacingMm[1].toFixed(3), source: h.spacingSource ?? '' })
    : t('viewer.spacingUnknown');
  const text = props.showText;
  return (
    <Box sx={{ flex: 1, display: 'flex', position: 'relative', minWidth: 0 }}>
    <ViewerCanvas
      label={props.label}
      pixels={pixels}
      imageKey={`instance-${instance.id}`}
      geometry={props.geometry}
      onGeometryChange={props.onGeometryChange}
      window={shownWindow}
      onWindowChange={setWl}
      invert={props.invert}
      tool={props.tool}
      annotations={annotations}
      onCreateAnnotation={createAnnotation}
      orientation={orientation}
      imageOverlay={props.imageOverlay}
      overlayLabels={props.overlayLabels}
      corners={{
        topLeft: text && (
          <>
            <div>{study.patientName || t('common.unknown')}</div>
            <div>{t('viewer.patientId', { id: study.patientId })}</div>
            <div>
              {study.sex ?? '–'} {study.ageYears !== null ? t('viewer.age', { years: study.ageYears }) : ''}
            </div>
          </>
        ),
        topRight: text && (
          <>
            <div>{study.date ?? ''}</div>
            <div>{study.description}</div>
            <div>{study.institution}</div>
            <div>
              {instance.viewPosition} {study.accessionNumber ? `· ${study.accessionNumber}` : ''}
            </div>
          </>
        ),
        bottomLeft: (
          <>
            {wl && <div data-testid="wl-readout">{t('viewer.wl', { center: Math.round(wl.center), width: Math.round(wl.width) })}</div>}
            {wl && <div data-testid="preset-readout">{t(`viewer.presetShown.${preset}`)}</div>}
            {text && <div>{t('viewer.zoomLevel', { percent: Math.round(props.geometry.zoom * 100) })}</div>}
            {text && h && (
              <div>
                {h.width}×{h.height}
              </div>
            )}
          </>
        ),
        topCenterOffset: props.banner ? 26 : 4,
        bottomRight: (
          <>
            {measureError && <div role="alert">{measureError}</div>}
            {orientation?.source === 'assumed' && text && <div>{t('viewer.orientationAssumed')}</div>}
            {props.note && <div>{props.note}</div>}
            {h && <div data-testid="spacing-readout">{spacing}</div>}
          </>
        ),
      }}
    />
    {props.banner && (
      <Box
        data-testid="pane-banner"
        sx={{
          position: 'absolute',
          top: 4,
          left: '50%',
          transform: 'translateX(-50%)',
          px: 1,
          borderRadius: 1,
          fontSize: 12,
          fontWeight: 700,
          letterSpacing: 1,
          color: '#fff',
          bgcolor: props.banner.kind === 'current' ? 'rgba(25, 118, 210, 0.85)' : 'rgba(237, 108, 2, 0.85)',
          pointerEvents: 'none',
          whiteSpace: 'nowrap',
        }}
      >
        {t(`viewer.banner.${props.banner.kind}`, { date: props.banner.date ?? t('viewer.undated') })}
      </Box>
    )}
    {!pixels && <CircularProgress aria-label={t('common.loading')} sx={{ position: 'absolute', top: '45%', left: '48%' }} />}
    </Box>
  );
}
