import { defineConfig } from 'tsup';
import { nodeLibrary } from '../../tsup.shared.js';

// shims: import.meta.url in the CommonJS build (binding.ts finds the addon relative to the bundle).
export default defineConfig(nodeLibrary({ shims: true }));
