import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { projectRoot } from '../../test/helpers/shared.js';

/**
 * Hostile WebSocket clients against a bridge in its own process (`npm start` runs it so): each malformed frame must
 * cost only its own connection; the server, and a well-behaved client connected alongside, carry on.
 */
describe('the bridge survives clients that break the WebSocket protocol', () => {
  let dataDir: string;
  let child: ChildProcess;
  let port: number;
  let token: string;
  let good: WebSocket;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxr-hostile-'));
    child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test', 'helpers', 'bridgeProcess.ts'), dataDir], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`bridge process exited with ${code}`)));
    });
    ({ port, token } = JSON.parse(first) as { port: number; token: string });
    good = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
    await new Promise((resolve, reject) => good.once('open', resolve).once('error', reject));
  }, 60_000);

  afterAll(() => {
    good?.terminate();
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A raw socket past the WebSocket handshake, so the test can write any bytes as frames. */
  async function upgraded(): Promise<Socket> {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(
      `GET /ws?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await new Promise<void>((resolve, reject) => {
      let head = '';
      const onData = (d: Buffer) => {
        head += d.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        if (head.startsWith('HTTP/1.1 101')) resolve();
        else reject(new Error(head.split('\r\n')[0]));
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
    return socket;
  }

  /** A client frame: FIN + opcode (and flags), masked unless told otherwise. */
  function frame(opts: { opcode: number; payload: Buffer; masked?: boolean; rsv1?: boolean; declaredLength?: number }): Buffer {
    const { opcode, payload, masked = true, rsv1 = false } = opts;
    const len = opts.declaredLength ?? payload.length;
    const head: number[] = [0x80 | (rsv1 ? 0x40 : 0) | opcode];
    const maskBit = masked ? 0x80 : 0;
    if (len < 126) head.push(maskBit | len);
    else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 255);
    else {
      head.push(maskBit | 127);
      const big = Buffer.alloc(8);
      big.writeBigUInt64BE(BigInt(len));
      head.push(...big);
    }
    const mask = randomBytes(4);
    const body = masked ? Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!)) : payload;
    return Buffer.concat([Buffer.from(head), masked ? mask : Buffer.alloc(0), body]);
  }

  const closeCode = (code: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(code);
    return b;
  };

  const hostile: Array<[string, () => Buffer]> = [
    ['a 3-byte text frame of invalid UTF-8', () => frame({ opcode: 0x1, payload: Buffer.from([0xc3, 0x28, 0xff]) })],
    ['an unmasked client frame', () => frame({ opcode: 0x1, payload: Buffer.from('{}'), masked: false })],
    ['a reserved opcode', () => frame({ opcode: 0x3, payload: Buffer.from('x') })],
    ['RSV1 without an extension', () => frame({ opcode: 0x1, payload: Buffer.from('{}'), rsv1: true })],
    ['an invalid close code', () => frame({ opcode: 0x8, payload: closeCode(1005) })],
    ['a frame declaring more than the size limit', () => frame({ opcode: 0x2, payload: Buffer.alloc(0), declaredLength: 2 ** 40 })],
  ];

  async function stillServing(): Promise<void> {
    expect(child.exitCode).toBeNull();
    const res = await fetch(`http://127.0.0.1:${port}/api/jobs:list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cxr-token': token },
      body: '{}',
    });
    expect(await res.json()).toEqual({ ok: true, value: [] });
    const answer = new Promise((resolve) => good.once('message', (d) => resolve(JSON.parse(d.toString()))));
    good.send(JSON.stringify({ id: 7, op: 'jobs:list', input: {} }));
    expect(await answer).toEqual({ id: 7, result: { ok: true, value: [] } });
  }

  for (const [name, make] of hostile) {
    it(`${name}: only that connection is closed`, async () => {
      const socket = await upgraded();
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.on('error', () => undefined);
      socket.write(make());
      await closed;
      await stillServing();
    });
  }
});
