import { BackendExistsError, BackendUnavailableError, BackendVersionError, InvalidBackendError } from '../errors.js';
import { Device, type SkippedBackend } from './device.js';
import { processGlobal } from '../global.js';
import { discoverBackends } from './discover.js';
import { type BackendPlugin, type DeviceInfo, PLUGIN_API_VERSION, type ProbeResult } from './plugin.js';

interface Entry {
  readonly plugin: BackendPlugin;
  readonly priority: number;
  probe?: Promise<ProbeResult>;
}

const backends = processGlobal('backends', () => new Map<string, Entry>());

export interface RegisterOptions {
  /** Higher is tried first by 'auto'. Our GPU backends use 100 and up; the CPU reference is -100. */
  priority?: number;
  /** Replace a different plugin registered under the same name (otherwise BackendExistsError). */
  replace?: boolean;
}

/**
 * Adds a backend. Throws if the plugin speaks another plugin API version or is malformed, and
 * (BackendExistsError) if another plugin holds the name, `cpu` included, unless `replace: true`:
 * no package can silently take over a backend the application relies on. Registering the same
 * plugin object again only updates its priority.
 */
export function registerBackend(plugin: BackendPlugin, options: RegisterOptions = {}): void {
  const what = `backend plugin ${JSON.stringify((plugin as { name?: unknown })?.name ?? '(unnamed)')}`;
  if (!plugin || typeof plugin.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(plugin.name)) {
    throw new InvalidBackendError(`${what}: 'name' must be a lower-case identifier like 'vulkan'`);
  }
  if (plugin.apiVersion !== PLUGIN_API_VERSION) {
    throw new BackendVersionError(
      `${what} was built against @ocellus/core plugin API v${plugin.apiVersion}, but this @ocellus/core ` +
        `speaks v${PLUGIN_API_VERSION}: ` +
        `install versions of the two packages that match`,
    );
  }
  if (typeof plugin.probe !== 'function' || typeof plugin.open !== 'function') {
    throw new InvalidBackendError(`${what} must implement probe() and open(device)`);
  }
  const existing = backends.get(plugin.name);
  if (existing && existing.plugin !== plugin && !options.replace) {
    throw new BackendExistsError(
      `${what}: a backend named '${plugin.name}' is registered already: pass { replace: true } to replace it, ` +
        `or unregisterBackend('${plugin.name}') first`,
    );
  }
  if (existing && existing.plugin === plugin) {
    if (options.priority !== undefined) backends.set(plugin.name, { ...existing, priority: options.priority });
    return;
  }
  backends.set(plugin.name, { plugin, priority: options.priority ?? 0 });
}

/** Whether a backend of that name is registered. */
export function hasBackend(name: string): boolean {
  return backends.has(name);
}

export function unregisterBackend(name: string): boolean {
  return backends.delete(name);
}

/** Registered backends, highest priority first. */
export function listBackends(): { name: string; priority: number; plugin: BackendPlugin }[] {
  return [...backends.values()]
    .sort((a, b) => b.priority - a.priority)
    .map((e) => ({ name: e.plugin.name, priority: e.priority, plugin: e.plugin }));
}

/** Probes a backend once per process (pass refresh to ask again). A probe that throws counts as unavailable. */
export function probeBackend(name: string, options: { refresh?: boolean } = {}): Promise<ProbeResult> {
  const entry = backends.get(name);
  if (!entry) return Promise.resolve({ devices: [], reason: `backend '${name}' is not registered` });
  if (!entry.probe || options.refresh) {
    entry.probe = entry.plugin.probe().then(
      (r) => (r.devices.length || r.reason ? r : { devices: [], reason: 'the backend reported no devices' }),
      (err: unknown) => ({ devices: [], reason: `probe failed: ${err instanceof Error ? err.message : String(err)}` }),
    );
  }
  return entry.probe;
}

export interface SelectOptions {
  /** Look for installed backend packages first (once per process). Default true. */
  discover?: boolean;
}

export interface Selection {
  readonly plugin: BackendPlugin;
  readonly device: DeviceInfo;
  readonly skipped: readonly SkippedBackend[];
}

/**
 * Picks a device. `spec` is 'auto' (every registered backend by priority, the CPU reference last; devices
 * that are CPU emulations of a GPU API are passed over in favour of the CPU reference),
 * a backend name ('vulkan'), a device ('vulkan:1'), or a fallback chain ('webgpu,vulkan,cpu').
 * Every backend passed over is recorded with its reason; if none fits, the error lists them all.
 */
export async function selectBackend(spec = 'auto', options: SelectOptions = {}): Promise<Selection> {
  if (options.discover ?? true) await discoverBackends();
  const chain =
    spec === 'auto'
      ? listBackends().map((b) => ({ name: b.name, index: undefined as number | undefined }))
      : spec.split(',').map(parseDeviceSpec);
  const skipped: SkippedBackend[] = [];
  for (const { name, index } of chain) {
    const entry = backends.get(name);
    if (!entry) {
      skipped.push({
        backend: name,
        reason: `not registered: install @ocellus/backend-${name} or register the plugin`,
      });
      continue;
    }
    const probe = await probeBackend(name);
    const candidates =
      spec === 'auto' && name !== 'cpu' ? probe.devices.filter((d) => d.type !== 'cpu') : probe.devices;
    const device = index === undefined ? candidates[0] : candidates.find((d) => d.index === index);
    if (!device && candidates.length < probe.devices.length) {
      // A software rasteriser (lavapipe, SwiftShader) is a CPU too, and slower than the CPU reference.
      const emulated = probe.devices.map((d) => d.name).join(', ');
      skipped.push({
        backend: name,
        reason: `only CPU-emulated devices (${emulated}); 'auto' prefers the cpu backend: select '${name}' to use them`,
      });
      continue;
    }
    if (!device) {
      const why =
        index !== undefined && probe.devices.length
          ? `has no device ${index} (it has ${probe.devices.length})`
          : probe.reason;
      skipped.push({ backend: index === undefined ? name : `${name}:${index}`, reason: why ?? 'no devices' });
      continue;
    }
    return { plugin: entry.plugin, device, skipped };
  }
  const list = skipped.map((s) => `  ${s.backend}: ${s.reason}`).join('\n');
  throw new BackendUnavailableError(`no backend available for '${spec}':\n${list}`, skipped);
}

/** Selects a device (see selectBackend) and opens it. */
export async function openDevice(spec = 'auto', options: SelectOptions = {}): Promise<Device> {
  const { plugin, device, skipped } = await selectBackend(spec, options);
  return new Device(await plugin.open(device), skipped);
}

function parseDeviceSpec(part: string): { name: string; index: number | undefined } {
  const m = /^\s*([a-z][a-z0-9-]*)(?::(\d+))?\s*$/.exec(part);
  if (!m) {
    throw new BackendUnavailableError(
      `invalid backend '${part}': use 'auto', a backend name like 'cpu', a device like 'vulkan:1', or a ` +
        'comma-separated chain',
    );
  }
  return { name: m[1]!, index: m[2] === undefined ? undefined : Number(m[2]) };
}
