import { execFileSync } from 'node:child_process';

/**
 * For tests that read exports back with an external validator (dciodvfy from dicom3tools, pdftotext from
 * poppler-utils): whether the binary is there. Absent on a developer machine, the test is skipped with a message
 * naming the Debian package; absent under CI (`CI=true`, where .ci/run installs it), that is an error, so a check can
 * never silently stop running.
 */
export function externalTool(binary: string, debianPackage: string, probeArgs: string[] = ['-version']): boolean {
  let found = true;
  try {
    execFileSync(binary, probeArgs, { stdio: 'ignore' });
  } catch (err) {
    // A validator that exits non-zero on its probe is still installed; only "not found" means absent.
    found = (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  if (found) return true;
  if (process.env.CI === 'true') throw new Error(`${binary} is required under CI: install the Debian package ${debianPackage} (.ci/run does)`);
  console.warn(`[tests] ${binary} not found: install the Debian package ${debianPackage}; the tests that need it are skipped`);
  return false;
}
