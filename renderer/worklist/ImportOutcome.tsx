import { Box, Button, List, ListItem, ListItemText, Typography } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportReport, Job } from '../../main/api/index.js';

const SHOWN = 20;

/**
 * What an ended import did, from its stored report (one source for every number, so the summary cannot contradict
 * itself): files considered, failed, imported, updated, skipped; then each failed file with its reason, and files
 * skipped for a reason other than "unchanged".
 */
export function ImportOutcome({ job, report }: { job: Job; report: ImportReport }) {
  const { t } = useTranslation();
  const files = report.imported + report.updated + report.skipped + report.failedCount;
  const counts = { files, failed: report.failedCount, imported: report.imported, updated: report.updated, skipped: report.skipped };
  return (
    <Box>
      <Typography variant="caption" component="div" data-testid="import-status">
        {t(`import.final.${job.state === 'running' || job.state === 'queued' ? 'done' : job.state}`, counts)}
      </Typography>
      {files === 0 && <Typography variant="caption" component="div">{t('import.nothingFound')}</Typography>}
      <Reasons testId="import-failures" color="error" title={t('import.failedFiles', { count: report.failedCount })} items={report.failed} total={report.failedCount} />
      <Reasons testId="import-skipped" title={t('import.skippedFiles', { count: report.skippedReasons.length })} items={report.skippedReasons} total={report.skippedReasons.length} />
    </Box>
  );
}

function Reasons(props: { title: string; items: { path: string; reason: string }[]; total: number; testId: string; color?: 'error' }) {
  const { title, items, total, testId } = props;
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  if (!items.length) return null;
  const shown = all ? items : items.slice(0, SHOWN);
  return (
    <Box data-testid={testId} sx={{ mt: 0.5 }}>
      <Typography variant="subtitle2" color={props.color}>
        {title}
      </Typography>
      <List dense disablePadding sx={{ maxHeight: 200, overflow: 'auto' }}>
        {shown.map((f) => (
          <ListItem key={f.path} disableGutters sx={{ py: 0 }}>
            <ListItemText
              primary={f.reason}
              secondary={f.path}
              slotProps={{ primary: { variant: 'body2' }, secondary: { variant: 'caption', sx: { wordBreak: 'break-all' } } }}
            />
          </ListItem>
        ))}
      </List>
      {!all && items.length > SHOWN && (
        <Button size="small" onClick={() => setAll(true)}>
          {t('import.showAll', { count: items.length })}
        </Button>
      )}
      {total > items.length && (
        <Typography variant="caption" component="div">
          {t('import.moreInReport', { count: total - items.length })}
        </Typography>
      )}
    </Box>
  );
}
