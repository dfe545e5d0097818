import { handleInterrupts } from './interrupt.js';
import { main } from './main.js';

handleInterrupts();

// Set exitCode instead of calling process.exit so piped stdout is flushed before the process ends.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
