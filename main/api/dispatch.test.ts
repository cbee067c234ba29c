import { describe, expect, it } from 'vitest';
import type { CoreApi } from './contract.js';
import { dispatch } from './dispatch.js';
import { CoreError } from './envelope.js';

// A core where only a few operations exist; dispatch must still validate against the real contract.
const job = {
  id: 'j1', kind: 'import', state: 'running', done: 0, total: 1, failed: 0, rate: 0, etaSeconds: null,
  startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null, message: null,
} as const;
const core = {
  'jobs:get': async ({ jobId }: { jobId: string }) => {
    if (jobId === 'missing') throw new CoreError('not_found', 'no job with id missing');
    if (jobId === 'boom') throw new Error('disk on fire');
    if (jobId === 'bad-output') return { ...job, state: 'exploded' };
    return { ...job, id: jobId };
  },
} as unknown as CoreApi;

describe('dispatch', () => {
  it('answers a valid call with the value', async () => {
    expect(await dispatch(core, 'jobs:get', { jobId: 'abc' })).toEqual({ ok: true, value: { ...job, id: 'abc' } });
  });

  it('refuses input that breaks the contract before the core sees it', async () => {
    const r = await dispatch(core, 'jobs:get', { jobId: 42 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_input');
      expect(r.error.message).toMatch(/jobs:get/);
    }
  });

  it('answers an unknown operation with not_found', async () => {
    expect(await dispatch(core, 'jobs:explode', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('turns CoreError into its code and any other exception into internal, never throwing', async () => {
    expect(await dispatch(core, 'jobs:get', { jobId: 'missing' })).toMatchObject({ ok: false, error: { code: 'not_found', message: 'no job with id missing' } });
    expect(await dispatch(core, 'jobs:get', { jobId: 'boom' })).toMatchObject({ ok: false, error: { code: 'internal', message: 'disk on fire' } });
  });

  it('catches output that drifts from the contract when asked to validate outputs', async () => {
    expect(await dispatch(core, 'jobs:get', { jobId: 'bad-output' })).toMatchObject({ ok: true });
    expect(await dispatch(core, 'jobs:get', { jobId: 'bad-output' }, { validateOutput: true })).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
