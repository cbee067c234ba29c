import {
  Alert,
  Box,
  Button,
  Collapse,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  ToggleButton,
  Tooltip,
  Typography,
} from '@mui/material';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StudySummary, WorklistQuery } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import { useCoreQuery } from '../common/useCoreQuery.js';
import { AiStatusChip } from './AiStatusChip.js';
import { AnalyseAllButton } from './AnalyseAllButton.js';
import { ImportPanel } from './ImportPanel.js';
import { useDebounced } from './useDebounced.js';
import { emptyFilters, toQuery, WorklistFilters, type WorklistFilterValues } from './WorklistFilters.js';

const PAGE = 100;

export interface WorklistProps {
  /** Opens a study in the viewer (click, or Enter on the highlighted row). */
  onOpen: (study: StudySummary) => void;
  /** Debounce of the search box in ms (tests pass 0). */
  debounceMs?: number;
  /** The study open in the viewer: its row is highlighted, so Esc comes back to where the reader was. */
  activeStudyId?: number | null;
  /** The worklist is on screen (false while a study is read): focus goes back to the list when it shows again. */
  visible?: boolean;
  /** The rows shown and the query behind them, for the viewer's next/previous study and "next unread". */
  onListChange?: (items: StudySummary[], query: WorklistQuery) => void;
}

