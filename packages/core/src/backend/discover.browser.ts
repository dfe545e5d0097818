/**
 * Package discovery for the browser build (tsup swaps it in for discover.ts): a page has no
 * node_modules to scan, so it registers its backends itself and discovery finds nothing.
 */
import type { DiscoveryReport } from './discover.js';

export function discoverBackends(_options: { paths?: readonly string[] } = {}): Promise<DiscoveryReport> {
  return Promise.resolve({ loaded: [], failed: [], skipped: [] });
}
