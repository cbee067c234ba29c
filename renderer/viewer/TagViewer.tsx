import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCoreQuery } from '../common/useCoreQuery.js';

/** Every DICOM data element of the image file (`instances:tags`), nested sequences indented, with a filter. */
export function TagViewer({ instanceId, open, onClose }: { instanceId: number; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const tags = useCoreQuery('instances:tags', open ? { instanceId } : null);
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => {
    const all = tags.data?.rows ?? [];
    const f = filter.trim().toLowerCase();
    return f ? all.filter((r) => `${r.tag} ${r.name} ${r.value}`.toLowerCase().includes(f)) : all;
  }, [tags.data, filter]);
  return (
    <Dialog open={open} onClose={onClose} maxWidth="lg" fullWidth aria-labelledby="tag-viewer-title">
      <DialogTitle id="tag-viewer-title">{t('tags.title')}</DialogTitle>
      <DialogContent>
        {tags.status === 'loading' && <LinearProgress aria-label={t('common.loading')} />}
        {tags.error && <Alert severity="error">{tags.error.message}</Alert>}
        {tags.data && tags.data.format !== 'dicom' && <Alert severity="info">{t('tags.notDicom', { format: tags.data.format.toUpperCase() })}</Alert>}
        {tags.data?.transferSyntaxUid && (
          <Typography variant="caption" color="text.secondary" component="div">
            {t('tags.transferSyntax', { uid: tags.data.transferSyntaxUid })}
          </Typography>
        )}
        {tags.data && tags.data.rows.length > 0 && (
          <>
            <TextField size="small" label={t('tags.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} autoFocus sx={{ my: 1 }} />
            <Table size="small" stickyHeader data-testid="tag-table">
              <TableHead>
                <TableRow>
                  <TableCell>{t('tags.col.tag')}</TableCell>
                  <TableCell>{t('tags.col.name')}</TableCell>
                  <TableCell>VR</TableCell>
                  <TableCell>{t('tags.col.value')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((r, i) => (
                  <TableRow key={`${i}-${r.tag}`} data-tag={r.tag}>
                    <TableCell sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
                      <Box component="span" sx={{ pl: r.depth * 2 }}>
                        {r.tag}
                      </Box>
                    </TableCell>
                    <TableCell>{r.name}</TableCell>
                    <TableCell sx={{ fontFamily: 'monospace' }}>{r.vr}</TableCell>
                    <TableCell sx={{ wordBreak: 'break-all' }}>{r.value}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}
