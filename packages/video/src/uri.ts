import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnknownSchemeError } from './errors.js';

export type SourceKind = 'file' | 'rtsp' | 'http' | 'v4l2' | 'images';

export interface InputOptions {
  /** Input timeout (ms): RTSP `-timeout`, HTTP `-rw_timeout` (both in microseconds to ffmpeg). */
  timeoutMs: number;
  /** Frame rate of an image sequence (`-framerate`); default 25. */
  imageFps?: number;
  /** V4L2 capture settings (`-video_size`, `-framerate`, `-input_format`); the device's defaults otherwise. */
  capture?: { width?: number; height?: number; fps?: number; inputFormat?: string };
}

export interface SourceSpec {
  kind: SourceKind;
  /** Live sources drop the oldest frame when the consumer is behind and reconnect when the stream is lost. */
  live: boolean;
  /** ffmpeg arguments up to and including `-i <input>`. */
  inputArgs: string[];
}

const SCHEMES = 'file:, rtsp://, rtsps://, http://, https:// (incl. HLS .m3u8), v4l2:// or /dev/videoN';

/** Whether a path names an image sequence: a printf pattern (img%03d.png) or a glob (frames/*.png). */
function sequenceKind(path: string): 'pattern' | 'glob' | undefined {
  if (/%0?\d*d/.test(path)) return 'pattern';
  if (/[*?[]/.test(path)) return 'glob';
  return undefined;
}

/** Classifies a source URI and builds ffmpeg's input arguments for it. */
export function parseSource(uri: string, opts: InputOptions): SourceSpec {
  if (typeof uri !== 'string' || uri.trim() === '') throw new UnknownSchemeError('empty video source URI');
  const micros = String(Math.max(1, Math.round(opts.timeoutMs * 1000)));
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  // one-letter "schemes" are Windows drive letters: a path
  if (scheme === undefined || scheme.length === 1 || scheme === 'file') {
    let path = scheme === 'file' ? fileURLToPath(uri) : uri;
    if (/^\/dev\/video\d+$/.test(path)) return v4l2(path, opts);
    if (!isAbsolute(path)) path = resolve(path);
    const seq = sequenceKind(path);
    if (seq !== undefined) {
      const fps = String(opts.imageFps ?? 25);
      const glob = seq === 'glob' ? ['-pattern_type', 'glob'] : [];
      return { kind: 'images', live: false, inputArgs: ['-f', 'image2', ...glob, '-framerate', fps, '-i', path] };
    }
    // `file:` keeps ffmpeg from reading a name with a colon in it as a protocol
    return { kind: 'file', live: false, inputArgs: ['-i', `file:${path}`] };
  }
  switch (scheme) {
    case 'rtsp':
    case 'rtsps':
      return { kind: 'rtsp', live: true, inputArgs: ['-rtsp_transport', 'tcp', '-timeout', micros, '-i', uri] };
    case 'http':
    case 'https':
      return { kind: 'http', live: true, inputArgs: ['-rw_timeout', micros, '-i', uri] };
    case 'v4l2':
      return v4l2(uri.replace(/^v4l2:(\/\/)?/i, ''), opts);
    default:
      throw new UnknownSchemeError(`unknown video source scheme '${scheme}:' in ${uri}; supported: ${SCHEMES}`);
  }
}

function v4l2(device: string, opts: InputOptions): SourceSpec {
  const args = ['-f', 'v4l2'];
  const c = opts.capture ?? {};
  if (c.inputFormat !== undefined) args.push('-input_format', c.inputFormat);
  if (c.width !== undefined && c.height !== undefined) args.push('-video_size', `${c.width}x${c.height}`);
  if (c.fps !== undefined) args.push('-framerate', String(c.fps));
  args.push('-i', device);
  return { kind: 'v4l2', live: true, inputArgs: args };
}
