// `cxr` from the TypeScript sources, for tests that run the workstation as a separate process (node --import tsx).
import { runCli } from '../../main/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
