// Read from package.json at build time (tsup inlines just this field), so `--version` cannot drift.
import { version } from '../package.json';

export const VERSION: string = version;
