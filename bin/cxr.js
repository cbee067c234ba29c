#!/usr/bin/env node
// The `cxr` command: a thin launcher for the compiled CLI (npm install builds dist/ through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('cxr: the program is not built yet. Run `npm install` (or `npm run build`) in ' + fileURLToPath(new URL('..', import.meta.url)));
  process.exit(1);
}
const { runCli } = await import(entry.href);
process.exitCode = await runCli(process.argv.slice(2));
