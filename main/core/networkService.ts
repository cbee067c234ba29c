import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreError } from '../api/envelope.js';
import type { AnalysisResult } from '../api/analysis.js';
import type { Job } from '../api/jobs.js';
import type {
  DimseNode,
  EchoResult,
  FindInput,
  FindResult,
  QuarantineEntry,
  ReceiverEvent,
  ReceiverStatus,
  RemoteNode,
  RemoteStudy,
  SendResult,
} from '../api/network.js';
import type { OperationName, CoreApi } from '../api/contract.js';
import type { Report } from '../api/reports.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { ImportJobRepository } from '../db/importJobRepository.js';
import type { IndexRepository } from '../db/indexRepository.js';
import type { NetworkRepository } from '../db/networkRepository.js';
import type { SettingsRepository } from '../db/settingsRepository.js';
import type { StudyRepository } from '../db/studyRepository.js';
import { parseDicom } from '../dicom/index.js';
import { DicomwebPeer } from '../network/dicomweb.js';
import { echo, findStudies, getStudy, moveStudy, storeFiles, type RetrieveProgress } from '../network/dimseClient.js';
import { isStoredStatus, statusHex } from '../network/dimse.js';
import { fromCFindMatch, cFindKeys } from '../network/findQuery.js';
import { admitObject, type Admission, type Sender } from '../network/incomingObject.js';
import { IngestQueue, type BatchOutcome } from '../network/ingestQueue.js';
import { NetworkSettingsStore, receiverConfig } from '../network/networkSettings.js';
import { isMatchablePatientId, samePatientOnly } from '../network/priors.js';
import { DicomReceiver } from '../network/receiver.js';
import { renderAiCapture } from '../network/secondaryCapture.js';
import { Spool } from '../network/spool.js';
import type { StoreHandler } from '../network/storeScp.js';
import type { EventBus } from '../platform/eventBus.js';
import type { JobControl, JobRunner } from '../platform/jobRunner.js';
import { createResourceRouter } from '../platform/resources.js';
import type { Service } from './service.js';

/** What the network node uses of the other domains: their operations, bound by the composition root. */
export interface NetworkPeers {
  /** Indexes files through the import pipeline (main/importer), as a folder import does; resolves with the job. */
  importFiles(paths: string[]): Promise<Job>;
  /** The study's newest signed (final) report, or null. */
  signedReport(studyId: number): Promise<Report | null>;
  /** The report as DICOM SR, exactly as `reports:export` with format `sr` writes it. */
  exportSr(reportId: number): Promise<Uint8Array>;
  /** The image's stored analysis (`analysis:get`), or null when none. */
  analysis(instanceId: number): Promise<AnalysisResult | null>;
  /** A `/files/...` resource's bytes (a heatmap), or null. */
  resourceBytes(path: string): Promise<Buffer | null>;
}

/** The peers from the import, report and analysis services (and the files those serve). */
export function networkPeers(services: { imports: Service; reports: Service; analysis: Service }): NetworkPeers {
  const op = <N extends OperationName>(service: Service, name: N): CoreApi[N] => {
    const fn = service[name];
    if (!fn) throw new Error(`the network node needs ${name}, which this service does not implement`);
    return fn as CoreApi[N];
  };
  const resource = createResourceRouter([...(services.reports.resources ?? []), ...(services.analysis.resources ?? [])]);
  const search = op(services.reports, 'reports:search');
  const get = op(services.reports, 'reports:get');
  const exportReport = op(services.reports, 'reports:export');
  const importStart = op(services.imports, 'import:start');
  const analysisGet = op(services.analysis, 'analysis:get');
  return {
    importFiles: (paths) => importStart({ paths }),
    async signedReport(studyId) {
      const [summary] = await search({ text: '', studyId, state: 'final', limit: 1 });
      return summary ? get({ reportId: summary.id }) : null;
    },
    async exportSr(reportId) {
      const exported = await exportReport({ reportId, format: 'sr', deidentify: false, includeImages: false });
      const file = await resource(exported.path);
      if (!file) throw new CoreError('internal', `the SR export ${exported.path} cannot be read back`);
      return new Uint8Array(file.body);
    },
    analysis: (instanceId) => analysisGet({ instanceId, language: 'en' }),
    resourceBytes: async (path) => (await resource(path))?.body ?? null,
  };
}

