import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreloadApi } from '../../main/api/transport.js';
import { createBridgeTransport, type WebSocketLike } from './bridgeTransport.js';
import { createTransport, MissingTokenError } from './index.js';

/** Stands in for the bridge's socket: records what the client sends and lets the test answer as the server would. */
class ScriptedSocket implements WebSocketLike {
  static opened: ScriptedSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    ScriptedSocket.opened.push(this);
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error('send before open');
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  accept() {
    this.readyState = 1;
    this.onopen?.({});
  }
  push(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('bridge transport', () => {
  beforeEach(() => {
    ScriptedSocket.opened = [];
  });

  const make = () =>
    createBridgeTransport({
      baseUrl: 'http://127.0.0.1:4567/',
      token: 'to/ken',
      openSocket: (url) => new ScriptedSocket(url),
      reconnectDelayMs: 0,
    });

  it('opens the socket on first use with the token, queues calls until open, and resolves them by id', async () => {
    const t = make();
    expect(ScriptedSocket.opened).toHaveLength(0);
    const listed = t.invoke('jobs:list', {});
    const got = t.invoke('jobs:get', { jobId: 'j1' });
    const ws = ScriptedSocket.opened[0]!;
    expect(ws.url).toBe('ws://127.0.0.1:4567/ws?token=to%2Fken');
    ws.accept();
    expect(ws.sent).toEqual([
      { id: 1, op: 'jobs:list', input: {} },
      { id: 2, op: 'jobs:get', input: { jobId: 'j1' } },
    ]);
    // Answers may come back out of order.
    ws.push({ id: 2, result: { ok: false, error: { code: 'not_found', message: 'no job' } } });
    ws.push({ id: 1, result: { ok: true, value: [] } });
    await expect(listed).resolves.toEqual({ ok: true, value: [] });
    await expect(got).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(ScriptedSocket.opened).toHaveLength(1);
  });

  it('subscribes once per event, fans payloads out, and unsubscribes when the last listener leaves', () => {
    const t = make();
    const a = vi.fn();
    const b = vi.fn();
    const offA = t.subscribe('studies:onDidChange', a);
    const offB = t.subscribe('studies:onDidChange', b);
    const ws = ScriptedSocket.opened[0]!;
    ws.accept();
    expect(ws.sent).toEqual([{ subscribe: 'studies:onDidChange' }]);
    ws.push({ event: 'studies:onDidChange', payload: { studyIds: [3] } });
    ws.push({ event: 'jobs:onDidFinish', payload: {} });
    expect(a).toHaveBeenCalledWith({ studyIds: [3] });
    expect(b).toHaveBeenCalledTimes(1);
    offA();
    expect(ws.sent).toHaveLength(1);
    offB();
    expect(ws.sent.at(-1)).toEqual({ unsubscribe: 'studies:onDidChange' });
    ws.push({ event: 'studies:onDidChange', payload: { studyIds: [4] } });
    expect(b).toHaveBeenCalledTimes(1);
  });

  it('answers calls cut off by a lost connection with an error envelope, then reconnects and re-subscribes', async () => {
    const t = make();
    t.subscribe('jobs:onDidProgress', () => {});
    const ws = ScriptedSocket.opened[0]!;
    ws.accept();
    const call = t.invoke('jobs:list', {});
    ws.drop();
    await expect(call).resolves.toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('lost') } });
    await flush();
    const again = ScriptedSocket.opened[1]!;
    expect(again).toBeDefined();
    again.accept();
    expect(again.sent).toEqual([{ subscribe: 'jobs:onDidProgress' }]);
    t.close();
  });

  it('makes resource URLs with the token in the query', () => {
    const t = make();
    expect(t.resourceUrl('/files/instances/1/thumbnail.png')).toBe('http://127.0.0.1:4567/files/instances/1/thumbnail.png?token=to%2Fken');
    expect(t.resourceUrl('/files/heatmaps/2.png?label=Effusion')).toBe('http://127.0.0.1:4567/files/heatmaps/2.png?label=Effusion&token=to%2Fken');
  });
});

describe('createTransport', () => {
  afterEach(() => {
    sessionStorage.clear();
    document.head.innerHTML = '';
    window.history.replaceState(null, '', '/');
    delete (window as { cxr?: PreloadApi }).cxr;
  });

  it('in a browser reads the token from the fragment, keeps it for reloads and takes it out of the address bar', () => {
    window.history.replaceState(null, '', '/?lang=en#token=abc123&study=5');
    const t = createTransport();
    expect(t.kind).toBe('bridge');
    expect(window.location.hash).toBe('#study=5');
    expect(window.location.search).toBe('?lang=en');
    expect(sessionStorage.getItem('cxr-token')).toBe('abc123');
    expect(t.resourceUrl('/files/x.png')).toBe(`${window.location.origin}/files/x.png?token=abc123`);
    // After a reload the fragment is gone but the tab still knows the token.
    expect(createTransport().resourceUrl('/files/x.png')).toContain('token=abc123');
  });

  it('accepts a token injected as a meta tag', () => {
    document.head.innerHTML = '<meta name="cxr-token" content="from-meta">';
    expect(createTransport().resourceUrl('/files/y')).toContain('token=from-meta');
  });

  it('says how to get in when the page has no token', () => {
    expect(() => createTransport()).toThrow(MissingTokenError);
    expect(() => createTransport()).toThrow(/#token=/);
  });

  it('in Electron runs the RPC session over the preload port and uses the app protocol', async () => {
    const sent: Record<string, unknown>[] = [];
    let deliver: (message: string) => void = () => {};
    (window as { cxr?: unknown }).cxr = {
      send: (m: string) => sent.push(JSON.parse(m)),
      onMessage: (l: (m: string) => void) => (deliver = l),
    };
    const t = createTransport();
    expect(t.kind).toBe('electron');
    const listed = t.invoke('jobs:list', {});
    expect(sent).toEqual([{ id: 1, op: 'jobs:list', input: {} }]);
    deliver(JSON.stringify({ id: 1, result: { ok: true, value: [] } }));
    await expect(listed).resolves.toEqual({ ok: true, value: [] });
    const cb = vi.fn();
    const off = t.subscribe('jobs:onDidFinish', cb);
    expect(sent.at(-1)).toEqual({ subscribe: 'jobs:onDidFinish' });
    deliver(JSON.stringify({ event: 'jobs:onDidFinish', payload: { id: 'j' } }));
    expect(cb).toHaveBeenCalledWith({ id: 'j' });
    off();
    expect(sent.at(-1)).toEqual({ unsubscribe: 'jobs:onDidFinish' });
    expect(t.resourceUrl('/files/instances/1/pixels')).toBe('cxr-resource://app/files/instances/1/pixels');
  });
});
