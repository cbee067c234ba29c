import { CoreError } from '../api/envelope.js';
import { NetworkSettingsSchema, type NetworkSettings, type RemoteNode } from '../api/network.js';
import type { SettingsRepository } from '../db/settingsRepository.js';
import type { ReceiverConfig } from './receiver.js';
import { acceptedStorageClasses } from './storageClasses.js';

const KEY = 'network';
const DEFAULTS: NetworkSettings = NetworkSettingsSchema.parse({});

/** The network node's settings, one JSON value in the settings table (a value that no longer fits reads as defaults). */
export class NetworkSettingsStore {
  constructor(private readonly settings: SettingsRepository) {}

  get(): NetworkSettings {
    return this.settings.get(KEY, NetworkSettingsSchema, DEFAULTS);
  }

  set(value: NetworkSettings): NetworkSettings {
    const parsed = NetworkSettingsSchema.parse(value);
    const names = new Set<string>();
    for (const n of parsed.nodes) {
      const key = n.name.toLowerCase();
      if (names.has(key)) throw new CoreError('conflict', `two nodes are named "${n.name}"`);
      names.add(key);
    }
    if (parsed.sendOnSign.enabled && !parsed.nodes.some((n) => n.name === parsed.sendOnSign.node)) {
      throw new CoreError('invalid_input', 'send on sign needs one of the configured nodes');
    }
    this.settings.set(KEY, parsed);
    return parsed;
  }

  node(name: string): RemoteNode {
    const node = this.get().nodes.find((n) => n.name.toLowerCase() === name.toLowerCase());
    if (!node) throw new CoreError('not_found', `no DICOM node named "${name}" (cxr dicom nodes lists them)`);
    return node;
  }
}

/** The receiver's configuration from the settings and any overrides (`cxr dicom listen --aet/--port/--bind`). */
export function receiverConfig(s: NetworkSettings, overrides: { aeTitle?: string; port?: number; bind?: string } = {}): ReceiverConfig {
  return {
    aeTitle: overrides.aeTitle ?? s.receiver.aeTitle,
    port: overrides.port ?? s.receiver.port,
    bind: overrides.bind ?? s.receiver.bind,
    acceptAnyCaller: s.receiver.acceptAnyCaller,
    checkCalledAeTitle: s.receiver.checkCalledAeTitle,
    knownCallers: new Set(s.nodes.filter((n) => n.kind === 'dimse').map((n) => n.aeTitle)),
    storageClasses: acceptedStorageClasses(s.receiver.extraStorageClasses),
  };
}
