import { afterEach, describe, expect, it } from 'vitest';
import type { FaultyTask } from '../../test/helpers/faultyWorker.js';
import { WorkerLostError, WorkerPool } from './workerPool.js';

const MODULE = new URL('../../test/helpers/faultyWorker.ts', import.meta.url);
type Result = { threadId: number; value: number };

let pool: WorkerPool<FaultyTask, Result> | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

const make = (size = 1, perWorker = 1) =>
  (pool = new WorkerPool<FaultyTask, Result>(MODULE, size, perWorker, { announcesReady: true, resourceLimits: { maxOldGenerationSizeMb: 48 } }));

describe('WorkerPool: one bad task never stops the pool', () => {
  it('a worker that exits fails its task alone, is replaced, and the next task runs', async () => {
    const p = make();
    const first = await p.run({ do: 'ok', value: 1 });
    await expect(p.run({ do: 'crash' })).rejects.toMatchObject({ name: 'WorkerLostError', kind: 'crashed', alone: true });
    const next = await p.run({ do: 'ok', value: 2 });
    expect(next.value).toBe(2);
    expect(next.threadId).not.toBe(first.threadId);
  });

  it('an exception thrown outside any handler names what was thrown', async () => {
    const p = make();
    await expect(p.run({ do: 'throw' })).rejects.toThrow(/the reader crashed \(thrown outside any handler\)/);
    expect((await p.run({ do: 'ok', value: 3 })).value).toBe(3);
  });

  it('a worker over its heap limit is said to have run out of memory, and the pool goes on', async () => {
    const p = make();
    await expect(p.run({ do: 'oom' })).rejects.toThrow(/ran out of memory/);
    expect((await p.run({ do: 'ok', value: 4 })).value).toBe(4);
  });

  it('a task over its time limit is stopped (a loop that never yields), its worker replaced', async () => {
    const p = make();
    const hung = p.run({ do: 'hang' }, { timeoutMs: 300 });
    await expect(hung).rejects.toMatchObject({ kind: 'timed-out', alone: true });
    await expect(hung).rejects.toBeInstanceOf(WorkerLostError);
    // The replacement's start-up does not count against the next task's limit.
    expect((await p.run({ do: 'ok', value: 5 }, { timeoutMs: 1000 })).value).toBe(5);
  });

  it('tasks that shared a worker with the one that killed it are told so, and run alone they succeed', async () => {
    const p = make(1, 2);
    const innocent = p.run({ do: 'slow', ms: 200, value: 6 });
    const culprit = p.run({ do: 'crash' });
    await expect(culprit).rejects.toMatchObject({ alone: false });
    await expect(innocent).rejects.toMatchObject({ alone: false });
    const [again, alone] = await Promise.allSettled([p.run({ do: 'slow', ms: 50, value: 6 }, { solo: true }), p.run({ do: 'crash' }, { solo: true })]);
    expect(again).toMatchObject({ status: 'fulfilled', value: { value: 6 } });
    expect(alone).toMatchObject({ status: 'rejected', reason: { alone: true } });
  });

  it('a worker that asks to retire is replaced once idle', async () => {
    const p = make();
    const a = await p.run({ do: 'retire', value: 7 });
    const b = await p.run({ do: 'ok', value: 8 });
    expect(b.threadId).not.toBe(a.threadId);
  });

  it('a module that cannot start fails the tasks instead of being restarted forever', async () => {
    pool = new WorkerPool<FaultyTask, Result>(new URL('../../test/helpers/noSuchWorker.ts', import.meta.url), 1, 1, { announcesReady: true });
    await expect(pool.run({ do: 'ok' })).rejects.toThrow(/cannot start/);
  });
});
