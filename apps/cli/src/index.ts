/** The `ocellus` command as a function, for embedding and tests: `await main(['devices', '--json'])`. */
export { main } from './main.js';
export type { Io } from './io.js';
