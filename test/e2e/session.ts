/**
 * The one reading session every end-to-end spec shares: the real core and bridge on a temporary data folder and one
 * Chromium page. Specs run in file order (workstation.spec.ts first, which imports the studies the others read), each
 * continuing from the state the previous one left, as a radiologist's day would.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasShared } from '../helpers/shared.js';
import { launchChromium } from './browser.js';
import { startWorkstation, type Workstation } from './harness.js';
import { skip } from './runner.js';

/** NIH images (two with findings, two without) imported as a folder with their labels.csv beside them. */
export const NIH = ['00014995_000.png', '00013911_000.png', '00018784_000.png', '00028223_000.png'];
export const J2K = 'nema_wg04_RG1_J2KI_CR_chest_MONO1_1841x1955.dcm';
export const DX = 'nih_google_DX_implicitLE_1024.dcm';
/** The one shared chest DICOM with PixelSpacing (0.168 mm). */
export const RSNA = 'rsna_CR_jpegbaseline_1024.dcm';

export interface E2eContext {
  ws: Workstation;
  browser: Browser;
  page: Page;
  screenshots: string;
}

let ctx: E2eContext | null = null;
/** The session, or a skip when it did not start. */
export const c = (): E2eContext => ctx ?? skip('the workstation did not start');

/** Starts the core, the bridge and Chromium once for all specs. */
export async function setUp(screenshots: string): Promise<void> {
  if (!hasShared) return;
  mkdirSync(screenshots, { recursive: true });
  // The tiny pack keeps the end-to-end run fast; its interface is the demo pack's.
  const ws = await startWorkstation({ packId: 'cxr14-tiny-test' });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => console.log(`    [page error] ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`    [console.error] ${msg.text()}`);
  });
  ctx = { ws, browser, page, screenshots };
}

export async function tearDown(): Promise<void> {
  await ctx?.browser.close();
  await ctx?.ws.close();
  ctx = null;
}

export async function shot(name: string, target?: 'viewport'): Promise<Buffer> {
  const { page, screenshots } = c();
  const path = join(screenshots, `${name}.png`);
  if (target === 'viewport') return page.getByTestId('viewer-viewport').first().screenshot({ path });
  return page.screenshot({ path });
}

/** Waits until the viewer says it drew this image, then one more animation frame for the compositor. */
export async function waitDrawn(page: Page, instanceId?: number): Promise<void> {
  const sel = instanceId ? `[data-testid="viewer-canvas"][data-drawn="instance-${instanceId}"]` : '[data-testid="viewer-canvas"][data-drawn]';
  await page.locator(sel).first().waitFor({ state: 'attached', timeout: 30_000 });
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

export async function frames(page: Page): Promise<number> {
  return (await page.evaluate('window.__cxrViewer ? window.__cxrViewer.frames : 0')) as number;
}

export async function studyIdByName(ws: Workstation, fragment: string): Promise<{ studyId: number; instanceId: number }> {
  const page = await ws.core.api['studies:list']({ text: undefined, sort: { field: 'date', dir: 'desc' }, offset: 0, limit: 100 });
  for (const s of page.items) {
    const d = await ws.core.api['studies:get']({ studyId: s.id });
    const inst = d.series.flatMap((x) => x.instances).find((i) => i.filePath.includes(fragment));
    if (inst) return { studyId: s.id, instanceId: inst.id };
  }
  throw new Error(`no imported study holds ${fragment}`);
}

