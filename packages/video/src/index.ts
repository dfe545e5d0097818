export {
  FfmpegNotFoundError,
  FrameSizeError,
  NoVideoStreamError,
  TruncatedFrameError,
  UnknownSchemeError,
  VideoOpenError,
  VideoStreamError,
  VideoTimeoutError,
  VideoWriteError,
} from './errors.js';
export { liveFfmpegPids, resolveFfmpeg } from './process.js';
export { decodeArgs, type StreamInfo } from './session.js';
export {
  createVideoSource,
  openVideoSource,
  type ReconnectOptions,
  type VideoFrame,
  type VideoSource,
  type VideoSourceEvents,
  type VideoSourceInfo,
  type VideoSourceOptions,
  type VideoSourceState,
  type VideoSourceStats,
} from './source.js';
export { type InputOptions, parseSource, type SourceKind, type SourceSpec } from './uri.js';
export { makeTestClip, type TestClip, type TestClipOptions } from './clip.js';
export { openVideoWriter, type VideoWriter, type VideoWriterOptions } from './writer.js';
export { ffmpegEncoders } from './encoders.js';
