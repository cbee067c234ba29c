import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from './channels.js';
import { mainWindowOptions } from './window.js';

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
  invoke(name: string, input: unknown): Promise<unknown>;
  subscribe(name: string, cb: (payload: unknown) => void): () => void;
}

const compiled = ts.transpileModule(readFileSync(fileURLToPath(new URL('./preload.cts', import.meta.url)), 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
}).outputText;

/**
 * Runs the compiled preload the way Electron's sandbox does: a `require` that knows only `electron` (any other
 * require throws, so the preload must stay self-contained) and a `process` whose argv carries the switches the main
 * process puts on the window.
 */
function loadPreload(argv: string[] = mainWindowOptions('/x/preload.cjs').webPreferences!.additionalArguments!): Exposed {
  electron.exposed.clear();
  electron.listeners.clear();
  const sandboxRequire = (name: string) => {
    if (name === 'electron') return electronModule;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  runInNewContext(compiled, { require: sandboxRequire, module, exports: module.exports, process: { argv: ['electron', ...argv] }, console });
  return electron.exposed.get('cxr') as Exposed;
}

describe('preload', () => {
  beforeEach(() => {
    electron.invoke.mockClear();
    electron.send.mockClear();
  });

  it('exposes window.cxr with invoke and subscribe and nothing else', async () => {
    const api = loadPreload();
    expect([...electron.exposed.keys()]).toEqual(['cxr']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'subscribe']);
  });

  it('forwards contract operations over the invoke channel and refuses other names without IPC', async () => {
    const api = loadPreload();
    await expect(api.invoke('jobs:get', { jobId: 'a' })).resolves.toEqual({ ok: true, value: 'from main' });
    expect(electron.invoke).toHaveBeenCalledWith(IPC_CHANNELS.invoke, 'jobs:get', { jobId: 'a' });
    await expect(api.invoke('fs:readFile', { path: '/etc/passwd' })).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
    await expect(api.invoke('__proto__', {})).resolves.toMatchObject({ ok: false });
    expect(electron.invoke).toHaveBeenCalledTimes(1);
  });

  it('subscribes once per event, delivers events, and unsubscribes after the last listener', async () => {
    const api = loadPreload();
    expect(() => api.subscribe('secret:onDidLeak', () => {})).toThrow(/unknown event/);
    const a = vi.fn();
    const b = vi.fn();
    const offA = api.subscribe('jobs:onDidFinish', a);
    const offB = api.subscribe('jobs:onDidFinish', b);
    expect(electron.send.mock.calls).toEqual([[IPC_CHANNELS.subscribe, 'jobs:onDidFinish']]);
    const deliver = electron.listeners.get(IPC_CHANNELS.event)!;
    deliver({}, 'jobs:onDidFinish', { id: 'j' });
    deliver({}, 'jobs:onDidProgress', { id: 'other' });
    expect(a).toHaveBeenCalledWith({ id: 'j' });
    expect(b).toHaveBeenCalledTimes(1);
    offA();
    expect(electron.send).toHaveBeenCalledTimes(1);
    offB();
    expect(electron.send.mock.calls.at(-1)).toEqual([IPC_CHANNELS.unsubscribe, 'jobs:onDidFinish']);
    deliver({}, 'jobs:onDidFinish', { id: 'later' });
    expect(a).toHaveBeenCalledTimes(1);
  });

  it('knows no operation at all when the main process passed no names', async () => {
    const api = loadPreload([]);
    await expect(api.invoke('jobs:list', {})).resolves.toMatchObject({ ok: false });
    expect(electron.invoke).not.toHaveBeenCalled();
  });
});
