import { existsSync } from 'node:fs';
import { type VideoSource, createVideoSource, parseSource } from '@ocellus/video';
import { CliError } from '../errors.js';

export interface SourceSettings {
  readonly ffmpegPath: string;
  readonly width: number | undefined;
  readonly maxPixels: number | undefined;
}

/**
 * Checks every URI before anything starts (an unknown scheme is core's named error, a missing file a
 * CliError naming it), both exit 1.
 */
export function checkSources(uris: readonly string[]): void {
  for (const uri of uris) {
    const spec = parseSource(uri, { timeoutMs: 10_000 });
    if (spec.kind === 'file') {
      const path = spec.inputArgs[spec.inputArgs.length - 1]!.replace(/^file:/, '');
      if (!existsSync(path)) throw new CliError(`stream: no such file: '${uri}'`);
    }
  }
}

/**
 * Starts every source and waits until all are open. `started` gets each one as soon as it exists, so
 * the caller can close them all whatever happens (one failing to open, Ctrl-C meanwhile).
 */
export async function openSources(uris: readonly string[], s: SourceSettings, started: VideoSource[]): Promise<void> {
  for (const uri of uris) {
    started.push(
      createVideoSource(uri, {
        ffmpegPath: s.ffmpegPath,
        ...(s.width === undefined ? {} : { width: s.width }),
        ...(s.maxPixels === undefined ? {} : { maxPixels: s.maxPixels }),
        // live: a few frames of slack, then the oldest go (counted as the source's drops)
        bufferFrames: 4,
        openTimeoutMs: 10_000,
      }),
    );
  }
  const opened = await Promise.allSettled(started.map((src) => src.opened()));
  const failed = opened.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
