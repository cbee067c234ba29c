import { Box, Button, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Report } from '../../main/api/index.js';
import { localDateTime } from '../common/formatTime.js';

/**
 * A signed report never changes; what the reader adds afterwards is an addendum with its author and time, listed
 * under the report in the order written (`reports:addendum`), by the core's reader.
 */
export function AddendumSection({ report, busy, onAdd }: { report: Report; busy: boolean; onAdd: (text: string) => Promise<boolean> }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  return (
    <Box component="section" aria-label={t('report.addenda')} data-testid="report-addenda">
      <Typography variant="subtitle2">{t('report.addenda')}</Typography>
      {report.addenda.map((a) => (
        <Box key={a.id} sx={{ borderLeft: 3, borderColor: 'info.main', pl: 1, my: 0.5 }}>
          <Typography variant="caption" color="text.secondary" component="div">
            {t('report.addendumBy', { name: a.author, at: localDateTime(a.createdAt, i18n.language) })}
          </Typography>
          <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
            {a.text}
          </Typography>
        </Box>
      ))}
      <Stack spacing={1} sx={{ mt: 1 }}>
        <TextField label={t('report.newAddendum')} multiline minRows={2} value={text} onChange={(e) => setText(e.target.value)} />
        <Box>
          <Button
            variant="outlined"
            disabled={busy || !text.trim()}
            onClick={() => void onAdd(text.trim()).then((ok) => ok && setText(''))}
          >
            {t('report.addAddendum')}
          </Button>
        </Box>
      </Stack>
    </Box>
  );
}
