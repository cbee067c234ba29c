import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from './channels.js';

const electron = {
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'from main' })),
  send: vi.fn(),
  listeners: new Map<string, (...args: unknown[]) => void>(),
};

/** A stand-in for the `electron` module as a sandboxed preload sees it. */
const electronModule = {
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: electron.invoke,
    send: electron.send,
    on: (channel: string, fn: (...args: unknown[]) => void) => electron.listeners.set(channel, fn),
  },
};

interface Exposed {
  send(message: string): void;
  onMessage(listener: (message: string) => void): void;
}

const compiled = ts.transpileModule(readFileSync(fileURLToPath(new URL('./preload.cts', import.meta.url)), 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
}).outputText;

/**
 * Runs the compiled preload the way Electron's sandbox does: a `require` that knows only `electron` (any other
 * require throws, so the preload must stay self-contained).
 */
function loadPreload(): Exposed {
  electron.exposed.clear();
  electron.listeners.clear();
  const sandboxRequire = (name: string) => {
    if (name === 'electron') return electronModule;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  runInNewContext(compiled, { require: sandboxRequire, module, exports: module.exports, console });
  return electron.exposed.get('cxr') as Exposed;
}

describe('preload', () => {
  beforeEach(() => {
    electron.invoke.mockClear();
    electron.send.mockClear();
  });

  it('exposes window.cxr as a message port (send, onMessage) and nothing else, and opens a fresh session', () => {
    const api = loadPreload();
    expect([...electron.exposed.keys()]).toEqual(['cxr']);
    expect(Object.keys(api).sort()).toEqual(['onMessage', 'send']);
    expect(electron.send.mock.calls).toEqual([[IPC_CHANNELS.open]]);
  });

  it('sends text messages on the session channel and refuses anything else without IPC', () => {
    const api = loadPreload();
    electron.send.mockClear();
    api.send('{"id":1,"op":"jobs:list","input":{}}');
    expect(electron.send.mock.calls).toEqual([[IPC_CHANNELS.rpc, '{"id":1,"op":"jobs:list","input":{}}']]);
    expect(() => api.send({ id: 1 } as unknown as string)).toThrow(/JSON text/);
    expect(electron.send).toHaveBeenCalledTimes(1);
    expect(electron.invoke).not.toHaveBeenCalled();
  });

  it('delivers text messages of the session channel to the listener, and ignores anything else', () => {
    const api = loadPreload();
    const got = vi.fn();
    api.onMessage(got);
    const deliver = electron.listeners.get(IPC_CHANNELS.rpc)!;
    deliver({}, '{"event":"jobs:onDidFinish","payload":{}}');
    deliver({}, { not: 'text' });
    expect(got.mock.calls).toEqual([['{"event":"jobs:onDidFinish","payload":{}}']]);
    expect(() => api.onMessage('nope' as unknown as () => void)).toThrow(/callback/);
  });

  it('repeats the channel names of electron/channels.ts', () => {
    loadPreload();
    expect([...electron.listeners.keys()]).toEqual([IPC_CHANNELS.rpc]);
  });
});
