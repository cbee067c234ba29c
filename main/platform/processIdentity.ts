import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** A process as a job lease names it (main/core/jobLeases.ts). */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Drawn once per process: a pid the OS recycled for another process is not the same owner. */
  token: string;
}

/** This process: its pid and host, and a token drawn now. */
export function thisProcess(): ProcessIdentity {
  return { pid: process.pid, host: hostname(), token: randomUUID() };
}

/**
 * Whether a process on this host is gone: signal 0 checks that a pid exists without touching it. EPERM means it
 * exists under another user, so it is alive.
 */
export function pidIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
