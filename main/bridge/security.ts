import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh secret per launch: 256 bits, URL-safe so it can travel in a query string or a URL fragment. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares a presented token with the expected one in constant time. Both sides are hashed first so that
 * `timingSafeEqual` sees equal lengths and the length of the secret does not leak either.
 */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/** The origins a page served by this bridge can have (the same port, by address or by name). */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/**
 * Browsers send `Origin` on WebSocket upgrades and cross-origin requests; any page other than our own is refused.
 * A missing Origin means a non-browser client (the CLI, tests), which still needs the token.
 */
export function originAllowed(origin: string | undefined, port: number, extraOrigins: readonly string[] = []): boolean {
  if (origin === undefined) return true;
  return ownOrigins(port).includes(origin) || extraOrigins.includes(origin);
}

/**
 * The Host header must name the loopback address and our port: a page on another site that re-points its own DNS
 * name at 127.0.0.1 (DNS rebinding) sends its own name here and is refused.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}
