import { OcellusError } from '../errors.js';

/** A submitter's queue was full and its policy is 'reject'. */
export class QueueFullError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_QUEUE_FULL';
  constructor(message: string) {
    super(QueueFullError.CODE, message);
  }
}

/** A queued job was dropped to make room for a newer one (policy 'drop-oldest'). */
export class JobDroppedError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_JOB_DROPPED';
  constructor(message: string) {
    super(JobDroppedError.CODE, message);
  }
}

/** A job waited in the queue longer than its submitter's queue timeout (onTimeout 'reject'). */
export class QueueTimeoutError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_QUEUE_TIMEOUT';
  constructor(message: string) {
    super(QueueTimeoutError.CODE, message);
  }
}

/** A job was not finished by its deadline. */
export class DeadlineExceededError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_DEADLINE_EXCEEDED';
  constructor(message: string) {
    super(DeadlineExceededError.CODE, message);
  }
}

/** A job was cancelled through its AbortSignal; `cause` is the signal's reason. */
export class JobAbortedError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_JOB_ABORTED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(JobAbortedError.CODE, message, options);
  }
}

/** One run of a job took longer than the run timeout (counted as a failure of its lane). */
export class JobTimeoutError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_JOB_TIMEOUT';
  constructor(message: string) {
    super(JobTimeoutError.CODE, message);
  }
}

/** A job is pinned to a lane that does not exist, was removed or is evicted. */
export class LaneUnavailableError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_LANE_UNAVAILABLE';
  constructor(message: string) {
    super(LaneUnavailableError.CODE, message);
  }
}

/** The reason a run is aborted when its lane is evicted; the job itself is re-queued, not rejected. */
export class LaneEvictedError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_LANE_EVICTED';
  constructor(message: string) {
    super(LaneEvictedError.CODE, message);
  }
}

/** A lane's known-answer check failed (wrong bytes, an error, or no answer within its timeout). */
export class HealthCheckError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_HEALTH_CHECK';
  constructor(message: string, options?: { cause?: unknown }) {
    super(HealthCheckError.CODE, message, options);
  }
}

/** A job needs more memory than any lane has. */
export class InsufficientMemoryError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_INSUFFICIENT_MEMORY';
  constructor(message: string) {
    super(InsufficientMemoryError.CODE, message);
  }
}

/** Whether an error means the device is gone: a DisposedError, or any error with `fatal: true`. */
export function isFatal(err: unknown): boolean {
  const e = err as { fatal?: unknown; code?: unknown } | null;
  return !!e && typeof e === 'object' && (e.fatal === true || e.code === 'ERR_OCELLUS_DISPOSED');
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
