import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Job } from '../../api/jobs.js';
import { waitForJob } from '../../api/waitForJob.js';
import type { ReceiverEvent, ReceiverStatus, RemoteNode } from '../../api/network.js';
import { CliUsageError, type CliCommand, type CliContext } from '../command.js';
import { duration, table } from '../format.js';

const USAGE = [
  'cxr dicom nodes [add NAME (--aet AET --host HOST --port N [--get] | --url DICOMWEB_URL) | remove NAME]',
  'cxr dicom config [--enable|--disable] [--aet AET] [--port N] [--bind ADDR] [--accept-any-caller|--known-callers-only] [--send-on-sign NODE|--no-send-on-sign] [--with-capture]',
  'cxr dicom echo NODE',
  'cxr dicom find NODE [--patient-id ID] [--patient-name NAME] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--modality M] [--accession A] [--limit N]',
  'cxr dicom retrieve NODE STUDY_UID [--method move|get]',
  'cxr dicom send STUDY_ID --to NODE [--with-capture]',
  'cxr dicom listen [--aet AET] [--port N] [--bind ADDR]',
  'cxr dicom quarantine [--limit N]',
].join('\n       ');

function options<T extends ParseArgsConfig['options']>(args: string[], opts: T, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: opts, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliUsageError((err as Error).message.replace(/\. To specify a positional argument.*$/, ''));
  }
  if (parsed.positionals.length !== positionals) throw new CliUsageError(`expected ${positionals} argument(s), got ${parsed.positionals.length}`);
  return parsed;
}

function port(value: string | undefined, flag = '--port'): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliUsageError(`${flag} must be a port number, not "${value}"`);
  return n;
}

function describeNode(n: RemoteNode): string {
  return n.kind === 'dimse' ? `${n.aeTitle}@${n.host}:${n.port} (DIMSE, retrieve by C-${n.retrieveMethod.toUpperCase()})` : `${n.url} (DICOMweb)`;
}

function describeEvent(e: ReceiverEvent): string {
  const from = e.callingAeTitle ? ` from ${e.callingAeTitle}${e.peer ? ` (${e.peer})` : ''}` : '';
  switch (e.kind) {
    case 'stored':
      return `stored ${e.sopInstanceUid}${from}`;
    case 'duplicate':
      return `duplicate ${e.sopInstanceUid}${from}: already stored, kept once`;
    case 'quarantined':
      return `QUARANTINED ${e.sopInstanceUid ?? '(unknown object)'}${from}: ${e.detail}`;
    case 'store-failed':
      return `FAILED to store an object${from}: ${e.detail}`;
    case 'association-rejected':
      return `rejected association${from}: ${e.detail}`;
    case 'indexed':
      return `indexed: ${e.detail} of study ${e.studyInstanceUid}${e.studyId ? ` (cxr show ${e.studyId})` : ''}`;
  }
}

function describeReceiver(s: ReceiverStatus): string {
  if (s.state === 'listening') return `listening as ${s.aeTitle} on ${s.bind}:${s.port}`;
  if (s.state === 'failed') return `not listening: ${s.error}`;
  return `stopped (AE title ${s.aeTitle}, port ${s.port}, bind ${s.bind})`;
}

async function follow(job: Job, cli: CliContext): Promise<Job> {
  let last = 0;
  const unsubscribe = cli.core.subscribe('jobs:onDidProgress', (j) => {
    if (j.id !== job.id || Date.now() - last < 1000) return;
    last = Date.now();
    cli.out(`[retrieve] ${j.done}/${j.total || '?'} objects, ${j.failed} failed, ETA ${duration(j.etaSeconds)}`);
  });
  const onSigint = () => {
    cli.err('\ncancelling the retrieve (C-CANCEL); objects already received are kept…');
    void cli.call('jobs:cancel', { jobId: job.id });
  };
  process.once('SIGINT', onSigint);
  try {
    return await waitForJob(cli.core, job.id);
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
  }
}

