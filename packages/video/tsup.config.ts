import { defineConfig } from 'tsup';
import { nodeLibrary } from '../../tsup.shared.js';

export default defineConfig(nodeLibrary());
