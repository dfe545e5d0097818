/**
 * Ctrl-C and SIGTERM. By default the process ends at once, after deleting the temp file of an output
 * being written (writes are atomic, so the target is the old file or absent), with 128 + the signal's
 * number. A long-running command (`stream`) registers a graceful stop instead: the first signal calls
 * it (the command then finishes, prints its summary and returns), a second one ends the process.
 */
import { removePendingTempFiles } from '@ocellus/core';

const CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type Signal = keyof typeof CODES;

let graceful: ((signal: Signal) => void) | undefined;
let asked = false;

/** Installs the handlers (the bin does, once). process.exit waits for inference in flight (models' run gate). */
export function handleInterrupts(): void {
  for (const signal of Object.keys(CODES) as Signal[]) {
    process.on(signal, () => {
      if (graceful && !asked) {
        asked = true;
        graceful(signal);
        return;
      }
      removePendingTempFiles();
      process.stderr.write(`ocellus: interrupted (${signal})\n`);
      process.exit(CODES[signal]);
    });
  }
}

/**
 * While `stop` is registered the first signal calls it instead of ending the process. Returns the unregister function.
 */
export function onInterrupt(stop: (signal: Signal) => void): () => void {
  graceful = stop;
  asked = false;
  return () => {
    if (graceful === stop) graceful = undefined;
  };
}
