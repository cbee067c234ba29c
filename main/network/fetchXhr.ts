/**
 * The part of XMLHttpRequest that dicomweb-client uses, over Node's fetch. dicomweb-client is written for
 * browsers and creates `new XMLHttpRequest()` unless a request instance is passed in (`request.instance`), which
 * is what main/network/dicomweb.ts does with one of these per call. Only what the library touches is here: open,
 * request headers, responseType (''/'json'/'arraybuffer'), send, readyState 4 with status and response, response
 * headers, and the load/readystatechange callbacks.
 */
export class FetchXhr {
  readyState = 0;
  status = 0;
  responseType: '' | 'json' | 'arraybuffer' | 'text' = '';
  response: unknown = null;
  withCredentials = false;
  onreadystatechange: (() => void) | null = null;
  onloadstart: (() => void) | null = null;
  onloadend: (() => void) | null = null;
  onprogress: ((event: unknown) => void) | null = null;
  /** Why the request got no HTTP answer at all (connection refused, timeout, cancelled); null otherwise. */
  failure: string | null = null;

  private method = 'GET';
  private url = '';
  private readonly headers = new Headers();
  private responseHeaders: Headers | null = null;

  /**
   * `headers` are sent whatever the library sets for the same names: dicomweb-client 0.11 refuses every media type
   * list for WADO-RS instance retrieval (its common-type check compares "application/" with "application/dicom"), so
   * the `transfer-syntax=*` Accept header is set here instead.
   */
  constructor(private readonly options: { signal?: AbortSignal; timeoutMs?: number; headers?: Record<string, string> } = {}) {}

  open(method: string, url: string): void {
    for (const [k, v] of Object.entries(this.options.headers ?? {})) this.headers.set(k, v);
    this.method = method.toUpperCase();
    this.url = url;
    this.readyState = 1;
  }

  setRequestHeader(name: string, value: string): void {
    const fixed = Object.keys(this.options.headers ?? {}).some((k) => k.toLowerCase() === name.toLowerCase());
    if (!fixed) this.headers.set(name, value);
  }

  getResponseHeader(name: string): string | null {
    return this.responseHeaders?.get(name) ?? null;
  }

  getAllResponseHeaders(): string {
    if (!this.responseHeaders) return '';
    let out = '';
    this.responseHeaders.forEach((value, name) => (out += `${name}: ${value}\r\n`));
    return out;
  }

  send(body?: ArrayBuffer | Uint8Array | string | null): void {
    void this.run(body ?? undefined);
  }

  private async run(raw: ArrayBuffer | Uint8Array | string | undefined): Promise<void> {
    const body = raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw;
    this.onloadstart?.();
    const signals = [this.options.signal, this.options.timeoutMs ? AbortSignal.timeout(this.options.timeoutMs) : undefined].filter((s): s is AbortSignal => Boolean(s));
    try {
      const res = await fetch(this.url, {
        method: this.method,
        headers: this.headers,
        body: body as string | Uint8Array | undefined,
        signal: signals.length ? AbortSignal.any(signals) : undefined,
      });
      this.status = res.status;
      this.responseHeaders = res.headers;
      const bytes = await res.arrayBuffer();
      if (this.responseType === 'arraybuffer') this.response = bytes;
      else {
        const text = new TextDecoder().decode(bytes);
        if (this.responseType === 'json') {
          try {
            this.response = text ? JSON.parse(text) : null;
          } catch {
            this.response = null;
          }
        } else this.response = text;
      }
    } catch (err) {
      this.status = 0;
      this.response = null;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      this.failure = (err as Error).name === 'TimeoutError' ? 'no answer in time' : (cause?.code ?? cause?.message ?? (err as Error).message);
    }
    this.readyState = 4;
    this.onreadystatechange?.();
    this.onloadend?.();
  }
}
