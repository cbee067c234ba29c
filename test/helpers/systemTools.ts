import { spawnSync } from 'node:child_process';

/**
 * A program from a Debian package that some tests need (pdftotext, dciodvfy, Chromium, Orthanc, dcmtk). On a
 * developer's machine without it those tests skip, with a message naming the package; under CI (`CI=true`, set by
 * .ci/run, which installs every package) they run and fail instead, so CI can never pass by skipping.
 */
export interface SystemTool {
  readonly name: string;
  readonly debianPackage: string;
  readonly available: boolean;
  /** For `it.skipIf(...)`: true only when the program is missing and this is not CI. */
  readonly skip: boolean;
  /** Throws (naming the package) when the program is missing: call it first in a test that needs it. */
  require(): void;
}

export const isCi = process.env.CI === 'true' || process.env.CI === '1';

function found(name: string, versionArgs: readonly string[]): boolean {
  const r = spawnSync(name, [...versionArgs], { stdio: 'ignore' });
  return !r.error;
}

const warned = new Set<string>();

export function systemTool(name: string, debianPackage: string, versionArgs: readonly string[] = ['-v']): SystemTool {
  const available = found(name, versionArgs);
  const message = `${name} is not installed (Debian package ${debianPackage}: apt-get install ${debianPackage})`;
  if (!available && !warned.has(name)) {
    warned.add(name);
    console.warn(isCi ? `[tests] ${message}: required under CI, the tests that need it fail` : `[tests] ${message}: the tests that need it are skipped`);
  }
  return {
    name,
    debianPackage,
    available,
    skip: !available && !isCi,
    require() {
      if (!available) throw new Error(message);
    },
  };
}

/** poppler-utils: reads exported PDFs back as text and pages. */
export const pdftotext = (): SystemTool => systemTool('pdftotext', 'poppler-utils');
export const pdftoppm = (): SystemTool => systemTool('pdftoppm', 'poppler-utils');
export const pdfimages = (): SystemTool => systemTool('pdfimages', 'poppler-utils');
/** dicom3tools: dciodvfy, the reference validator every exported DICOM SR must pass with zero errors. */
export const dciodvfy = (): SystemTool => systemTool('dciodvfy', 'dicom3tools', ['-version']);
/** dcmtk: dsrdump, which checks an SR content tree against its IOD's relationship constraints. */
export const dsrdump = (): SystemTool => systemTool('dsrdump', 'dcmtk', ['--version']);
