import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * DejaVu Sans (from the dejavu-fonts-ttf package) covers Latin-1 and Latin Extended (é ç ñ ã õ ê), Greek and the
 * symbols findings text uses (≥ ± µ); the PDF standard fonts cannot be trusted beyond WinAnsi. Both the regular and
 * bold faces are embedded (subset) by PDFKit.
 */
export function reportFontPaths(): { regular: string; bold: string } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const regular = join(dir, 'DejaVuSans.ttf');
  const bold = join(dir, 'DejaVuSans-Bold.ttf');
  if (!existsSync(regular) || !existsSync(bold)) throw new Error(`report fonts missing in ${dir} (reinstall the dejavu-fonts-ttf package)`);
  return { regular, bold };
}
