import { OcellusError, errorClass } from '@ocellus/core';

/** The ffmpeg binary (on PATH, or the `ffmpegPath` option) cannot be found or started. */
export const FfmpegNotFoundError = errorClass('FfmpegNotFoundError', 'ERR_OCELLUS_FFMPEG_NOT_FOUND');
export type FfmpegNotFoundError = InstanceType<typeof FfmpegNotFoundError>;

/** A source URI has a scheme this package does not read. */
export const UnknownSchemeError = errorClass('UnknownSchemeError', 'ERR_OCELLUS_UNKNOWN_SCHEME');
export type UnknownSchemeError = InstanceType<typeof UnknownSchemeError>;

/** ffmpeg could not open the source; `stderr` holds ffmpeg's last lines (its own reason). */
export class VideoOpenError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_VIDEO_OPEN';
  readonly stderr: readonly string[];
  constructor(message: string, stderr: readonly string[] = []) {
    super(VideoOpenError.CODE, message);
    this.stderr = stderr;
  }
}

/** The source opened but holds no video stream (an audio-only file, say). */
export class NoVideoStreamError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_NO_VIDEO_STREAM';
  readonly stderr: readonly string[];
  constructor(message: string, stderr: readonly string[] = []) {
    super(NoVideoStreamError.CODE, message);
    this.stderr = stderr;
  }
}

/** Opening took longer than `openTimeoutMs`, or no frame came for `stallTimeoutMs` (files). */
export class VideoTimeoutError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_VIDEO_TIMEOUT';
  readonly stderr: readonly string[];
  constructor(message: string, stderr: readonly string[] = []) {
    super(VideoTimeoutError.CODE, message);
    this.stderr = stderr;
  }
}

/** ffmpeg failed after the source was open (and the source is not live, or reconnects are exhausted). */
export class VideoStreamError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_VIDEO_STREAM';
  readonly stderr: readonly string[];
  constructor(message: string, stderr: readonly string[] = []) {
    super(VideoStreamError.CODE, message);
    this.stderr = stderr;
  }
}

/** The stream ended in the middle of a frame; the partial frame is reported, never delivered. */
export class TruncatedFrameError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_TRUNCATED_FRAME';
  /** Bytes of the last frame that did arrive, and the bytes a whole frame has. */
  readonly receivedBytes: number;
  readonly frameBytes: number;
  constructor(message: string, receivedBytes: number, frameBytes: number) {
    super(TruncatedFrameError.CODE, message);
    this.receivedBytes = receivedBytes;
    this.frameBytes = frameBytes;
  }
}

/** A frame size is over `maxPixels`, not a positive size, or changed in the middle of a stream. */
export const FrameSizeError = errorClass('FrameSizeError', 'ERR_OCELLUS_FRAME_SIZE');
export type FrameSizeError = InstanceType<typeof FrameSizeError>;

/** The video writer's ffmpeg failed, or the writer was used after close()/abort(). */
export class VideoWriteError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_VIDEO_WRITE';
  readonly stderr: readonly string[];
  constructor(message: string, stderr: readonly string[] = []) {
    super(VideoWriteError.CODE, message);
    this.stderr = stderr;
  }
}
