import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitFor, type Started } from './processes.js';
import { isCi, systemTool, type SystemTool } from './systemTools.js';

export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/** Orthanc (asked for its version: with no arguments it would start a server) and its DICOMweb plugin. */
export function orthancTools(): SystemTool[] {
  const plugin = existsSync(DICOMWEB_PLUGIN);
  const message = `${DICOMWEB_PLUGIN} is not installed (Debian package orthanc-dicomweb: apt-get install orthanc-dicomweb)`;
  if (!plugin) console.warn(`[tests] ${message}: ${isCi ? 'required under CI, the tests that need it fail' : 'the tests that need it are skipped'}`);
  return [
    systemTool(ORTHANC_BINARY, 'orthanc', ['--version']),
    {
      name: 'libOrthancDicomWeb.so',
      debianPackage: 'orthanc-dicomweb',
      available: plugin,
      skip: !plugin && !isCi,
      require() {
        if (!plugin) throw new Error(message);
      },
    },
  ];
}

/** A peer Orthanc knows (it checks calling AE titles and, for these, the host). */
export interface OrthancModality {
  aeTitle: string;
  port: number;
  host?: string;
}

export interface Orthanc {
  aeTitle: string;
  dicomPort: number;
  httpPort: number;
  /** REST API root, http://127.0.0.1:PORT */
  url: string;
  /** DICOMweb root (with the plugin): http://127.0.0.1:PORT/dicom-web */
  dicomWebUrl: string;
  pid: number;
  process: Started;
  /** GET on the REST API, parsed JSON. */
  get<T = unknown>(path: string): Promise<T>;
  /** POST on the REST API (JSON body), parsed JSON. */
  post<T = unknown>(path: string, body: unknown): Promise<T>;
  /** The SOP Class UIDs of the instances Orthanc holds in a study (by Study Instance UID). */
  sopClassesInStudy(studyInstanceUid: string): Promise<Array<{ sopInstanceUid: string; sopClassUid: string }>>;
  stop(): Promise<void>;
}

/**
 * Starts a real Orthanc (a PACS) from its own configuration in a temporary folder, on free ports, and waits until
 * its REST API answers. HTTP accepts loopback clients only (RemoteAccessAllowed false); Orthanc 1.10 has no bind
 * address for DICOM, so DICOM is restricted the other way: only the listed modalities, from their host
 * (127.0.0.1), may store, find, move or get. Stop it in the test's teardown (`orthanc.stop()`, kills by pid).
 */
export async function startOrthanc(options: { aeTitle?: string; modalities?: OrthancModality[]; dicomweb?: boolean } = {}): Promise<Orthanc> {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-orthanc-'));
  const [dicomPort, httpPort] = [await freePort(), await freePort()];
  const aeTitle = options.aeTitle ?? 'ORTHANC';
  const modalities: Record<string, unknown> = {};
  for (const m of options.modalities ?? []) {
    modalities[m.aeTitle.toLowerCase()] = {
      AET: m.aeTitle,
      Host: m.host ?? '127.0.0.1',
      Port: m.port,
      AllowEcho: true,
      AllowFind: true,
      AllowMove: true,
      AllowGet: true,
      AllowStore: true,
    };
  }
  const config = {
    Name: 'cxr-test-pacs',
    StorageDirectory: join(dir, 'storage'),
    IndexDirectory: join(dir, 'index'),
    DicomAet: aeTitle,
    DicomPort: dicomPort,
    HttpPort: httpPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: false,
    DicomAlwaysAllowFind: false,
    DicomAlwaysAllowGet: false,
    DicomAlwaysAllowMove: false,
    DicomCheckModalityHost: true,
    DicomModalities: modalities,
    DicomScuTimeout: 30,
    StableAge: 1,
    SaveJobs: false,
    ConcurrentJobs: 1,
    Plugins: options.dicomweb ? [DICOMWEB_PLUGIN] : [],
    DicomWeb: { Enable: Boolean(options.dicomweb), Root: '/dicom-web/', EnableWado: true, Ssl: false, StudiesMetadata: 'Full' },
  };
  mkdirSync(join(dir, 'logs'));
  const configFile = join(dir, 'orthanc.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const process = startProcess(ORTHANC_BINARY, [`--logdir=${join(dir, 'logs')}`, configFile]);
  const url = `http://127.0.0.1:${httpPort}`;
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(url + path);
    if (!res.ok) throw new Error(`Orthanc GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(url + path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    if (!res.ok) throw new Error(`Orthanc POST ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const sopClassesInStudy = async (studyInstanceUid: string) => {
    const ids = await post<string[]>('/tools/find', { Level: 'Instance', Query: { StudyInstanceUID: studyInstanceUid } });
    const out: Array<{ sopInstanceUid: string; sopClassUid: string }> = [];
    for (const id of ids) {
      const tags = await get<Record<string, string>>(`/instances/${id}/simplified-tags`);
      out.push({ sopInstanceUid: tags.SOPInstanceUID ?? '', sopClassUid: tags.SOPClassUID ?? '' });
    }
    return out;
  };
  try {
    await waitFor('Orthanc to answer on its REST API', async () => {
      if (process.child.exitCode !== null) throw new Error(`Orthanc exited (${process.child.exitCode}): ${process.output().slice(-2000)}`);
      return (await fetch(`${url}/system`)).ok;
    }, 30_000);
  } catch (err) {
    await process.stop();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Orthanc did not start: ${(err as Error).message}\n${process.output().slice(-2000)}`);
  }
  return {
    aeTitle,
    dicomPort,
    httpPort,
    url,
    dicomWebUrl: `${url}/dicom-web`,
    pid: process.pid,
    process,
    get,
    post,
    sopClassesInStudy,
    async stop() {
      await process.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
