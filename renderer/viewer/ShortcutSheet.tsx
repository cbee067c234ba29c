import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { keyLabel, SHORTCUTS, type ShortcutGroup } from './shortcuts.js';

const GROUPS: ShortcutGroup[] = ['image', 'tools', 'navigation', 'ai', 'report', 'general'];

/** The shortcut sheet (`?`): every key of the reading screen, from the same table the key handler uses. */
export function ShortcutSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="shortcut-sheet-title">
      <DialogTitle id="shortcut-sheet-title">{t('shortcuts.title')}</DialogTitle>
      <DialogContent>
        <Box sx={{ columnCount: { xs: 1, md: 2 }, columnGap: 4 }}>
          {GROUPS.map((g) => (
            <Box key={g} sx={{ breakInside: 'avoid', mb: 2 }}>
              <Typography variant="subtitle2">{t(`shortcuts.group.${g}`)}</Typography>
              <Table size="small" aria-label={t(`shortcuts.group.${g}`)}>
                <TableBody>
                  {SHORTCUTS.filter((s) => s.group === g).map((s) => (
                    <TableRow key={s.action}>
                      <TableCell sx={{ whiteSpace: 'nowrap', width: '35%' }}>
                        {s.keys.map((k) => (
                          <Box
                            component="kbd"
                            key={k}
                            sx={{ border: 1, borderColor: 'divider', borderRadius: 0.5, px: 0.75, mr: 0.5, fontFamily: 'monospace', fontSize: 13 }}
                          >
                            {s.ctrl ? `Ctrl+${keyLabel(k)}` : keyLabel(k)}
                          </Box>
                        ))}
                      </TableCell>
                      <TableCell>{t(`shortcuts.action.${s.action}`)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          ))}
        </Box>
        <Typography variant="caption" color="text.secondary">
          {t('shortcuts.note')}
        </Typography>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} autoFocus>
          {t('common.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
