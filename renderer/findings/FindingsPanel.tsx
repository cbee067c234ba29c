import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  LinearProgress,
  List,
  ListItem,
  Slider,
  Stack,
  Switch,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReferenceFinding } from '../../main/api/index.js';
import { useLabel } from '../common/useLabel.js';
import { takesDecision, toggle, type FindingDecision, type FindingView, type OverlayState } from './findingView.js';

export interface FindingsPanelProps {
  findings: FindingView[];
  /** Loading / error / not analysed yet. */
  state: 'loading' | 'ready' | 'none' | { error: string };
  overlays: OverlayState;
  onOverlaysChange: (o: OverlayState) => void;
  onReview: (finding: FindingView, decision: FindingDecision, editedText?: string) => void;
  /** Runs the analysis when none exists yet. */
  onAnalyse?: () => void;
  /** Model pack name and version, shown with the AI label. */
  modelLabel?: string | null;
  /** Reference labels from the import (e.g. NIH labels.csv), shown apart from AI output. */
  reference?: ReferenceFinding[];
  /**
   * Quality/view gate of the analysis: its flags; `withheld` the one line saying why no findings are shown (null when
   * shown); `override` the reader's explicit override when one let the findings through.
   */
  quality?: {
    flags: { code: string; message: string }[];
    withheld: string | null;
    override?: { by: string; reason: string; at: string } | null;
  };
  /** Override the gate for a withheld image, with the reader's reason (audited by the core). */
  onOverrideGate?: (reason: string) => void;
  /** The generated findings text (header and sentences), the core's disclaimer and the AI details appendix. */
  summary?: { lines: string[]; disclaimer: string; details?: { title: string; lines: string[] } };
  /** An analysis is running for this image. */
  analysing?: boolean;
  /**
   * Set when a signed report froze these findings: they are shown as signed, and take no more decisions (the core
   * refuses them too); an addendum to the report is how a reader adds to them.
   */
  signed?: { reportId: number; signedAt: string } | null;
}

