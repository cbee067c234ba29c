import { api } from 'dicomweb-client';
import type { DicomwebNode, FindInput } from '../api/network.js';
import { FetchXhr } from './fetchXhr.js';
import { fromQidoMatch, qidoParams } from './findQuery.js';

/** A DICOMweb request failed: the message names the node and what went wrong. */
export class DicomwebError extends Error {}

interface DicomwebClientSubset {
  searchForStudies(options: { queryParams?: Record<string, string>; request: object }): Promise<unknown[]>;
  searchForInstances(options: { studyInstanceUID: string; queryParams?: Record<string, string>; request: object }): Promise<unknown[]>;
  retrieveInstance(options: { studyInstanceUID: string; seriesInstanceUID: string; sopInstanceUID: string; mediaTypes?: object[]; request: object }): Promise<ArrayBuffer[] | ArrayBuffer>;
  storeInstances(options: { datasets: ArrayBuffer[]; studyInstanceUID?: string; request: object }): Promise<unknown>;
}

const TIMEOUT_MS = 60_000;

/**
 * QIDO-RS, WADO-RS and STOW-RS through dicomweb-client, against a PACS's DICOMweb root. Each call gets a
 * fetch-backed request object (dicomweb-client expects a browser's XMLHttpRequest) carrying the cancel signal.
 */
export class DicomwebPeer {
  private readonly client: DicomwebClientSubset;

  constructor(private readonly node: DicomwebNode) {
    this.client = new api.DICOMwebClient({ url: node.url.replace(/\/+$/, ''), singlepart: false, verbose: false }) as unknown as DicomwebClientSubset;
  }

  private async call<T>(what: string, fn: (request: { instance: FetchXhr }) => Promise<T>, signal?: AbortSignal, headers?: Record<string, string>): Promise<T> {
    const instance = new FetchXhr({ signal, timeoutMs: TIMEOUT_MS, headers });
    try {
      return await fn({ instance });
    } catch (err) {
      const status = (err as { status?: number }).status;
      const detail = instance.failure ?? (status ? `HTTP ${status}${typeof instance.response === 'string' && instance.response ? `: ${instance.response.slice(0, 200)}` : ''}` : (err as Error).message);
      throw new DicomwebError(`${this.node.name} (${this.node.url}): ${what} failed: ${detail}`);
    }
  }

  /** QIDO-RS for one study: whether the service answers, and how fast ("test connection"). */
  async echo(): Promise<number> {
    const started = performance.now();
    await this.call('QIDO-RS /studies', (request) => this.client.searchForStudies({ queryParams: { limit: '1' }, request }));
    return performance.now() - started;
  }

  async findStudies(q: FindInput): Promise<{ matches: ReturnType<typeof fromQidoMatch>[]; truncated: boolean }> {
    const found = await this.call('QIDO-RS /studies', (request) => this.client.searchForStudies({ queryParams: qidoParams(q), request }));
    const list = Array.isArray(found) ? found : [];
    return { matches: list.slice(0, q.limit).map((o) => fromQidoMatch(o as Record<string, { Value?: unknown[] }>)), truncated: list.length > q.limit };
  }

  /** The study's instances (series and SOP Instance UIDs), for a per-instance WADO-RS retrieve with progress. */
  async listInstances(studyInstanceUid: string, signal?: AbortSignal): Promise<Array<{ seriesInstanceUid: string; sopInstanceUid: string }>> {
    const found = await this.call(`QIDO-RS /studies/${studyInstanceUid}/instances`, (request) => this.client.searchForInstances({ studyInstanceUID: studyInstanceUid, request }), signal);
    const value = (o: unknown, tag: string) => String(((o as Record<string, { Value?: unknown[] }>)[tag]?.Value ?? [])[0] ?? '');
    return (Array.isArray(found) ? found : []).map((o) => ({ seriesInstanceUid: value(o, '0020000E'), sopInstanceUid: value(o, '00080018') }));
  }

  /** WADO-RS of one instance as Part 10 bytes, in the transfer syntax it is stored in (`transfer-syntax=*`). */
  async retrieveInstance(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string, signal?: AbortSignal): Promise<Uint8Array> {
    const parts = await this.call(
      `WADO-RS of instance ${sopInstanceUid}`,
      (request) =>
        this.client.retrieveInstance({
          studyInstanceUID: studyInstanceUid,
          seriesInstanceUID: seriesInstanceUid,
          sopInstanceUID: sopInstanceUid,
          request,
        }),
      signal,
      // The stored transfer syntax, not a transcoding the PACS may not be able to do (JPEG 2000 → explicit LE).
      { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
    );
    const first = Array.isArray(parts) ? parts[0] : parts;
    if (!first) throw new DicomwebError(`${this.node.name}: WADO-RS returned no part for instance ${sopInstanceUid}`);
    return new Uint8Array(first);
  }

  /**
   * STOW-RS of Part 10 objects into a study. Answers the SOP Instance UIDs the server reports as failed (Failed SOP
   * Sequence), with their Failure Reason.
   */
  async store(studyInstanceUid: string, objects: Uint8Array[]): Promise<{ failed: Map<string, string> }> {
    const datasets = objects.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
    const response = await this.call('STOW-RS', (request) => this.client.storeInstances({ datasets, studyInstanceUID: studyInstanceUid, request }));
    const failed = new Map<string, string>();
    let body: unknown = response;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        body = null;
      }
    }
    const items = ((body as Record<string, { Value?: unknown[] }> | null)?.['00081198']?.Value ?? []) as Array<Record<string, { Value?: unknown[] }>>;
    for (const item of items) {
      failed.set(String(item['00081155']?.Value?.[0] ?? ''), `failure reason ${String(item['00081197']?.Value?.[0] ?? '?')}`);
    }
    return { failed };
  }
}
