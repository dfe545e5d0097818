/**
 * Writing an output file atomically: a temp file beside the target (same directory, so rename cannot
 * cross a file system), flushed, then renamed over it. Readers see the old file or the whole new one.
 * - The destination is checked first (`checkOutputPath`), so a command can refuse a missing directory
 *   before doing its work, and errors name the target, never the temp file.
 * - Temp names are short (`.ocl-<hex>.tmp`): a valid 250-character target name must not fail with
 *   ENAMETOOLONG because of what was appended to it.
 * - A symlink target is written through: its file is replaced and the link kept.
 * - Temp files in progress are listed process-wide: `removePendingTempFiles()` deletes them (a CLI calls
 *   it from its SIGINT/SIGTERM handler), and they are deleted at process exit. The library installs no
 *   signal handler itself.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, readlinkSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { errorClass } from '../errors.js';
import { processGlobal } from '../global.js';

/** An output path cannot be written: its directory is missing, it is a directory, or permission is denied. */
export const OutputPathError = errorClass('OutputPathError', 'ERR_OCELLUS_OUTPUT_PATH');
export type OutputPathError = InstanceType<typeof OutputPathError>;

const pending = processGlobal('pendingTempFiles', () => new Set<string>());
let exitHookInstalled = false;

/** Deletes every temp file of a write in progress (synchronous: safe in a signal or exit handler). */
export function removePendingTempFiles(): void {
  for (const temp of pending) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or removed
    }
  }
  pending.clear();
}

/**
 * The real file a write to `path` replaces (a symlink's target), after checking that it can be written:
 * its directory exists and is a directory, and the path is not a directory. Throws OutputPathError.
 */
export function checkOutputPath(path: string, what = 'output'): string {
  if (typeof path !== 'string' || path === '') throw new OutputPathError(`${what} path is empty: give a file name`);
  let target = resolve(path);
  try {
    if (lstatSync(target).isSymbolicLink()) {
      try {
        target = realpathSync(target);
      } catch {
        // a dangling link: write the file it names
        target = resolve(dirname(target), readlinkSync(target));
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new OutputPathError(`cannot write ${what} '${path}': ${(err as Error).message}`, { cause: err });
    }
  }
  const dir = dirname(target);
  let dirStat: ReturnType<typeof statSync> | undefined;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new OutputPathError(
      `cannot write ${what} '${path}': its directory '${dirname(path)}' does not exist: create it first`,
    );
  }
  if (!dirStat.isDirectory()) {
    throw new OutputPathError(`cannot write ${what} '${path}': '${dirname(path)}' is not a directory`);
  }
  try {
    if (statSync(target).isDirectory()) {
      throw new OutputPathError(`cannot write ${what} '${path}': it is a directory: give a file name`);
    }
  } catch (err) {
    if (err instanceof OutputPathError) throw err;
  }
  return target;
}

/** Writes `bytes` to `path` atomically (see the module comment). Errors are OutputPathError naming `path`. */
/** A temp file reserved beside an output: its path, the real target, and `release()` once renamed or removed. */
export interface TempFile {
  readonly target: string;
  readonly temp: string;
  release(): void;
}

/**
 * Reserves the temp path of an output written in place and renamed at the end (writeFileAtomic, or a
 * writer that streams, such as ffmpeg): the destination checked first, a short name beside the target
 * (`.ocl-<hex>` + `extension`, default `.tmp`; keep the target's when a tool picks its format by it),
 * on the process-wide list that exit and removePendingTempFiles() clean until `release()`.
 */
export function reserveTempFile(path: string, what = 'output', extension = '.tmp'): TempFile {
  const target = checkOutputPath(path, what);
  const temp = join(dirname(target), `.ocl-${randomBytes(6).toString('hex')}${extension}`);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', removePendingTempFiles);
  }
  pending.add(temp);
  return { target, temp, release: () => pending.delete(temp) };
}

export async function writeFileAtomic(path: string, bytes: Uint8Array, what = 'output'): Promise<void> {
  const { target, temp, release } = reserveTempFile(path, what);
  try {
    const handle = await open(temp, 'wx'); // wx: never write through someone else's file or symlink
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => {});
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES'
        ? 'permission denied'
        : code === 'ENOSPC'
          ? 'no space left on the device'
          : (err as Error).message;
    throw new OutputPathError(`cannot write ${what} '${path}': ${why}`, { cause: err });
  } finally {
    release();
  }
}