/** The worklist: search, filters, sort, AI status per study, import, keyboard navigation. */
export function Worklist({ onOpen, debounceMs = 250, activeStudyId = null, visible = true, onListChange }: WorklistProps) {
  const { t } = useTranslation();
  const client = useCoreClient();
  const [filters, setFilters] = useState<WorklistFilterValues>(emptyFilters);
  const text = useDebounced(filters.text, debounceMs);
  const [limit, setLimit] = useState(PAGE);
  const [active, setActive] = useState(0);
  const [showImport, setShowImport] = useState(false);
  const bodyRef = useRef<HTMLTableSectionElement>(null);

  // The rows stay while a new filter is asked (no flicker while typing); a change in the index asks again.
  const query = toQuery(filters, text, limit);
  const list = useCoreQuery('studies:list', query, { keepPrevious: true, refreshOn: ['studies:onDidChange'] });
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const total = list.data?.total ?? 0;
  const loading = list.status === 'loading';
  const error = list.error?.message ?? null;
  const reload = list.reload;
  useEffect(() => setActive((a) => Math.min(a, Math.max(items.length - 1, 0))), [items]);
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    onListChange?.(items, JSON.parse(queryKey) as WorklistQuery);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, queryKey]);
  // The row of the study being read follows the viewer's next/previous study.
  useEffect(() => {
    const at = items.findIndex((s) => s.id === activeStudyId);
    if (at >= 0) setActive(at);
  }, [activeStudyId, items]);
  const gridRef = useRef<HTMLTableElement>(null);
  useEffect(() => {
    if (visible) gridRef.current?.focus();
  }, [visible]);

  useEffect(() => {
    bodyRef.current?.querySelector<HTMLElement>(`[data-row-index="${active}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  const priority = filters.status === 'unread' && filters.sort === 'triage-desc';
  const togglePriority = () =>
    setFilters((f) => (priority ? { ...f, status: emptyFilters.status, sort: emptyFilters.sort } : { ...f, status: 'unread', sort: 'triage-desc' }));

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'u' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      togglePriority();
      e.preventDefault();
    } else if (e.key === 'ArrowDown') {
      setActive((a) => Math.min(a + 1, items.length - 1));
      e.preventDefault();
    } else if (e.key === 'ArrowUp') {
      setActive((a) => Math.max(a - 1, 0));
      e.preventDefault();
    } else if (e.key === 'Home') {
      setActive(0);
      e.preventDefault();
    } else if (e.key === 'End') {
      setActive(Math.max(items.length - 1, 0));
      e.preventDefault();
    } else if (e.key === 'Enter' && items[active]) {
      onOpen(items[active]);
      e.preventDefault();
    }
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, height: '100%', minHeight: 0 }}>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
        <Box sx={{ flex: 1 }}>
          <WorklistFilters value={filters} onChange={setFilters} />
        </Box>
        <Tooltip title={t('worklist.priorityHelp')} describeChild>
          <ToggleButton value="priority" size="small" selected={priority} onChange={togglePriority} aria-keyshortcuts="u" sx={{ whiteSpace: 'nowrap' }}>
            {t('worklist.priority')}
          </ToggleButton>
        </Tooltip>
        <AnalyseAllButton onFinished={reload} />
        <Button variant="outlined" onClick={() => setShowImport((s) => !s)} aria-expanded={showImport}>
          {t('import.button')}
        </Button>
      </Box>
      <Collapse in={showImport}>
        <Paper variant="outlined">
          <ImportPanel onFinished={reload} onRunning={() => setShowImport(true)} />
        </Paper>
      </Collapse>
      {error && <Alert severity="error">{error}</Alert>}
      <Typography variant="body2" color="text.secondary" data-testid="worklist-count">
        {loading && !items.length
          ? t('common.loading')
          : items.length
            ? t('worklist.range', { total, from: 1, to: items.length })
            : t('worklist.count', { count: total })}
      </Typography>
      <TableContainer component={Paper} variant="outlined" sx={{ flex: 1, minHeight: 0 }}>
        <Table
          ref={gridRef}
          size="small"
          stickyHeader
          role="grid"
          aria-label={t('worklist.title')}
          tabIndex={0}
          onKeyDown={onKeyDown}
          aria-activedescendant={items[active] ? `study-row-${items[active].id}` : undefined}
          sx={{ '&:focus-visible': { outline: '2px solid', outlineColor: 'primary.main', outlineOffset: -2 } }}
        >
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: 56 }}>{t('worklist.col.thumbnail')}</TableCell>
              <TableCell>{t('worklist.col.patient')}</TableCell>
              <TableCell>{t('worklist.col.patientId')}</TableCell>
              <TableCell>{t('worklist.col.sexAge')}</TableCell>
              <TableCell>{t('worklist.col.date')}</TableCell>
              <TableCell>{t('worklist.col.modality')}</TableCell>
              <TableCell>{t('worklist.col.description')}</TableCell>
              <TableCell align="right">{t('worklist.col.images')}</TableCell>
              <TableCell>{t('worklist.col.ai')}</TableCell>
              <TableCell>{t('worklist.col.status')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody ref={bodyRef}>
            {items.map((s, i) => (
              <TableRow
                key={s.id}
                id={`study-row-${s.id}`}
                data-row-index={i}
                data-study-id={s.id}
                hover
                selected={i === active}
                aria-selected={i === active}
                onClick={() => {
                  setActive(i);
                  onOpen(s);
                }}
                sx={{ cursor: 'pointer' }}
              >
                <TableCell sx={{ py: 0.25 }}>
                  {s.thumbnail && (
                    <img src={client.resourceUrl(s.thumbnail)} alt="" loading="lazy" width={48} height={48} style={{ objectFit: 'contain', background: '#000', display: 'block' }} />
                  )}
                </TableCell>
                <TableCell>{s.patientName || t('common.unknown')}</TableCell>
                <TableCell>{s.patientId}</TableCell>
                <TableCell>
                  {s.sex ?? '–'} / {s.ageYears ?? '–'}
                </TableCell>
                <TableCell>{s.date ?? '–'}</TableCell>
                <TableCell>{s.modalities.join(', ')}</TableCell>
                <TableCell>{s.description}</TableCell>
                <TableCell align="right">{s.imageCount}</TableCell>
                <TableCell>
                  <AiStatusChip study={s} />
                </TableCell>
                <TableCell>{t(`status.${s.status}`)}</TableCell>
              </TableRow>
            ))}
            {!loading && !items.length && (
              <TableRow>
                <TableCell colSpan={10}>{t('worklist.empty')}</TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
      {items.length < total && (
        <Button onClick={() => setLimit((l) => Math.min(l + PAGE, 500))} disabled={limit >= 500}>
          {t('worklist.more')}
        </Button>
      )}
    </Box>
  );
}
