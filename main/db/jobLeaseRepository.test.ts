import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from './connection.js';
import { JobLeaseRepository, type LeaseOwner } from './jobLeaseRepository.js';

const A: LeaseOwner = { pid: 1234, host: 'ward-1', token: 'token-a' };
const B: LeaseOwner = { pid: 5678, host: 'ward-1', token: 'token-b' };
const alive = () => false;
const MINUTE = 60_000;

let db: DbHandle;
let now: number;
let leases: JobLeaseRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  now = Date.UTC(2026, 0, 1, 8, 0, 0);
  leases = new JobLeaseRepository(db, () => new Date(now));
});

describe('JobLeaseRepository (fake clock)', () => {
  it('gives a free job to the first owner and refuses a second one, naming the holder and the expiry', () => {
    const first = leases.acquire('job-1', 'import', A, MINUTE, alive);
    expect(first).toMatchObject({ acquired: true, tookOverFrom: null, lease: { owner: A, acquiredAt: '2026-01-01T08:00:00.000Z', expiresAt: '2026-01-01T08:01:00.000Z' } });
    now += 30_000;
    const second = leases.acquire('job-1', 'import', B, MINUTE, alive);
    expect(second).toEqual({ acquired: false, holder: { jobId: 'job-1', kind: 'import', owner: A, acquiredAt: '2026-01-01T08:00:00.000Z', expiresAt: '2026-01-01T08:01:00.000Z' } });
    // Another job is not affected.
    expect(leases.acquire('job-2', 'import', B, MINUTE, alive).acquired).toBe(true);
  });

  it('refuses the holder itself too: a job runs once, even in one process', () => {
    leases.acquire('job-1', 'import', A, MINUTE, alive);
    expect(leases.acquire('job-1', 'import', A, MINUTE, alive).acquired).toBe(false);
  });

  it('renewing pushes the expiry on; a lapsed lease is taken over and its old owner can no longer renew or release it', () => {
    leases.acquire('job-1', 'import', A, MINUTE, alive);
    now += 50_000;
    expect(leases.renew('job-1', A.token, MINUTE)).toBe(true);
    now += 50_000; // 100 s after the start, 50 s after the renewal: still held
    expect(leases.acquire('job-1', 'import', B, MINUTE, alive).acquired).toBe(false);
    now += 10_000; // exactly at the expiry
    const taken = leases.acquire('job-1', 'import', B, MINUTE, alive);
    expect(taken).toMatchObject({ acquired: true, lease: { owner: B }, tookOverFrom: { owner: A, expiresAt: '2026-01-01T08:01:50.000Z' } });
    expect(leases.renew('job-1', A.token, MINUTE)).toBe(false);
    leases.release('job-1', A.token);
    expect(leases.get('job-1')?.owner).toEqual(B);
  });

  it('takes over an unexpired lease only when the caller knows its owner is gone', () => {
    leases.acquire('job-1', 'import', A, MINUTE, alive);
    const asked: LeaseOwner[] = [];
    const taken = leases.acquire('job-1', 'import', B, MINUTE, (holder) => (asked.push(holder), holder.pid === 1234));
    expect(asked).toEqual([A]);
    expect(taken).toMatchObject({ acquired: true, tookOverFrom: { owner: A } });
  });

  it('releasing frees the job at once', () => {
    leases.acquire('job-1', 'import', A, MINUTE, alive);
    leases.release('job-1', A.token);
    expect(leases.get('job-1')).toBeNull();
    expect(leases.acquire('job-1', 'import', B, MINUTE, alive).acquired).toBe(true);
  });
});
