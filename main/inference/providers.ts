/**
 * Execution providers, in order of preference. Which are candidates depends on what the onnxruntime-node build for
 * this platform offers (`listSupportedBackends`); a GPU provider that is listed may still fail to create a session
 * (no driver, no adapter), in which case the next one is tried and CPU is always last.
 */
export const PROVIDER_PREFERENCE = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDER_PREFERENCE)[number];

/** `auto` lets the platform decide; a named provider is tried first, with CPU as the fallback. */
export type ProviderSetting = 'auto' | ProviderName;

/**
 * The providers to try, in order. `offered` is the list the runtime reports for this platform.
 * With a named setting, that provider goes first even when the runtime does not list it (so the failure reason is
 * logged rather than silently ignored), then CPU.
 */
export function providerCandidates(setting: ProviderSetting, offered: readonly string[]): ProviderName[] {
  if (setting !== 'auto') return setting === 'cpu' ? ['cpu'] : [setting, 'cpu'];
  const list = PROVIDER_PREFERENCE.filter((p) => p === 'cpu' || offered.includes(p));
  return list;
}
