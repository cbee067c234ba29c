import { parentPort, threadId } from 'node:worker_threads';

/**
 * A worker module for WorkerPool tests that fails on request, the ways a real reader can: it exits, throws outside
 * any handler, loops forever, exhausts its heap, or asks to be replaced. The pool under test is the real one.
 */
export type FaultyTask = { do: 'ok' | 'crash' | 'throw' | 'hang' | 'oom' | 'retire'; value?: number } | { do: 'slow'; ms: number; value?: number };

const post = (message: unknown) => parentPort!.postMessage(message);

parentPort!.on('message', async ({ id, task }: { id: number; task: FaultyTask }) => {
  const result = { threadId, value: task.value ?? 0 };
  switch (task.do) {
    case 'ok':
      return post({ id, result });
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, task.ms));
      return post({ id, result });
    case 'retire':
      return post({ id, result, retire: true });
    case 'crash':
      return process.exit(3);
    case 'throw':
      setImmediate(() => {
        throw new Error('thrown outside any handler');
      });
      return;
    case 'hang':
      for (;;) {
        // never answers
      }
    case 'oom': {
      const hoard: unknown[] = [];
      for (;;) hoard.push(Array.from({ length: 10_000 }, (_, i) => ({ i })));
    }
  }
});

post({ ready: true });
