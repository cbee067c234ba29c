/**
 * Content-Security-Policy for the renderer. Scripts only from the app itself (no inline script, no eval); styles
 * may be inline because the UI library (emotion) injects <style> tags; images may be blobs (decoded pixels drawn
 * into canvases); connections only back to the app (and, for the bridge, its own WebSocket).
 */
export function contentSecurityPolicy(options: { connect?: string[] } = {}): string {
  const connect = ["'self'", ...(options.connect ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
