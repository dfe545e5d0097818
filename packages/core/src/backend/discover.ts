import { readFile, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { processGlobal } from '../global.js';
import type { BackendPlugin } from './plugin.js';
import { listBackends, probeBackend, registerBackend } from './registry.js';

/**
 * A package is an Ocellus backend when its package.json says so:
 *   "ocellus": { "backend": "./dist/index.js", "priority": 100 }
 * (the entry exports the plugin as `backend` or as default). Packages named @ocellus/backend-* are
 * backends too; their entry is the package's main. Third parties only need the package.json field.
 */
export interface BackendPackageField {
  backend: string | true;
  priority?: number;
}

export interface DiscoveryReport {
  readonly loaded: { package: string; backend: string }[];
  readonly failed: { package: string; reason: string }[];
  /** Backend packages not registered because a backend of that name already is (registered first wins). */
  readonly skipped: { package: string; backend: string; reason: string }[];
}

/** The backends this project publishes, so `ocellus devices` can say how to get a missing one. */
export const OFFICIAL_BACKENDS = ['cuda', 'rocm', 'vulkan', 'webgpu'] as const;

const discovery = processGlobal('discovery', () => ({ run: undefined as Promise<DiscoveryReport> | undefined }));

/**
 * Finds the backend packages the application depends on and registers them. The application is the
 * nearest package.json above each of `paths` (default: the working directory and the running
 * script's directory); its dependencies, optionalDependencies, devDependencies and peerDependencies
 * are looked up as Node resolves them (node_modules of that directory and its parents). Nothing else
 * is loaded: a package that merely sits in some node_modules up the tree is not the application's
 * choice. Never throws: a package that fails to load is reported in `failed` with the reason. Without
 * `paths` it runs once per process.
 */
export function discoverBackends(options: { paths?: readonly string[] } = {}): Promise<DiscoveryReport> {
  if (options.paths) return discover(options.paths);
  discovery.run ??= discover(defaultPaths());
  return discovery.run;
}

function defaultPaths(): string[] {
  const paths = [process.cwd()];
  if (process.argv[1]) paths.push(dirname(process.argv[1]));
  return paths;
}

async function discover(paths: readonly string[]): Promise<DiscoveryReport> {
  const report: DiscoveryReport = { loaded: [], failed: [], skipped: [] };
  const seen = new Set<string>();
  for (const app of await applications(paths)) {
    for (const name of app.dependencies) {
      const found = await resolvePackage(app.dir, name);
      if (!found) continue;
      const real = await realpath(found.dir).catch(() => found.dir);
      if (seen.has(real)) continue;
      seen.add(real);
      await loadIfBackend(real, found.manifest as PackageManifest, report);
    }
  }
  return report;
}

interface Application {
  readonly dir: string;
  readonly dependencies: readonly string[];
}

/** The nearest package.json above each path, once each, with every dependency it declares. */
async function applications(paths: readonly string[]): Promise<Application[]> {
  const apps = new Map<string, Application>();
  for (const start of paths) {
    let dir = resolve(start);
    for (;;) {
      const manifest = await readJson(join(dir, 'package.json'));
      if (manifest) {
        if (!apps.has(dir)) {
          const fields = ['dependencies', 'optionalDependencies', 'devDependencies', 'peerDependencies'] as const;
          const names = fields.flatMap((f) => Object.keys((manifest[f] as Record<string, string> | undefined) ?? {}));
          apps.set(dir, { dir, dependencies: [...new Set(names)] });
        }
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return [...apps.values()];
}

/** Where Node would find package `name` from `dir`: the first node_modules/<name> with a package.json. */
async function resolvePackage(
  dir: string,
  name: string,
): Promise<{ dir: string; manifest: Record<string, unknown> } | undefined> {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    const manifest = await readJson(join(candidate, 'package.json'));
    if (manifest) return { dir: candidate, manifest };
    if (dirname(d) === d) return undefined;
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

type PackageManifest = { name?: string; main?: string; exports?: unknown; ocellus?: BackendPackageField };

/** Registers the package's backend when its manifest (read once, by resolvePackage) declares one. */
async function loadIfBackend(pkgDir: string, pkg: PackageManifest, report: DiscoveryReport): Promise<void> {
  const name = pkg.name ?? pkgDir;
  const field = pkg.ocellus?.backend;
  if (!field && !name.startsWith('@ocellus/backend-')) return;
  try {
    const entry = typeof field === 'string' ? join(pkgDir, field) : join(pkgDir, pkg.main ?? 'index.js');
    const mod = (await import(pathToFileURL(entry).href)) as { backend?: BackendPlugin; default?: unknown };
    const plugin = (mod.backend ??
      (mod.default as { backend?: BackendPlugin })?.backend ??
      mod.default) as BackendPlugin;
    const taken = listBackends().find((b) => b.name === plugin?.name);
    if (taken && taken.plugin !== plugin) {
      report.skipped.push({
        package: name,
        backend: plugin.name,
        reason: `a backend named '${plugin.name}' is registered already`,
      });
      return;
    }
    registerBackend(plugin, { priority: pkg.ocellus?.priority ?? 0 });
    report.loaded.push({ package: name, backend: plugin.name });
  } catch (err) {
    report.failed.push({ package: name, reason: err instanceof Error ? err.message : String(err) });
  }
}

export interface BackendStatus {
  readonly backend: string;
  readonly available: boolean;
  readonly reason?: string;
  readonly devices: readonly import('./plugin.js').DeviceInfo[];
}

/**
 * Every known backend with its devices, or the reason it has none: the registered ones (after
 * discovery), the packages that failed to load, and our official backends that are not installed.
 */
export async function backendStatuses(options: { paths?: readonly string[] } = {}): Promise<BackendStatus[]> {
  const report = await discoverBackends(options);
  const out: BackendStatus[] = [];
  for (const { name } of listBackends()) {
    const probe = await probeBackend(name);
    out.push({
      backend: name,
      available: probe.devices.length > 0,
      ...(probe.devices.length ? {} : { reason: probe.reason }),
      devices: probe.devices,
    });
  }
  for (const f of report.failed)
    out.push({ backend: f.package, available: false, reason: `failed to load: ${f.reason}`, devices: [] });
  for (const name of OFFICIAL_BACKENDS) {
    if (out.some((s) => s.backend === name || s.backend === `@ocellus/backend-${name}`)) continue;
    out.push({
      backend: name,
      available: false,
      reason: `not installed: npm install @ocellus/backend-${name}`,
      devices: [],
    });
  }
  return out;
}