export interface NetworkServiceDeps {
  settings: SettingsRepository;
  studies: StudyRepository;
  index: IndexRepository;
  importJobs: ImportJobRepository;
  network: NetworkRepository;
  audit: AuditTrail;
  events: EventBus;
  jobs: JobRunner;
  dataDir: string;
  peers: NetworkPeers;
}

const RECENT_EVENTS = 100;

/**
 * The DICOM network node: settings (local AE, remote nodes), the receiver (Storage/Verification SCP) with its
 * spool and its feed into the import pipeline, query/retrieve and send as SCU over DIMSE or DICOMweb. The spool is
 * opened (partial files of dead processes removed, pending objects resumed) when this process first receives or
 * retrieves, never merely because a core was created: `cxr list` must not touch what a running app is receiving.
 */
export function createNetworkService(deps: NetworkServiceDeps): Service {
  const { studies, index, importJobs, network, events, jobs, peers } = deps;
  const settings = new NetworkSettingsStore(deps.settings);
  const spool = new Spool(deps.dataDir);
  let spoolOpen = false;
  let receiver: DicomReceiver | null = null;
  /** This process runs the receiver whenever the settings enable it (set by `receiverStart` with onlyIfEnabled). */
  let hosting = false;
  const state: Omit<ReceiverStatus, 'recent' | 'counts'> & { counts: Omit<ReceiverStatus['counts'], 'pendingIndex'> } = {
    state: 'stopped',
    aeTitle: settings.get().receiver.aeTitle,
    port: settings.get().receiver.port,
    bind: settings.get().receiver.bind,
    error: null,
    since: null,
    counts: { associations: 0, rejectedAssociations: 0, stored: 0, duplicates: 0, quarantined: 0, indexed: 0 },
  };
  const recent: ReceiverEvent[] = [];

  const event = (e: Omit<ReceiverEvent, 'at' | 'studyId'> & { studyId?: number | null }) => {
    const full: ReceiverEvent = { at: new Date().toISOString(), studyId: null, ...e };
    recent.unshift(full);
    if (recent.length > RECENT_EVENTS) recent.length = RECENT_EVENTS;
    events.emit('network:onDidReceive', full);
  };
  const status = (): ReceiverStatus => ({ ...state, counts: { ...state.counts, pendingIndex: ingest.size }, recent: [...recent] });
  const changed = () => events.emit('network:onDidChangeReceiver', status());

  // Stored objects go to the import pipeline in batches; markers leave the spool only once a job recorded them.
  const ingest = new IngestQueue(
    async (paths): Promise<BatchOutcome & { jobId: string }> => {
      const job = await peers.importFiles(paths);
      const finished = await jobs.wait(job.id);
      if (finished.state === 'failed') throw new Error(finished.message ?? 'import failed');
      const report = importJobs.report(job.id);
      return { jobId: job.id, failed: report.failed };
    },
    async (paths, outcome) => {
      const { jobId } = outcome as BatchOutcome & { jobId: string };
      const recorded = importJobs.recordedPaths(jobId);
      const failed = new Map(outcome.failed.map((f) => [f.path, f.reason]));
      const done = paths.filter((p) => recorded.has(p));
      const byStudy = new Map<string, { studyId: number | null; count: number }>();
      for (const p of done) {
        const reason = failed.get(p);
        if (reason !== undefined) {
          let ids = { sopInstanceUid: '', sopClassUid: '' };
          try {
            const meta = parseDicom(await readFile(p), p).meta;
            ids = { sopInstanceUid: meta.sopInstanceUid, sopClassUid: meta.sopClassUid };
          } catch {
            // unreadable: the reason says why
          }
          await spool.quarantine(p, { reason: `could not be indexed: ${reason}`, stage: 'index', callingAeTitle: '', peer: '', ...ids });
          state.counts.quarantined++;
          event({ kind: 'quarantined', callingAeTitle: '', peer: '', sopInstanceUid: ids.sopInstanceUid || null, studyInstanceUid: null, detail: `stored, then the importer could not read it: ${reason}` });
          continue;
        }
        const where = network.studyOfFile(p);
        const key = where?.studyInstanceUid ?? '';
        const entry = byStudy.get(key) ?? { studyId: where?.studyId ?? null, count: 0 };
        entry.count++;
        byStudy.set(key, entry);
      }
      await spool.markIndexed(done);
      state.counts.indexed += done.length - failed.size;
      for (const [studyUid, { studyId, count }] of byStudy) {
        if (studyUid) event({ kind: 'indexed', callingAeTitle: '', peer: '', sopInstanceUid: null, studyInstanceUid: studyUid, studyId, detail: `${count} object(s) indexed` });
      }
      // Paths the job did not get to (it was cancelled at shutdown) stay pending on disk for the next start.
      changed();
    },
  );

  const openSpool = () => {
    if (spoolOpen) return;
    const pending = spool.open();
    spoolOpen = true;
    if (pending.length) ingest.add(pending);
  };

  const onAdmission = (a: Admission, sender: Sender) => {
    if (a.kind === 'stored') {
      if (a.duplicate) {
        state.counts.duplicates++;
        // Stored before; indexed unless a crash came between its storing and its marker: check, never assume.
        if (network.studyOfFile(a.path)) spool.markIndexed([a.path]).catch((err: unknown) => console.error('[dicom] cannot clear a pending marker:', err));
        else ingest.add([a.path]);
        event({ kind: 'duplicate', ...sender, sopInstanceUid: a.ids.sopInstanceUid, studyInstanceUid: a.ids.studyInstanceUid, detail: 'already stored (same bytes): kept once' });
      } else {
        state.counts.stored++;
        ingest.add([a.path]);
        event({ kind: 'stored', ...sender, sopInstanceUid: a.ids.sopInstanceUid, studyInstanceUid: a.ids.studyInstanceUid, detail: a.path });
      }
    } else if (a.kind === 'quarantined') {
      state.counts.quarantined++;
      event({ kind: 'quarantined', ...sender, sopInstanceUid: a.entry.sopInstanceUid || null, studyInstanceUid: null, detail: `${a.reason} (status ${statusHex(a.status)}; kept as ${a.entry.file})` });
    } else {
      event({ kind: 'store-failed', ...sender, sopInstanceUid: null, studyInstanceUid: null, detail: `${a.reason} (status ${statusHex(a.status)})` });
    }
  };
  const store: StoreHandler = { spool, onAdmission };

  const startReceiver = async (overrides: { aeTitle?: string; port?: number; bind?: string } = {}): Promise<ReceiverStatus> => {
    if (receiver) return status();
    openSpool();
    const config = receiverConfig(settings.get(), overrides);
    Object.assign(state, { aeTitle: config.aeTitle, port: config.port, bind: config.bind });
    const r = new DicomReceiver(spool, config, {
      onAdmission,
      onAssociation: () => void state.counts.associations++,
      onRejected: (sender, reason) => {
        state.counts.rejectedAssociations++;
        event({ kind: 'association-rejected', ...sender, sopInstanceUid: null, studyInstanceUid: null, detail: reason });
      },
    });
    try {
      await r.start();
      receiver = r;
      Object.assign(state, { state: 'listening', port: r.port, error: null, since: new Date().toISOString() });
    } catch (err) {
      Object.assign(state, { state: 'failed', error: (err as Error).message, since: new Date().toISOString() });
    }
    changed();
    return status();
  };

  const stopReceiver = async (): Promise<ReceiverStatus> => {
    const r = receiver;
    receiver = null;
    if (r) await r.stop();
    Object.assign(state, { state: 'stopped', error: null, since: new Date().toISOString() });
    changed();
    return status();
  };

  /**
   * Settings changed. In the process that hosts the receiver (the app, `npm start`: they asked to run it when
   * enabled), it starts or stops with `enabled` and restarts when its address changed; a running receiver takes new
   * nodes at once. A `cxr dicom config` run only stores the settings: the workstation applies them when it starts.
   */
  const applySettings = async () => {
    const s = settings.get();
    if (!receiver) {
      Object.assign(state, { aeTitle: s.receiver.aeTitle, port: s.receiver.port, bind: s.receiver.bind });
      if (s.receiver.enabled && hosting) await startReceiver();
      return;
    }
    if (!s.receiver.enabled) {
      await stopReceiver();
      return;
    }
    const next = receiverConfig(s);
    const current = receiver.currentConfig();
    if (next.port !== current.port || next.bind !== current.bind || next.aeTitle !== current.aeTitle) {
      await stopReceiver();
      await startReceiver();
    } else receiver.reconfigure(next);
  };

  const dimseNode = (node: RemoteNode): node is DimseNode => node.kind === 'dimse';
  const caller = () => ({ aeTitle: receiver?.currentConfig().aeTitle ?? settings.get().receiver.aeTitle });

  const find = async (input: FindInput): Promise<FindResult> => {
    const node = settings.node(input.node);
    let matches: Omit<RemoteStudy, 'localStudyId'>[];
    let truncated: boolean;
    if (dimseNode(node)) {
      const r = await toCoreError(() => findStudies(node, caller(), cFindKeys(input), input.limit));
      matches = r.matches.map(fromCFindMatch);
      truncated = r.truncated;
    } else {
      ({ matches, truncated } = await toCoreError(() => new DicomwebPeer(node).findStudies(input)));
    }
    const local = network.studyIdsByUid(matches.map((m) => m.studyInstanceUid));
    const studiesFound = matches
      .filter((m) => m.studyInstanceUid)
      .map((m) => ({ ...m, localStudyId: local.get(m.studyInstanceUid) ?? null }))
      .sort((a, b) => (b.studyDate ?? '').localeCompare(a.studyDate ?? ''));
    return { node: node.name, studies: studiesFound, truncated };
  };

  /** Retrieves one study into the spool (and through the importer) as a job with progress and cancel. */
  const retrieve = (nodeName: string, studyInstanceUid: string, method?: 'move' | 'get'): Job => {
    const node = settings.node(nodeName);
    return jobs.start('retrieve', async (control) => {
      openSpool();
      let result: { completed: number; failed: number; note: string };
      if (dimseNode(node)) {
        const how = method ?? node.retrieveMethod;
        result = how === 'get' ? await retrieveByGet(node, studyInstanceUid, control) : await retrieveByMove(node, studyInstanceUid, control);
      } else result = await retrieveByWado(new DicomwebPeer(node), node.name, studyInstanceUid, control);
      await ingest.whenIdle();
      deps.audit.record({
        action: 'retrieve',
        entityType: 'study',
        entityId: studyInstanceUid,
        studyId: network.studyIdsByUid([studyInstanceUid]).get(studyInstanceUid) ?? null,
        detail: { node: node.name, method: dimseNode(node) ? (method ?? node.retrieveMethod) : 'wado-rs', completed: result.completed, failed: result.failed, cancelled: control.signal.aborted },
      });
      return `${result.completed} object(s) retrieved from ${node.name}, ${result.failed} failed${result.note}`;
    });
  };

  const progress = (control: JobControl) => {
    let seen = { done: 0, failed: 0 };
    return (p: RetrieveProgress) => {
      control.setTotal(p.completed + p.failed + p.warnings + (p.remaining ?? 0));
      const done = p.completed + p.warnings + p.failed;
      control.advance(done - seen.done, p.failed - seen.failed);
      seen = { done, failed: p.failed };
    };
  };

  const retrieveByMove = async (node: DimseNode, studyUid: string, control: JobControl) => {
    // C-MOVE sends the objects to our receiver: start it here for the retrieve if this process is not listening.
    let temporary = false;
    let note = '';
    if (!receiver) {
      const s = await startReceiver();
      if (s.state === 'listening') temporary = true;
      else note = ` (this process could not listen: ${s.error}; the objects went to whichever receiver has AE title ${s.aeTitle})`;
    }
    try {
      const destination = receiver?.currentConfig().aeTitle ?? settings.get().receiver.aeTitle;
      const report = progress(control);
      const r = await toCoreError(() => moveStudy(node, caller(), destination, studyUid, report, control.signal));
      report({ ...r, remaining: 0 });
      return { completed: r.completed + r.warnings, failed: r.failed, note };
    } finally {
      if (temporary) await stopReceiver();
    }
  };

  const retrieveByGet = async (node: DimseNode, studyUid: string, control: JobControl) => {
    const classes = receiverConfig(settings.get()).storageClasses;
    const report = progress(control);
    const r = await toCoreError(() => getStudy(node, caller(), classes, store, studyUid, report, control.signal));
    report({ ...r, remaining: 0 });
    return { completed: r.completed + r.warnings, failed: r.failed, note: '' };
  };

  const retrieveByWado = async (peer: DicomwebPeer, name: string, studyUid: string, control: JobControl) => {
    const instances = await toCoreError(() => peer.listInstances(studyUid, control.signal));
    control.setTotal(instances.length);
    let completed = 0;
    let failed = 0;
    const sender: Sender = { callingAeTitle: name, peer: 'WADO-RS' };
    for (const i of instances) {
      if (control.signal.aborted) break;
      try {
        const bytes = await peer.retrieveInstance(studyUid, i.seriesInstanceUid, i.sopInstanceUid, control.signal);
        const partial = spool.partialPath();
        await writeFile(partial, bytes, { flush: true });
        const a = await admitObject(spool, partial, null, sender);
        onAdmission(a, sender);
        if (a.kind === 'stored') completed++;
        else failed++;
        control.advance(1, a.kind === 'stored' ? 0 : 1);
      } catch (err) {
        if (control.signal.aborted) break;
        failed++;
        control.advance(1, 1);
        control.setMessage((err as Error).message);
      }
    }
    return { completed, failed, note: '' };
  };

  /** The signed report as SR, and optionally the AI key image as Secondary Capture, into the study on a node. */
  const send = async (studyId: number, nodeName: string, withCapture: boolean, author: string): Promise<SendResult> => {
    const node = settings.node(nodeName);
    const study = studies.get(studyId);
    const report = await peers.signedReport(studyId);
    if (!report) throw new CoreError('conflict', `study ${studyId} has no signed report to send: sign it first`);
    const objects: Array<{ kind: 'sr' | 'secondary-capture'; bytes: Uint8Array }> = [{ kind: 'sr', bytes: await peers.exportSr(report.id) }];
    let captureNote: string | null = null;
    if (withCapture) {
      const capture = await aiCapture(report, study);
      if ('bytes' in capture) objects.push({ kind: 'secondary-capture', bytes: capture.bytes });
      else captureNote = capture.reason;
    }
    const described = objects.map((o) => {
      const meta = parseDicom(o.bytes, o.kind).meta;
      return { ...o, sopClassUid: meta.sopClassUid, sopInstanceUid: meta.sopInstanceUid, studyInstanceUid: meta.studyInstanceUid };
    });
    let outcomes: Array<{ ok: boolean; status: string }>;
    try {
      outcomes = dimseNode(node) ? await sendDimse(node, described.map((d) => d.bytes)) : await sendStow(new DicomwebPeer(node), study.studyInstanceUid, described);
    } catch (err) {
      const message = err instanceof CoreError ? err.message : (err as Error).message;
      outcomes = described.map(() => ({ ok: false, status: message }));
    }
    const result: SendResult = {
      node: node.name,
      reportId: report.id,
      objects: described.map((d, i) => ({ kind: d.kind, sopClassUid: d.sopClassUid, sopInstanceUid: d.sopInstanceUid, studyInstanceUid: d.studyInstanceUid, ...outcomes[i]! })),
    };
    deps.audit.record({
      actor: author,
      action: 'send',
      entityType: 'report',
      entityId: report.id,
      studyId,
      detail: { node: node.name, kind: node.kind, objects: result.objects.map((o) => ({ kind: o.kind, sopInstanceUid: o.sopInstanceUid, ok: o.ok, status: o.status })), ...(captureNote ? { secondaryCapture: captureNote } : {}) },
    });
    return result;
  };

  const sendDimse = async (node: DimseNode, files: Uint8Array[]) => {
    const dir = join(spool.root, 'outgoing');
    await mkdir(dir, { recursive: true });
    const paths = files.map((_, i) => join(dir, `${process.pid}-${Date.now()}-${i}.dcm`));
    try {
      for (let i = 0; i < files.length; i++) await writeFile(paths[i]!, files[i]!);
      const statuses = await toCoreError(() => storeFiles(node, caller(), paths));
      return statuses.map((s) => ({ ok: s.status >= 0 && isStoredStatus(s.status), status: s.status < 0 ? s.comment : `${statusHex(s.status)}${s.comment ? ` ${s.comment}` : ''}` }));
    } finally {
      await Promise.all(paths.map((p) => rm(p, { force: true })));
    }
  };

  const sendStow = async (peer: DicomwebPeer, studyUid: string, objects: Array<{ bytes: Uint8Array; sopInstanceUid: string }>) => {
    const { failed } = await toCoreError(() => peer.store(studyUid, objects.map((o) => o.bytes)));
    return objects.map((o) => (failed.has(o.sopInstanceUid) ? { ok: false, status: failed.get(o.sopInstanceUid)! } : { ok: true, status: 'stored (STOW-RS)' }));
  };

  /** The Secondary Capture for the report's key image, or why there is none. Never shows what the reader did not accept. */
  const aiCapture = async (report: Report, study: ReturnType<typeof studies.get>): Promise<{ bytes: Uint8Array } | { reason: string }> => {
    const key = report.keyImages[0]?.instanceId ?? null;
    const accepted = report.aiFindings.filter((f) => f.instanceId !== null && (key === null || f.instanceId === key)).sort((a, b) => b.probability - a.probability)[0];
    if (!accepted || accepted.instanceId === null) return { reason: 'not sent: the signed report has no accepted AI finding on its key image' };
    const analysis = await peers.analysis(accepted.instanceId);
    if (!analysis) return { reason: 'not sent: the key image has no stored AI analysis' };
    if (analysis.status === 'withheld') return { reason: 'not sent: the image failed the quality gate, so it carries no AI findings' };
    const heatmap = analysis.findings.find((f) => f.label === accepted.label)?.heatmap;
    const png = heatmap ? await peers.resourceBytes(heatmap) : null;
    if (!png) return { reason: `not sent: no heatmap is stored for ${accepted.label}` };
    const file = index.instanceFile(accepted.instanceId);
    const instance = studies.getInstance(accepted.instanceId);
    if (!file) return { reason: 'not sent: the key image is no longer in the index' };
    const bytes = await renderAiCapture({
      study,
      source: { filePath: file.filePath, format: file.format, sopClassUid: instance.sopClassUid, sopInstanceUid: instance.sopInstanceUid },
      finding: accepted,
      heatmapPng: png,
      report: { id: report.id, signedBy: report.signedBy ?? report.author, signedAt: report.signedAt ?? report.updatedAt },
      now: new Date(),
    });
    return { bytes };
  };

  // Send automatically on sign, where the site asked for it. Every attempt is audited by `send`.
  const offSign = events.subscribe('reports:onDidSign', ({ reportId, studyId, signedBy }) => {
    const s = settings.get().sendOnSign;
    if (!s.enabled || !s.node) return;
    void send(studyId, s.node, s.secondaryCapture, signedBy).catch((err) => {
      console.error(`[dicom] sending report ${reportId} on sign failed:`, (err as Error).message);
      deps.audit.record({ actor: signedBy, action: 'send', entityType: 'report', entityId: reportId, studyId, detail: { node: s.node, automatic: true, error: (err as Error).message } });
    });
  });

  return {
    async 'network:settings'() {
      return settings.get();
    },
    async 'network:updateSettings'({ receiver: r, sendOnSign }) {
      const current = settings.get();
      const next = settings.set({ ...current, receiver: { ...current.receiver, ...r }, sendOnSign: { ...current.sendOnSign, ...sendOnSign } });
      await applySettings();
      return next;
    },
    async 'network:saveNode'({ node, previousName }) {
      const current = settings.get();
      const old = (previousName ?? node.name).toLowerCase();
      const nodes = current.nodes.filter((n) => n.name.toLowerCase() !== old);
      if (previousName === undefined && nodes.length !== current.nodes.length) throw new CoreError('conflict', `a node named "${node.name}" exists already`);
      const next = settings.set({ ...current, nodes: [...nodes, node].sort((a, b) => a.name.localeCompare(b.name)) });
      if (receiver) receiver.reconfigure(receiverConfig(next, { aeTitle: state.aeTitle, port: receiver.port, bind: state.bind }));
      return next.nodes;
    },
    async 'network:removeNode'({ node }) {
      const current = settings.get();
      settings.node(node);
      const nodes = current.nodes.filter((n) => n.name.toLowerCase() !== node.toLowerCase());
      const sendOnSign = current.sendOnSign.node?.toLowerCase() === node.toLowerCase() ? { ...current.sendOnSign, enabled: false, node: null } : current.sendOnSign;
      const next = settings.set({ ...current, nodes, sendOnSign });
      if (receiver) receiver.reconfigure(receiverConfig(next, { aeTitle: state.aeTitle, port: receiver.port, bind: state.bind }));
      return next.nodes;
    },
    async 'network:echo'({ node: name }): Promise<EchoResult> {
      const node = settings.node(name);
      try {
        if (dimseNode(node)) {
          const r = await echo(node, caller());
          return { node: node.name, ok: r.status === 0, milliseconds: r.milliseconds, message: r.status === 0 ? `C-ECHO answered by ${node.aeTitle}` : `C-ECHO status ${statusHex(r.status)}` };
        }
        const ms = await new DicomwebPeer(node).echo();
        return { node: node.name, ok: true, milliseconds: ms, message: 'QIDO-RS answered' };
      } catch (err) {
        return { node: node.name, ok: false, milliseconds: 0, message: (err as Error).message };
      }
    },
    'network:find': find,
    async 'network:retrieve'({ node, studyInstanceUid, method }) {
      return retrieve(node, studyInstanceUid, method);
    },
    async 'network:fetchPriors'({ studyId, node }) {
      const study = studies.get(studyId);
      if (!isMatchablePatientId(study.patientId)) throw new CoreError('conflict', `study ${studyId} has no Patient ID: priors cannot be matched to this patient safely`);
      const nodes = node ? [settings.node(node)] : settings.get().nodes;
      const jobs: Job[] = [];
      const problems: Array<{ node: string; message: string }> = [];
      let alreadyLocal = 0;
      const wanted = new Set<string>();
      for (const n of nodes) {
        try {
          const found = await find({ node: n.name, patientId: study.patientId, limit: 200 });
          for (const s of samePatientOnly(found.studies, study.patientId)) {
            if (s.studyInstanceUid === study.studyInstanceUid || wanted.has(s.studyInstanceUid)) continue;
            if (s.localStudyId !== null) {
              alreadyLocal++;
              continue;
            }
            wanted.add(s.studyInstanceUid);
            jobs.push(retrieve(n.name, s.studyInstanceUid));
          }
        } catch (err) {
          problems.push({ node: n.name, message: (err as Error).message });
        }
      }
      return { jobs, alreadyLocal, problems };
    },
    async 'network:send'({ studyId, node, secondaryCapture }) {
      // Sent by the core's current reader; an automatic send on sign names the signer.
      return send(studyId, node, secondaryCapture, deps.audit.actor());
    },
    async 'network:receiverStatus'() {
      return status();
    },
    async 'network:receiverStart'({ aeTitle, port, bind, onlyIfEnabled }) {
      if (onlyIfEnabled) hosting = true;
      if (onlyIfEnabled && !settings.get().receiver.enabled) {
        // The workstation is starting (npm start, the app): objects a crash left pending are indexed even when the
        // receiver has been turned off since.
        openSpool();
        return status();
      }
      return startReceiver({ aeTitle, port, bind });
    },
    async 'network:receiverStop'() {
      return stopReceiver();
    },
    async 'network:quarantine'({ limit }): Promise<QuarantineEntry[]> {
      return spool.listQuarantine(limit);
    },
    async dispose() {
      offSign();
      if (receiver) await receiver.stop();
      receiver = null;
      await ingest.stop();
    },
  };
}

/** DIMSE and DICOMweb failures reach the caller as `unavailable` errors whose message names the node and the cause. */
async function toCoreError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CoreError) throw err;
    throw new CoreError('unavailable', (err as Error).message);
  }
}
