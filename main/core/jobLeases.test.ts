import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoreError } from '../api/envelope.js';
import { openDatabase, type DbHandle } from '../db/connection.js';
import { JobLeaseRepository, type LeaseOwner } from '../db/jobLeaseRepository.js';
import { finishingWhileOwned, JobLeases, releasingWhenDone } from './jobLeases.js';

const server: LeaseOwner = { pid: 1234, host: 'ward-1', token: 'server' };
const cli: LeaseOwner = { pid: 5678, host: 'ward-1', token: 'cli' };
const remote: LeaseOwner = { pid: 1234, host: 'ward-2', token: 'remote' };

let db: DbHandle;
let now: number;
let repo: JobLeaseRepository;
let gone: Set<number>;
const leasesFor = (owner: LeaseOwner) => new JobLeases(repo, { owner, durationMs: 60_000, isGone: (pid) => gone.has(pid) });

beforeEach(() => {
  vi.useFakeTimers();
  db = openDatabase(':memory:');
  now = Date.UTC(2026, 0, 1, 8, 0, 0);
  repo = new JobLeaseRepository(db, () => new Date(now));
  gone = new Set();
});
afterEach(() => vi.useRealTimers());

function refusal(fn: () => unknown): CoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CoreError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('JobLeases', () => {
  it('refuses a second process with a message naming the owner, since when, and when to try again', () => {
    leasesFor(server).acquire('job-x', 'import');
    const err = refusal(() => leasesFor(cli).acquire('job-x', 'import'));
    expect(err.code).toBe('conflict');
    expect(err.message).toBe(
      'job job-x is being run by process 1234 on host ward-1 since 2026-01-01T08:00:00.000Z; try again after 2026-01-01T08:01:00.000Z or stop that process',
    );
  });

  it('takes over a lease whose owner on this host is gone, but never judges a pid of another host', () => {
    leasesFor(server).acquire('job-x', 'import');
    gone.add(1234);
    expect(leasesFor(cli).acquire('job-x', 'import').jobId).toBe('job-x');
    leasesFor(remote).acquire('job-y', 'import');
    expect(refusal(() => leasesFor(cli).acquire('job-y', 'import')).message).toMatch(/process 1234 on host ward-2/);
  });

  it('takes over a lease left by an earlier process that had this same pid (a restarted container), never its own', () => {
    leasesFor({ ...cli, token: 'before-restart' }).acquire('job-x', 'import');
    expect(leasesFor(cli).acquire('job-x', 'import').jobId).toBe('job-x');
    expect(refusal(() => leasesFor(cli).acquire('job-x', 'import')).message).toMatch(/^job job-x is being run by this process \(5678\)/);
  });

  it('keeps the lease by its heartbeat while the job runs, and releases it when the job ends, however it ends', async () => {
    const leases = leasesFor(server);
    let finish!: () => void;
    const work = releasingWhenDone(leases.acquire('job-x', 'import'), () => new Promise<void>((resolve) => (finish = resolve)));
    const running = work();
    for (let i = 0; i < 5; i++) {
      now += 20_000;
      await vi.advanceTimersByTimeAsync(20_000);
    }
    // 100 s after it was taken, a lease of 60 s is still held: the heartbeat renewed it.
    expect(repo.get('job-x')?.expiresAt).toBe(new Date(now + 60_000).toISOString());
    expect(refusal(() => leasesFor(cli).acquire('job-x', 'import')).code).toBe('conflict');
    finish();
    await running;
    expect(repo.get('job-x')).toBeNull();

    const failing = releasingWhenDone(leases.acquire('job-z', 'import'), async () => {
      throw new Error('disk full');
    });
    await expect(failing()).rejects.toThrow('disk full');
    expect(repo.get('job-z')).toBeNull();
  });

  it('tells the job when a heartbeat finds its lease taken over (it lapsed while the process hung)', async () => {
    const lost = vi.fn();
    leasesFor(server).acquire('job-x', 'import', lost);
    now += 61_000; // the owner hung past its expiry: its heartbeat did not run
    leasesFor(cli).acquire('job-x', 'import');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(lost).toHaveBeenCalledTimes(1);
    expect(repo.get('job-x')?.owner).toEqual(cli);
  });

  it('resumes all or nothing: one job held elsewhere gives back the ones taken and names every holder', () => {
    leasesFor(server).acquire('job-b', 'import');
    const err = refusal(() => leasesFor(cli).acquireAll(['job-a', 'job-b'], 'import'));
    expect(err.message).toMatch(/^job job-b is being run by process 1234 on host ward-1/);
    expect(repo.get('job-a')).toBeNull();
  });

  it('an owner that lost its lease never writes the job\'s end state over the new owner\'s', () => {
    const written: string[] = [];
    const repo = { finish: (jobId: string, state: string) => void written.push(`${jobId}:${state}`), report: () => 'kept' };
    let owned = true;
    const jobs = finishingWhileOwned(repo, { renew: () => owned });
    jobs.finish('j1', 'done');
    owned = false;
    jobs.finish('j2', 'cancelled');
    expect(written).toEqual(['j1:done']);
    expect(jobs.report()).toBe('kept');
  });
});
