import { Button, ButtonGroup, Divider, MenuItem, Stack, TextField, ToggleButton, ToggleButtonGroup, Tooltip } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { ViewerTool } from './ViewerCanvas.js';
import { WINDOW_PRESETS, type WindowPreset } from './windowPresets.js';

export interface ViewerToolbarProps {
  tool: ViewerTool;
  onTool: (t: ViewerTool) => void;
  onPreset: (p: WindowPreset) => void;
  onFit: () => void;
  onZoom: (factor: number) => void;
  onRotate: (q: 1 | -1) => void;
  onFlipH: () => void;
  onFlipV: () => void;
  invert: boolean;
  onInvert: () => void;
  onReset: () => void;
  onClearMeasurements: () => void;
  /** Opens the shortcut sheet. */
  onShortcuts?: () => void;
  /** Opens the DICOM tag viewer. */
  onTags?: () => void;
  showText: boolean;
  onShowText: () => void;
  /** The one switch for every AI overlay (outlines, heatmaps, boxes and their names); null before an analysis. */
  aiOverlays?: { shown: boolean; onToggle: () => void } | null;
  /** Prior comparison: null when the patient has no prior study. */
  prior: {
    shown: boolean;
    /** Zoom and pan linked. */
    linked: boolean;
    onToggle: () => void;
    onLink: () => void;
    /** Window/level linked (relative to each image's default window). */
    windowLinked: boolean;
    onWindowLink: () => void;
    /** The patient's earlier studies with images, newest first, and the one compared with. */
    choices: { studyId: number; date: string | null }[];
    chosen: number | null;
    onChoose: (studyId: number) => void;
  } | null;
}

export function ViewerToolbar(p: ViewerToolbarProps) {
  const { t } = useTranslation();
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', p: 0.5 }} role="toolbar" aria-label={t('viewer.toolbar')}>
      <ToggleButtonGroup size="small" exclusive value={p.tool} onChange={(_, v: ViewerTool | null) => v && p.onTool(v)}>
        <ToggleButton value="windowLevel">{t('viewer.tool.windowLevel')}</ToggleButton>
        <ToggleButton value="pan">{t('viewer.tool.pan')}</ToggleButton>
        <ToggleButton value="zoom">{t('viewer.tool.zoom')}</ToggleButton>
        <ToggleButton value="ruler">{t('viewer.tool.ruler')}</ToggleButton>
        <ToggleButton value="angle">{t('viewer.tool.angle')}</ToggleButton>
        <ToggleButton value="ellipse">{t('viewer.tool.ellipse')}</ToggleButton>
        <ToggleButton value="ctr" title={t('viewer.tool.ctrHelp')}>
          {t('viewer.tool.ctr')}
        </ToggleButton>
      </ToggleButtonGroup>
      <TextField
        select
        size="small"
        label={t('viewer.presets')}
        value=""
        onChange={(e) => p.onPreset(e.target.value as WindowPreset)}
        sx={{ minWidth: 150 }}
      >
        {WINDOW_PRESETS.map((w) => (
          <MenuItem key={w} value={w}>
            {t(`viewer.preset.${w}`)}
          </MenuItem>
        ))}
      </TextField>
      <ButtonGroup size="small" variant="outlined">
        <Button onClick={() => p.onZoom(1.25)} aria-label={t('viewer.zoomIn')}>
          +
        </Button>
        <Button onClick={() => p.onZoom(0.8)} aria-label={t('viewer.zoomOut')}>
          −
        </Button>
        <Button onClick={p.onFit}>{t('viewer.fit')}</Button>
      </ButtonGroup>
      <ButtonGroup size="small" variant="outlined">
        <Button onClick={() => p.onRotate(-1)} aria-label={t('viewer.rotateLeft')}>
          ⟲
        </Button>
        <Button onClick={() => p.onRotate(1)} aria-label={t('viewer.rotateRight')}>
          ⟳
        </Button>
        <Button onClick={p.onFlipH}>{t('viewer.flipH')}</Button>
        <Button onClick={p.onFlipV}>{t('viewer.flipV')}</Button>
      </ButtonGroup>
      <ToggleButton size="small" value="invert" selected={p.invert} onChange={p.onInvert}>
        {t('viewer.invert')}
      </ToggleButton>
      <ToggleButton size="small" value="text" selected={p.showText} onChange={p.onShowText}>
        {t('viewer.overlayText')}
      </ToggleButton>
      {p.aiOverlays && (
        <Tooltip title={t('viewer.aiOverlaysHelp')} describeChild>
          <ToggleButton size="small" value="ai" selected={p.aiOverlays.shown} onChange={p.aiOverlays.onToggle} data-testid="ai-overlays-toggle">
            {t('viewer.aiOverlays')}
          </ToggleButton>
        </Tooltip>
      )}
      <Button size="small" onClick={p.onClearMeasurements}>
        {t('viewer.clearMeasurements')}
      </Button>
      <Button size="small" onClick={p.onReset}>
        {t('viewer.reset')}
      </Button>
      {p.onTags && (
        <Button size="small" onClick={p.onTags} aria-keyshortcuts="d">
          {t('viewer.tags')}
        </Button>
      )}
      {p.onShortcuts && (
        <Button size="small" onClick={p.onShortcuts} aria-keyshortcuts="?">
          {t('shortcuts.button')}
        </Button>
      )}
      {p.prior && (
        <>
          <Divider orientation="vertical" flexItem />
          <ToggleButton size="small" value="prior" selected={p.prior.shown} onChange={p.prior.onToggle}>
            {t('viewer.prior')}
          </ToggleButton>
          {p.prior.shown && p.prior.choices.length > 1 && (
            <TextField
              select
              size="small"
              label={t('viewer.comparedWith')}
              value={p.prior.chosen ?? ''}
              onChange={(e) => p.prior!.onChoose(Number(e.target.value))}
              sx={{ minWidth: 150 }}
            >
              {p.prior.choices.map((c) => (
                <MenuItem key={c.studyId} value={c.studyId}>
                  {c.date ?? t('viewer.undated')}
                </MenuItem>
              ))}
            </TextField>
          )}
          {p.prior.shown && (
            <Tooltip title={t('viewer.linkHelp')} describeChild>
              <ToggleButton size="small" value="link" selected={p.prior.linked} onChange={p.prior.onLink}>
                {t('viewer.link')}
              </ToggleButton>
            </Tooltip>
          )}
          {p.prior.shown && (
            <Tooltip title={t('viewer.windowLinkHelp')} describeChild>
              <ToggleButton size="small" value="windowLink" selected={p.prior.windowLinked} onChange={p.prior.onWindowLink}>
                {t('viewer.windowLink')}
              </ToggleButton>
            </Tooltip>
          )}
        </>
      )}
    </Stack>
  );
}