/** AI findings of one image: probability against threshold, location, overlays, and the reader's decision. */
export function FindingsPanel(props: FindingsPanelProps) {
  const { t } = useTranslation();
  const label = useLabel();
  const { findings, overlays, state } = props;
  const [editing, setEditing] = useState<FindingView | null>(null);
  const [draft, setDraft] = useState('');
  const [overriding, setOverriding] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  const sorted = [...findings].sort((a, b) => Number(b.positive) - Number(a.positive) || b.probability - a.probability);

  return (
    <Box component="section" aria-label={t('findings.title')} sx={{ display: 'flex', flexDirection: 'column', gap: 1, flexShrink: 0 }}>
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1 }}>
        <Typography variant="h6" sx={{ flex: 1 }}>
          {t('findings.title')}
        </Typography>
        <Chip size="small" color="secondary" label={t('ai.generatedLabel')} />
      </Stack>
      <Typography variant="caption" color="text.secondary">
        {t('ai.supportNotice')}
        {props.modelLabel ? ` · ${t('findings.model', { model: props.modelLabel })}` : ''}
      </Typography>
      {state === 'loading' && <LinearProgress aria-label={t('common.loading')} />}
      {typeof state === 'object' && <Alert severity="error">{state.error}</Alert>}
      {state === 'none' && (
        <Alert
          severity="info"
          action={
            props.onAnalyse && (
              <Button color="inherit" size="small" onClick={props.onAnalyse}>
                {t('findings.analyse')}
              </Button>
            )
          }
        >
          {t('findings.notAnalysed')}
        </Alert>
      )}
      {props.analysing && <Alert severity="info">{t('findings.analysing')}</Alert>}
      {props.signed && (
        <Alert severity="info" variant="outlined" data-testid="findings-signed">
          {t('findings.signed', { id: props.signed.reportId, at: new Date(props.signed.signedAt).toLocaleString() })}
        </Alert>
      )}
      {props.quality?.withheld && (
        <Alert
          severity="warning"
          data-testid="findings-withheld"
          action={
            props.onOverrideGate &&
            !props.signed && (
              <Button color="inherit" size="small" onClick={() => setOverriding(true)}>
                {t('findings.override')}
              </Button>
            )
          }
        >
          <div>{t('findings.withheld')}</div>
          <div>{props.quality.withheld}</div>
        </Alert>
      )}
      {props.quality?.override && (
        <Alert severity="error" variant="outlined" data-testid="findings-overridden">
          {t('findings.overridden', { by: props.quality.override.by, at: props.quality.override.at.slice(0, 16).replace('T', ' '), reason: props.quality.override.reason })}
        </Alert>
      )}
      {(props.quality?.withheld || props.quality?.override) &&
        props.quality.flags.map((f) => (
          <Alert key={f.code} severity="warning" variant="outlined">
            {f.message}
          </Alert>
        ))}
      {findings.length > 0 && (
        <Box>
          <Typography variant="body2" id="opacity-label">
            {t('findings.opacity')}
          </Typography>
          <Slider
            size="small"
            min={0}
            max={1}
            step={0.05}
            value={overlays.opacity}
            aria-labelledby="opacity-label"
            onChange={(_, v) => props.onOverlaysChange({ ...overlays, opacity: v as number })}
          />
        </Box>
      )}
      <List dense disablePadding>
        {sorted.map((f) => {
          const name = label(f.label);
          const pct = Math.round(f.probability * 100);
          return (
            <ListItem
              key={f.id}
              data-testid={`finding-${f.label}`}
              data-finding-label={f.label}
              // Focusable so the keyboard can reach a finding (j/k) and decide on it (y/x).
              tabIndex={0}
              divider
              sx={{ display: 'block', opacity: f.review.decision === 'rejected' ? 0.55 : 1, '&:focus-visible': { outline: '2px solid', outlineColor: 'primary.main', outlineOffset: -2 } }}
            >
              <Stack direction="row" sx={{ alignItems: 'center', gap: 1 }}>
                <Typography sx={{ flex: 1, fontWeight: f.positive ? 700 : 400 }}>{name}</Typography>
                {f.positive && <Chip size="small" color="warning" label={t('findings.positive')} />}
                {f.notCalibrated !== null && (
                  <Tooltip title={t('findings.notCalibratedHelp', { reason: f.notCalibrated })}>
                    <Chip size="small" variant="outlined" label={t('findings.notCalibrated')} data-testid="not-calibrated" />
                  </Tooltip>
                )}
                <Typography variant="body2" aria-label={t('findings.probability')}>
                  {pct}%
                </Typography>
              </Stack>
              <Box sx={{ position: 'relative', my: 0.5 }}>
                <LinearProgress
                  variant="determinate"
                  value={pct}
                  color={f.positive ? 'warning' : 'primary'}
                  aria-label={t('findings.probabilityOf', { label: name, percent: pct })}
                  sx={{ height: 8, borderRadius: 1 }}
                />
                {f.threshold !== null && (
                  <Tooltip title={t('findings.threshold', { percent: Math.round(f.threshold * 100) })}>
                    <Box
                      data-testid="threshold-mark"
                      sx={{ position: 'absolute', top: -3, bottom: -3, width: 2, bgcolor: 'text.primary', left: `${f.threshold * 100}%` }}
                    />
                  </Tooltip>
                )}
              </Box>
              <Typography variant="caption" color="text.secondary" component="div">
                {f.threshold !== null ? t('findings.threshold', { percent: Math.round(f.threshold * 100) }) : t('findings.notCalibratedHelp', { reason: f.notCalibrated ?? '' })}
                {f.location ? ` · ${t('findings.location', { location: f.location })}` : ''}
              </Typography>
              {(f.review.editedText ?? f.text) && (
                <Typography variant="body2" component="div" sx={{ mt: 0.5 }}>
                  {f.review.editedText ?? f.text}
                </Typography>
              )}
              <Stack direction="row" sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 0.5, mt: 0.5 }}>
                <Tooltip title={f.heatmap ? '' : t('findings.noHeatmap')}>
                  <span>
                    <Switch
                      size="small"
                      disabled={!f.heatmap}
                      checked={overlays.heatmaps.includes(f.id)}
                      onChange={() => props.onOverlaysChange({ ...overlays, heatmaps: toggle(overlays.heatmaps, f.id) })}
                      slotProps={{ input: { 'aria-label': t('findings.heatmapOf', { label: name }) } }}
                    />
                  </span>
                </Tooltip>
                <Typography variant="caption">{t('findings.heatmap')}</Typography>
                <Switch
                  size="small"
                  disabled={!f.contours?.length}
                  checked={overlays.contours.includes(f.id)}
                  onChange={() => props.onOverlaysChange({ ...overlays, contours: toggle(overlays.contours, f.id) })}
                  slotProps={{ input: { 'aria-label': t('findings.contourOf', { label: name }) } }}
                />
                <Typography variant="caption">{t('findings.contour')}</Typography>
                <Switch
                  size="small"
                  disabled={!f.box}
                  checked={overlays.boxes.includes(f.id)}
                  onChange={() => props.onOverlaysChange({ ...overlays, boxes: toggle(overlays.boxes, f.id) })}
                  slotProps={{ input: { 'aria-label': t('findings.boxOf', { label: name }) } }}
                />
                <Typography variant="caption">{t('findings.box')}</Typography>
              </Stack>
              {/* A label without a validated operating point is never a finding: nothing to accept, reject or edit. */}
              {takesDecision(f, props.signed) && (
              <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'flex-end', gap: 0.5 }}>
                <Button
                  size="small"
                  variant={f.review.decision === 'accepted' ? 'contained' : 'text'}
                  color="success"
                  aria-pressed={f.review.decision === 'accepted'}
                  aria-label={t('findings.acceptOf', { label: name })}
                  onClick={() => props.onReview(f, 'accepted')}
                >
                  {t('findings.accept')}
                </Button>
                <Button
                  size="small"
                  variant={f.review.decision === 'rejected' ? 'contained' : 'text'}
                  color="error"
                  aria-pressed={f.review.decision === 'rejected'}
                  aria-label={t('findings.rejectOf', { label: name })}
                  onClick={() => props.onReview(f, 'rejected')}
                >
                  {t('findings.reject')}
                </Button>
                <IconButton
                  size="small"
                  aria-label={t('findings.editOf', { label: name })}
                  onClick={() => {
                    setEditing(f);
                    setDraft(f.review.editedText ?? f.text ?? name);
                  }}
                >
                  ✎
                </IconButton>
              </Stack>
              )}
              {f.review.decision !== 'pending' && (
                <Typography variant="caption" color="text.secondary">
                  {t(`findings.decision.${f.review.decision}`)}
                </Typography>
              )}
            </ListItem>
          );
        })}
      </List>
      {props.summary && props.summary.lines.length > 0 && (
        <Box data-testid="findings-text" sx={{ border: 1, borderColor: 'secondary.main', borderRadius: 1, p: 1 }}>
          <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mb: 0.5 }}>
            <Typography variant="subtitle2" sx={{ flex: 1 }}>
              {t('findings.text')}
            </Typography>
            <Chip size="small" color="secondary" variant="outlined" label={t('ai.generatedLabel')} />
          </Stack>
          {props.summary.lines.map((line, i) => (
            <Typography key={i} variant="body2">
              {line}
            </Typography>
          ))}
          {props.summary.details && props.summary.details.lines.length > 0 && (
            <Box component="details" data-testid="ai-details" sx={{ mt: 0.5 }}>
              <Typography component="summary" variant="caption" sx={{ cursor: 'pointer' }}>
                {props.summary.details.title}
              </Typography>
              {props.summary.details.lines.map((line, i) => (
                <Typography key={i} variant="caption" component="div" color="text.secondary">
                  {line}
                </Typography>
              ))}
            </Box>
          )}
          <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.5 }}>
            {props.summary.disclaimer}
          </Typography>
        </Box>
      )}
      {props.reference && props.reference.length > 0 && (
        <Box>
          <Typography variant="subtitle2">{t('findings.reference')}</Typography>
          <Typography variant="caption" color="text.secondary" component="div">
            {t('findings.referenceHelp')}
          </Typography>
          <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5, mt: 0.5 }}>
            {props.reference.map((r, i) => (
              <Chip key={i} size="small" variant="outlined" label={`${label(r.label)} (${r.source})`} />
            ))}
          </Stack>
        </Box>
      )}
      <Dialog open={overriding} onClose={() => setOverriding(false)} fullWidth>
        <DialogTitle>{t('findings.overrideTitle')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {t('findings.overrideHelp')}
          </Typography>
          <TextField
            autoFocus
            multiline
            fullWidth
            minRows={2}
            label={t('findings.overrideReason')}
            value={overrideReason}
            onChange={(e) => setOverrideReason(e.target.value)}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOverriding(false)}>{t('common.cancel')}</Button>
          <Button
            variant="contained"
            color="error"
            disabled={overrideReason.trim().length < 3}
            onClick={() => {
              props.onOverrideGate?.(overrideReason.trim());
              setOverriding(false);
              setOverrideReason('');
            }}
          >
            {t('findings.override')}
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={editing !== null} onClose={() => setEditing(null)} fullWidth>
        <DialogTitle>{editing ? t('findings.editTitle', { label: label(editing.label) }) : ''}</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            multiline
            fullWidth
            minRows={3}
            label={t('findings.editText')}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            sx={{ mt: 1 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
          <Button
            variant="contained"
            onClick={() => {
              if (editing) props.onReview(editing, 'edited', draft.trim());
              setEditing(null);
            }}
            disabled={!draft.trim()}
          >
            {t('common.save')}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
