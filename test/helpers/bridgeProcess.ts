/**
 * A bridge in a process of its own, for tests that must see whether something can take the server down: prints one
 * JSON line `{port, token}` once it listens, and runs until killed.
 *   node --import tsx test/helpers/bridgeProcess.ts DATA_DIR
 */
import { startBridge } from '../../main/bridge/index.js';
import { createCore } from '../../main/createCore.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: bridgeProcess.ts DATA_DIR');
const core = createCore({ dataDir, modelsDirs: [] });
const bridge = await startBridge({ core });
console.log(JSON.stringify({ port: bridge.port, token: bridge.token }));
