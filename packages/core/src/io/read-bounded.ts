/**
 * Reading an input file with a size limit. `readFile('/dev/zero')` never ends (it grew to 12 GB in a
 * minute) and a huge regular file is read whole before anything looks at it; here a regular file is
 * checked by its size before a byte is read, a pipe is read up to the limit, and a device (character
 * or block) is refused: no model, image or dictionary comes from one.
 */
import { open } from 'node:fs/promises';
import { InputLimitError } from '../errors.js';

export interface ReadBoundedOptions {
  /** The most bytes accepted. */
  maxBytes: number;
  /** What the file is, for messages: 'image', 'model file', 'OCR dictionary'. */
  what: string;
  /** How a caller raises the limit, for the message (e.g. "pass maxBytes"). */
  raise?: string;
}

const CHUNK = 1 << 20;

/** The file's bytes; fs errors (ENOENT, EISDIR, EACCES) are thrown as they are, for the caller to name. */
export async function readBounded(path: string, options: ReadBoundedOptions): Promise<Uint8Array> {
  const { maxBytes, what } = options;
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isCharacterDevice() || stat.isBlockDevice()) {
      const kind = stat.isCharacterDevice() ? 'a character device' : 'a block device';
      throw new InputLimitError(`${what} '${path}' is ${kind}, not a file: give the path of a regular file`);
    }
    if (stat.isDirectory()) {
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
    }
    if (stat.isFile()) {
      if (stat.size > maxBytes) throw tooLarge(path, options, `${formatBytes(stat.size)}`);
      const bytes = new Uint8Array(stat.size);
      let at = 0;
      while (at < bytes.length) {
        const { bytesRead } = await handle.read(bytes, at, bytes.length - at, at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      return at === bytes.length ? bytes : bytes.subarray(0, at);
    }
    // a pipe or socket: read in chunks, stop past the limit
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(path, options, `more than ${formatBytes(maxBytes)}`);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } finally {
    await handle.close();
  }
}

function tooLarge(path: string, { maxBytes, what, raise }: ReadBoundedOptions, size: string): InputLimitError {
  return new InputLimitError(
    `${what} '${path}' is ${size}, over the limit of ${formatBytes(maxBytes)}` + (raise ? `: ${raise}` : ''),
  );
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} bytes`;
}
