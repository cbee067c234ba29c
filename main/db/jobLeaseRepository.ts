import type { DbHandle } from './connection.js';
import { systemClock, type Clock } from './clock.js';

/** The process that holds (or asks for) a job's lease. The token tells two processes with a recycled pid apart. */
export interface LeaseOwner {
  pid: number;
  host: string;
  token: string;
}

/** A lease as stored: who runs the job, since when, and when the lease lapses unless renewed. */
export interface JobLeaseRecord {
  jobId: string;
  kind: string;
  owner: LeaseOwner;
  acquiredAt: string;
  expiresAt: string;
}

export type AcquireResult = { acquired: true; lease: JobLeaseRecord; tookOverFrom: JobLeaseRecord | null } | { acquired: false; holder: JobLeaseRecord };

interface LeaseRow {
  job_id: string;
  kind: string;
  owner_pid: number;
  owner_host: string;
  owner_token: string;
  acquired_at: string;
  expires_at: string;
}

/**
 * Job leases (table job_leases): at most one process owns a resumable job at a time. Taking a lease reads the current
 * row and writes the new one in one IMMEDIATE transaction, so two processes asking at once cannot both win. Whether
 * an unexpired lease's owner is gone (a pid check) is the caller's knowledge, passed in as `ownerIsGone`.
 */
export class JobLeaseRepository {
  constructor(
    private readonly db: DbHandle,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Takes the lease on `jobId` for `durationMs`, unless another owner holds an unexpired one whose process is not
   * known to be gone. A lease this same owner already holds is refused too: one job runs once, even in one process.
   */
  acquire(jobId: string, kind: string, owner: LeaseOwner, durationMs: number, ownerIsGone: (holder: LeaseOwner) => boolean): AcquireResult {
    return this.db.transaction(() => {
      const now = this.clock();
      const current = this.get(jobId);
      if (current && Date.parse(current.expiresAt) > now.getTime() && !ownerIsGone(current.owner)) return { acquired: false, holder: current };
      const lease: JobLeaseRecord = {
        jobId,
        kind,
        owner,
        acquiredAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + durationMs).toISOString(),
      };
      this.db
        .statement(
          `INSERT INTO job_leases (job_id, kind, owner_pid, owner_host, owner_token, acquired_at, expires_at)
           VALUES (@jobId, @kind, @pid, @host, @token, @acquiredAt, @expiresAt)
           ON CONFLICT (job_id) DO UPDATE SET kind = excluded.kind, owner_pid = excluded.owner_pid, owner_host = excluded.owner_host,
             owner_token = excluded.owner_token, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
        )
        .run({ jobId, kind, ...owner, acquiredAt: lease.acquiredAt, expiresAt: lease.expiresAt });
      return { acquired: true, lease, tookOverFrom: current };
    });
  }

  /** Extends the lease by `durationMs` from now; false when `token` no longer holds it (it lapsed and was taken over). */
  renew(jobId: string, token: string, durationMs: number): boolean {
    const expiresAt = new Date(this.clock().getTime() + durationMs).toISOString();
    return this.db.statement('UPDATE job_leases SET expires_at = ? WHERE job_id = ? AND owner_token = ?').run(expiresAt, jobId, token).changes > 0;
  }

  /** Gives the lease up; a lease another owner took over in the meantime is left alone. */
  release(jobId: string, token: string): void {
    this.db.statement('DELETE FROM job_leases WHERE job_id = ? AND owner_token = ?').run(jobId, token);
  }

  get(jobId: string): JobLeaseRecord | null {
    const row = this.db
      .statement('SELECT job_id, kind, owner_pid, owner_host, owner_token, acquired_at, expires_at FROM job_leases WHERE job_id = ?')
      .get(jobId) as LeaseRow | undefined;
    return row
      ? {
          jobId: row.job_id,
          kind: row.kind,
          owner: { pid: row.owner_pid, host: row.owner_host, token: row.owner_token },
          acquiredAt: row.acquired_at,
          expiresAt: row.expires_at,
        }
      : null;
  }
}
