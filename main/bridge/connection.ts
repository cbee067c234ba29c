import type { WebSocket } from 'ws';
import type { DispatchOptions } from '../api/dispatch.js';
import type { RpcPort } from '../api/rpc.js';
import { serveRpc, type RpcCore } from '../platform/rpcServer.js';

/**
 * Serves one authenticated WebSocket with the RPC session every transport shares (main/platform/rpcServer.ts).
 * A client that breaks the WebSocket protocol (invalid UTF-8, an unmasked frame, a reserved opcode or bit, a bad close
 * code, a frame over the size limit) costs only its own connection: `ws` reports it as an `error` on this socket and
 * closes it; without a listener that error would be thrown and take the whole server down.
 */
export function serveConnection(ws: WebSocket, core: RpcCore, options: DispatchOptions = {}): void {
  ws.on('error', (err) => {
    console.warn(`[bridge] closed a WebSocket client that broke the protocol: ${err.message}`);
  });
  const port: RpcPort = {
    send(message) {
      if (ws.readyState === ws.OPEN) ws.send(message);
    },
    onMessage(listener) {
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          port.send(JSON.stringify({ error: { code: 'invalid_input', message: 'binary messages are not part of the protocol; send JSON text' } }));
          return;
        }
        listener(data.toString());
      });
    },
    onClose(listener) {
      ws.on('close', listener);
    },
  };
  serveRpc(core, port, options);
}
