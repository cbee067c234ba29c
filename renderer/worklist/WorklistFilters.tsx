import { MenuItem, Stack, TextField } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { WorklistQuery } from '../../main/api/index.js';
import { FINDING_LABELS } from '../common/findingLabels.js';
import { useLabel } from '../common/useLabel.js';

/** The filter fields of the worklist; free text is debounced by the caller. */
export interface WorklistFilterValues {
  text: string;
  dateFrom: string;
  dateTo: string;
  modality: string;
  hasAi: '' | 'yes' | 'no';
  finding: string;
  status: '' | NonNullable<WorklistQuery['status']>;
  sort: SortChoice;
}

export type SortChoice = 'date-desc' | 'date-asc' | 'triage-desc' | 'abnormality-desc' | 'name-asc' | 'patientId-asc' | 'imported-desc';

export const SORT_CHOICES: SortChoice[] = ['date-desc', 'date-asc', 'triage-desc', 'abnormality-desc', 'name-asc', 'patientId-asc', 'imported-desc'];

export const emptyFilters: WorklistFilterValues = {
  text: '',
  dateFrom: '',
  dateTo: '',
  modality: '',
  hasAi: '',
  finding: '',
  status: '',
  sort: 'date-desc',
};

const MODALITIES = ['CR', 'DX', 'OT'];
const STATUSES = ['unread', 'in_progress', 'reported', 'final'] as const;

/** Turns the form into a `studies:list` query (empty fields are left out). */
export function toQuery(f: WorklistFilterValues, text: string, limit: number): WorklistQuery {
  const [field, dir] = f.sort.split('-') as [NonNullable<WorklistQuery['sort']>['field'], 'asc' | 'desc'];
  return {
    ...(text.trim() ? { text: text.trim() } : {}),
    ...(f.dateFrom ? { dateFrom: f.dateFrom } : {}),
    ...(f.dateTo ? { dateTo: f.dateTo } : {}),
    ...(f.modality ? { modality: f.modality } : {}),
    ...(f.hasAi ? { hasAi: f.hasAi === 'yes' } : {}),
    ...(f.finding ? { finding: f.finding } : {}),
    ...(f.status ? { status: f.status } : {}),
    sort: { field, dir },
    offset: 0,
    limit,
  };
}

export function WorklistFilters({ value, onChange }: { value: WorklistFilterValues; onChange: (v: WorklistFilterValues) => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const set = <K extends keyof WorklistFilterValues>(key: K) => (e: { target: { value: string } }) =>
    onChange({ ...value, [key]: e.target.value as WorklistFilterValues[K] });
  const small = { size: 'small' as const };
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
      <TextField
        {...small}
        type="search"
        label={t('worklist.search')}
        value={value.text}
        onChange={set('text')}
        sx={{ minWidth: 220 }}
        slotProps={{ htmlInput: { 'aria-label': t('worklist.search') } }}
      />
      <TextField {...small} type="date" label={t('worklist.dateFrom')} value={value.dateFrom} onChange={set('dateFrom')} slotProps={{ inputLabel: { shrink: true } }} />
      <TextField {...small} type="date" label={t('worklist.dateTo')} value={value.dateTo} onChange={set('dateTo')} slotProps={{ inputLabel: { shrink: true } }} />
      <TextField {...small} select label={t('worklist.modality')} value={value.modality} onChange={set('modality')} sx={{ minWidth: 110 }}>
        <MenuItem value="">{t('common.any')}</MenuItem>
        {MODALITIES.map((m) => (
          <MenuItem key={m} value={m}>
            {m}
          </MenuItem>
        ))}
      </TextField>
      <TextField {...small} select label={t('worklist.hasAi')} value={value.hasAi} onChange={set('hasAi')} sx={{ minWidth: 120 }}>
        <MenuItem value="">{t('common.any')}</MenuItem>
        <MenuItem value="yes">{t('common.yes')}</MenuItem>
        <MenuItem value="no">{t('common.no')}</MenuItem>
      </TextField>
      <TextField {...small} select label={t('worklist.finding')} value={value.finding} onChange={set('finding')} sx={{ minWidth: 160 }}>
        <MenuItem value="">{t('common.any')}</MenuItem>
        {FINDING_LABELS.map((l) => (
          <MenuItem key={l} value={l}>
            {label(l)}
          </MenuItem>
        ))}
      </TextField>
      <TextField {...small} select label={t('worklist.status')} value={value.status} onChange={set('status')} sx={{ minWidth: 130 }}>
        <MenuItem value="">{t('common.any')}</MenuItem>
        {STATUSES.map((s) => (
          <MenuItem key={s} value={s}>
            {t(`status.${s}`)}
          </MenuItem>
        ))}
      </TextField>
      <TextField {...small} select label={t('worklist.sort')} value={value.sort} onChange={set('sort')} sx={{ minWidth: 200 }}>
        {SORT_CHOICES.map((s) => (
          <MenuItem key={s} value={s}>
            {t(`sort.${s}`)}
          </MenuItem>
        ))}
      </TextField>
    </Stack>
  );
}