const subcommands: Record<string, (args: string[], cli: CliContext) => Promise<number>> = {
  async nodes(args, cli) {
    const action = args[0];
    if (!action || action === 'list') {
      const s = await cli.call('network:settings', {});
      cli.out(`this workstation: AE title ${s.receiver.aeTitle}, receiver ${s.receiver.enabled ? 'enabled' : 'disabled'} on ${s.receiver.bind}:${s.receiver.port}`);
      if (!s.nodes.length) cli.out('no remote nodes (add one with: cxr dicom nodes add NAME --aet AET --host HOST --port N)');
      for (const n of s.nodes) cli.out(`  ${n.name.padEnd(16)} ${describeNode(n)}`);
      return 0;
    }
    if (action === 'remove') {
      const { positionals } = options(args.slice(1), {}, 1);
      await cli.call('network:removeNode', { node: positionals[0]! });
      cli.out(`removed node ${positionals[0]}`);
      return 0;
    }
    if (action !== 'add') throw new CliUsageError(`unknown "nodes" action "${action}" (list, add, remove)`);
    const { values, positionals } = options(
      args.slice(1),
      { aet: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, get: { type: 'boolean' }, url: { type: 'string' }, replace: { type: 'boolean' } },
      1,
    );
    const name = positionals[0]!;
    let node: RemoteNode;
    if (values.url) node = { kind: 'dicomweb', name, url: values.url };
    else {
      if (!values.aet || !values.host || !values.port) throw new CliUsageError('a DIMSE node needs --aet, --host and --port (or give --url for DICOMweb)');
      node = { kind: 'dimse', name, aeTitle: values.aet, host: values.host, port: port(values.port)!, retrieveMethod: values.get ? 'get' : 'move' };
    }
    const exists = (await cli.call('network:settings', {})).nodes.some((n) => n.name.toLowerCase() === name.toLowerCase());
    await cli.call('network:saveNode', { node, ...(exists ? { previousName: name } : {}) });
    cli.out(`${exists ? 'updated' : 'added'} node ${name}: ${describeNode(node)}`);
    return 0;
  },

  async config(args, cli) {
    const { values } = options(
      args,
      {
        enable: { type: 'boolean' },
        disable: { type: 'boolean' },
        aet: { type: 'string' },
        port: { type: 'string' },
        bind: { type: 'string' },
        'accept-any-caller': { type: 'boolean' },
        'known-callers-only': { type: 'boolean' },
        'send-on-sign': { type: 'string' },
        'no-send-on-sign': { type: 'boolean' },
        'with-capture': { type: 'boolean' },
      },
      0,
    );
    const receiver = {
      ...(values.enable ? { enabled: true } : values.disable ? { enabled: false } : {}),
      ...(values.aet ? { aeTitle: values.aet } : {}),
      ...(values.port ? { port: port(values.port)! } : {}),
      ...(values.bind ? { bind: values.bind } : {}),
      ...(values['accept-any-caller'] ? { acceptAnyCaller: true } : values['known-callers-only'] ? { acceptAnyCaller: false } : {}),
    };
    const sendOnSign = values['send-on-sign']
      ? { enabled: true, node: values['send-on-sign'], secondaryCapture: Boolean(values['with-capture']) }
      : values['no-send-on-sign']
        ? { enabled: false }
        : undefined;
    const s = Object.keys(receiver).length || sendOnSign ? await cli.call('network:updateSettings', { receiver, ...(sendOnSign ? { sendOnSign } : {}) }) : await cli.call('network:settings', {});
    const r = s.receiver;
    cli.out(`receiver: ${r.enabled ? 'enabled' : 'disabled'}, AE title ${r.aeTitle}, ${r.bind}:${r.port}, ${r.acceptAnyCaller ? 'any calling AE title' : 'configured nodes only'}`);
    cli.out(`send on sign: ${s.sendOnSign.enabled ? `to ${s.sendOnSign.node}${s.sendOnSign.secondaryCapture ? ' with the AI Secondary Capture' : ''}` : 'off'}`);
    return 0;
  },

  async echo(args, cli) {
    const { positionals } = options(args, {}, 1);
    const r = await cli.call('network:echo', { node: positionals[0]! });
    if (r.ok) cli.out(`${r.node}: ${r.message} in ${Math.round(r.milliseconds)} ms`);
    else cli.err(`${r.node}: ${r.message}`);
    return r.ok ? 0 : 1;
  },

  async find(args, cli) {
    const { values, positionals } = options(
      args,
      {
        'patient-id': { type: 'string' },
        'patient-name': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        modality: { type: 'string' },
        accession: { type: 'string' },
        limit: { type: 'string' },
      },
      1,
    );
    const r = await cli.call('network:find', {
      node: positionals[0]!,
      patientId: values['patient-id'],
      patientName: values['patient-name'],
      from: values.from,
      to: values.to,
      modality: values.modality,
      accessionNumber: values.accession,
      ...(values.limit ? { limit: Number(values.limit) } : {}),
    });
    if (!r.studies.length) {
      cli.out(`no studies found on ${r.node}`);
      return 0;
    }
    const rows = r.studies.map((s) => [s.studyDate, s.patientId, s.patientName, s.modalities.join('/'), s.accessionNumber, s.description, s.instanceCount, s.localStudyId ? `#${s.localStudyId}` : '', s.studyInstanceUid]);
    for (const line of table(['date', 'patient id', 'name', 'mod', 'accession', 'description', 'images', 'local', 'study instance uid'], rows)) cli.out(line);
    cli.out(`${r.studies.length} stud${r.studies.length === 1 ? 'y' : 'ies'} on ${r.node}${r.truncated ? ' (more match: narrow the query or raise --limit)' : ''}`);
    return 0;
  },

  async retrieve(args, cli) {
    const { values, positionals } = options(args, { method: { type: 'string' } }, 2);
    if (values.method && values.method !== 'move' && values.method !== 'get') throw new CliUsageError('--method is move or get');
    const job = await cli.call('network:retrieve', { node: positionals[0]!, studyInstanceUid: positionals[1]!, ...(values.method ? { method: values.method as 'move' | 'get' } : {}) });
    const done = await follow(job, cli);
    const local = (await cli.call('network:find', { node: positionals[0]!, studyInstanceUid: positionals[1]!, limit: 1 }).catch(() => null))?.studies[0]?.localStudyId;
    if (done.state === 'done') {
      cli.out(`${done.message}${local ? `; study indexed as ${local} (cxr show ${local})` : ''}`);
      return done.failed ? 1 : 0;
    }
    cli.err(`retrieve ${done.state}: ${done.message ?? ''}`);
    return done.state === 'cancelled' ? 130 : 1;
  },

  async send(args, cli) {
    const { values, positionals } = options(args, { to: { type: 'string' }, 'with-capture': { type: 'boolean' } }, 1);
    if (!values.to) throw new CliUsageError('give the node to send to with --to NODE');
    const studyId = Number(positionals[0]);
    if (!Number.isInteger(studyId) || studyId <= 0) throw new CliUsageError('give a study id (see cxr list)');
    const r = await cli.call('network:send', { studyId, node: values.to, secondaryCapture: Boolean(values['with-capture']) });
    for (const o of r.objects) cli.out(`${o.ok ? 'sent' : 'FAILED'} ${o.kind === 'sr' ? 'report (DICOM SR)' : 'AI key image (Secondary Capture)'} ${o.sopInstanceUid} to ${r.node}: ${o.status}`);
    return r.objects.every((o) => o.ok) ? 0 : 1;
  },

  async listen(args, cli) {
    const { values } = options(args, { aet: { type: 'string' }, port: { type: 'string' }, bind: { type: 'string' } }, 0);
    const off = cli.core.subscribe('network:onDidReceive', (e) => cli.out(describeEvent(e)));
    try {
      const s = await cli.call('network:receiverStart', { aeTitle: values.aet, port: port(values.port), bind: values.bind });
      if (s.state !== 'listening') {
        cli.err(`the receiver could not start: ${s.error}`);
        return 1;
      }
      cli.out(`${describeReceiver(s)}; ${s.counts.pendingIndex} object(s) from before resumed. Ctrl-C stops.`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      const end = await cli.call('network:receiverStop', {});
      cli.out(`stopped: ${end.counts.stored} stored, ${end.counts.duplicates} duplicates, ${end.counts.quarantined} quarantined, ${end.counts.rejectedAssociations} associations rejected`);
      return 0;
    } finally {
      off();
    }
  },

  async quarantine(args, cli) {
    const { values } = options(args, { limit: { type: 'string' } }, 0);
    const list = await cli.call('network:quarantine', { limit: values.limit ? Number(values.limit) : 50 });
    if (!list.length) {
      cli.out('nothing in quarantine');
      return 0;
    }
    for (const q of list) cli.out(`${q.at}  ${q.sopInstanceUid || '(no SOP Instance UID)'}${q.callingAeTitle ? ` from ${q.callingAeTitle} (${q.peer})` : ''}: ${q.reason}\n    kept as ${q.file}`);
    return 0;
  },
};

export const dicomCommand: CliCommand = {
  name: 'dicom',
  usage: USAGE,
  summary: 'The DICOM network node: remote nodes, receiver (C-STORE), query/retrieve (C-FIND, C-MOVE/C-GET, DICOMweb), send reports back.',
  async run(args, cli) {
    const [sub, ...rest] = args;
    const fn = sub ? subcommands[sub] : undefined;
    if (!fn) throw new CliUsageError(sub ? `unknown dicom command "${sub}"` : 'give a dicom command');
    return fn(rest, cli);
  },
};
