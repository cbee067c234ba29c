import { describe, expect, it } from 'vitest';
import type { Job } from '../api/jobs.js';
import { EventBus } from './eventBus.js';
import { JobRunner } from './jobRunner.js';

describe('JobRunner', () => {
  it('reports progress with rate and ETA, and a final event', async () => {
    const events = new EventBus();
    const seen: Job[] = [];
    const finished: Job[] = [];
    events.subscribe('jobs:onDidProgress', (j) => seen.push(j));
    events.subscribe('jobs:onDidFinish', (j) => finished.push(j));
    const runner = new JobRunner(events, 0);
    const job = runner.start('import', async (c) => {
      c.setTotal(4);
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 5));
        c.advance(1, i === 3 ? 1 : 0);
      }
      return 'all good';
    });
    const end = await runner.wait(job.id);
    expect(end).toMatchObject({ state: 'done', done: 4, total: 4, failed: 1, message: 'all good' });
    expect(seen.some((j) => j.done === 2 && j.rate > 0 && j.etaSeconds !== null)).toBe(true);
    expect(finished).toHaveLength(1);
  });

  it('cancels cooperatively and keeps the state cancelled', async () => {
    const runner = new JobRunner(new EventBus());
    let stoppedAt = -1;
    const job = runner.start('analysis', async (c) => {
      for (let i = 0; i < 1000; i++) {
        if (c.signal.aborted) {
          stoppedAt = i;
          return;
        }
        await new Promise((r) => setTimeout(r, 1));
        c.advance(1);
      }
    });
    setTimeout(() => runner.cancel(job.id), 20);
    const end = await runner.wait(job.id);
    expect(end.state).toBe('cancelled');
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(1000);
  });

  it('marks a throwing job failed with its message, and unknown ids are not_found', async () => {
    const runner = new JobRunner(new EventBus());
    const job = runner.start('export', async () => {
      throw new Error('disk full');
    });
    expect(await runner.wait(job.id)).toMatchObject({ state: 'failed', message: 'disk full' });
    expect(() => runner.get('nope')).toThrow(/no job/);
  });
});
