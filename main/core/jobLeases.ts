import { CoreError } from '../api/envelope.js';
import type { JobLeaseRecord, JobLeaseRepository, LeaseOwner } from '../db/jobLeaseRepository.js';
import { pidIsGone, thisProcess } from '../platform/processIdentity.js';

/** How long a lease lasts without a heartbeat, unless the configuration says otherwise. */
export const DEFAULT_LEASE_MS = 60_000;

export interface JobLeasesOptions {
  /** How long a lease lasts; the heartbeat renews it every third of this. */
  durationMs?: number;
  /** Tests replace the owner (two "processes" in one) and the pid check. */
  owner?: LeaseOwner;
  isGone?: (pid: number) => boolean;
}

/** A lease this process holds on a running job. */
export interface HeldLease {
  readonly jobId: string;
  /** Renews now; false when the lease was lost (it lapsed and another process took the job over). */
  renew(): boolean;
  /** Stops the heartbeat and gives the lease up. Idempotent. */
  release(): void;
}

/**
 * One process owns a resumable job at a time. The lease is taken before the job starts (a refusal reaches the caller
 * as an error naming the owner), renewed by a heartbeat while the job runs, and released when it ends. A lease whose
 * owner died is taken over: it expired, or its owner was on this host and its pid is gone.
 */
export class JobLeases {
  readonly owner: LeaseOwner;
  readonly durationMs: number;
  private readonly isGone: (pid: number) => boolean;

  constructor(
    private readonly repo: JobLeaseRepository,
    options: JobLeasesOptions = {},
  ) {
    this.owner = options.owner ?? thisProcess();
    this.durationMs = options.durationMs ?? DEFAULT_LEASE_MS;
    this.isGone = options.isGone ?? pidIsGone;
  }

  /**
   * Takes the lease on a job, or throws CoreError('conflict') saying who runs it and until when. `onLost` is called
   * if a heartbeat finds the lease gone (the job should stop: another process now owns it).
   */
  acquire(jobId: string, kind: string, onLost: () => void = () => undefined): HeldLease {
    // Only a pid of this host can be checked. A holder with this process's own pid but another token was an earlier
    // process the OS gave the same pid (a container restarted): it is gone too.
    const ownerIsGone = (holder: LeaseOwner) =>
      holder.host === this.owner.host && holder.token !== this.owner.token && (holder.pid === this.owner.pid || this.isGone(holder.pid));
    const result = this.repo.acquire(jobId, kind, this.owner, this.durationMs, ownerIsGone);
    if (!result.acquired) throw new CoreError('conflict', leaseRefusal(result.holder, this.owner), { jobId, holder: result.holder });
    const { repo, owner, durationMs } = this;
    let released = false;
    const renew = () => !released && repo.renew(jobId, owner.token, durationMs);
    const timer = setInterval(() => {
      if (!renew() && !released) {
        clearInterval(timer);
        onLost();
      }
    }, Math.max(1, Math.floor(durationMs / 3)));
    // The heartbeat never keeps a process alive on its own (the CLI exits when its work is done).
    timer.unref();
    return {
      jobId,
      renew,
      release() {
        if (released) return;
        released = true;
        clearInterval(timer);
        repo.release(jobId, owner.token);
      },
    };
  }

  /**
   * Takes the leases on several jobs, all or none: when any is held elsewhere the ones taken are given back and the
   * refusal names every holder (a resume starts nothing rather than half of what was asked).
   */
  acquireAll(jobIds: readonly string[], kind: string, onLost: (jobId: string) => void = () => undefined): HeldLease[] {
    const held: HeldLease[] = [];
    const refusals: string[] = [];
    for (const jobId of jobIds) {
      try {
        held.push(this.acquire(jobId, kind, () => onLost(jobId)));
      } catch (err) {
        if (!(err instanceof CoreError) || err.code !== 'conflict') throw err;
        refusals.push(err.message);
      }
    }
    if (!refusals.length) return held;
    for (const lease of held) lease.release();
    throw new CoreError('conflict', refusals.join('\n'));
  }
}

/** `work`, releasing `lease` when it ends, however it ends. */
export function releasingWhenDone<A extends unknown[], T>(lease: HeldLease, work: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  return async (...args: A) => {
    try {
      return await work(...args);
    } finally {
      lease.release();
    }
  };
}

/**
 * The job store as an owner writes it: the job's end state is written only while the lease is still this process's.
 * An owner that lost it (it hung past the expiry and another process took the job over) stops, and must not overwrite
 * the state the new owner writes ("cancelled" over "done").
 */
export function finishingWhileOwned<R extends { finish(jobId: string, state: S): void }, S>(repo: R, lease: Pick<HeldLease, 'renew'>): R {
  const owned = Object.create(repo) as R;
  owned.finish = (jobId: string, state: S) => {
    if (lease.renew()) repo.finish(jobId, state);
  };
  return owned;
}

/** The refusal a second process gets: who runs the job, since when, and when to try again. */
export function leaseRefusal(holder: JobLeaseRecord, asker: LeaseOwner): string {
  const who = holder.owner.token === asker.token ? `this process (${holder.owner.pid})` : `process ${holder.owner.pid} on host ${holder.owner.host}`;
  return `job ${holder.jobId} is being run by ${who} since ${holder.acquiredAt}; try again after ${holder.expiresAt} or stop that process`;
}
