import { errorClass } from '../errors.js';

/** A submitter's queue was full and its policy is 'reject'. */
export const QueueFullError = errorClass('QueueFullError', 'ERR_OCELLUS_QUEUE_FULL');
export type QueueFullError = InstanceType<typeof QueueFullError>;

/** A queued job was dropped to make room for a newer one (policy 'drop-oldest'). */
export const JobDroppedError = errorClass('JobDroppedError', 'ERR_OCELLUS_JOB_DROPPED');
export type JobDroppedError = InstanceType<typeof JobDroppedError>;

/** A job waited in the queue longer than its submitter's queue timeout (onTimeout 'reject'). */
export const QueueTimeoutError = errorClass('QueueTimeoutError', 'ERR_OCELLUS_QUEUE_TIMEOUT');
export type QueueTimeoutError = InstanceType<typeof QueueTimeoutError>;

/** A job was not finished by its deadline. */
export const DeadlineExceededError = errorClass('DeadlineExceededError', 'ERR_OCELLUS_DEADLINE_EXCEEDED');
export type DeadlineExceededError = InstanceType<typeof DeadlineExceededError>;

/** A job was cancelled through its AbortSignal; `cause` is the signal's reason. */
export const JobAbortedError = errorClass('JobAbortedError', 'ERR_OCELLUS_JOB_ABORTED');
export type JobAbortedError = InstanceType<typeof JobAbortedError>;

/** One run of a job took longer than the run timeout (counted as a failure of its lane). */
export const JobTimeoutError = errorClass('JobTimeoutError', 'ERR_OCELLUS_JOB_TIMEOUT');
export type JobTimeoutError = InstanceType<typeof JobTimeoutError>;

/** A job is pinned to a lane that does not exist, was removed or is evicted. */
export const LaneUnavailableError = errorClass('LaneUnavailableError', 'ERR_OCELLUS_LANE_UNAVAILABLE');
export type LaneUnavailableError = InstanceType<typeof LaneUnavailableError>;

/** The reason a run is aborted when its lane is evicted; the job itself is re-queued, not rejected. */
export const LaneEvictedError = errorClass('LaneEvictedError', 'ERR_OCELLUS_LANE_EVICTED');
export type LaneEvictedError = InstanceType<typeof LaneEvictedError>;

/** A lane's known-answer check failed (wrong bytes, an error, or no answer within its timeout). */
export const HealthCheckError = errorClass('HealthCheckError', 'ERR_OCELLUS_HEALTH_CHECK');
export type HealthCheckError = InstanceType<typeof HealthCheckError>;

/** A job needs more memory than any lane has. */
export const InsufficientMemoryError = errorClass('InsufficientMemoryError', 'ERR_OCELLUS_INSUFFICIENT_MEMORY');
export type InsufficientMemoryError = InstanceType<typeof InsufficientMemoryError>;

/** Whether an error means the device is gone: a DisposedError, or any error with `fatal: true`. */
export function isFatal(err: unknown): boolean {
  const e = err as { fatal?: unknown; code?: unknown } | null;
  return !!e && typeof e === 'object' && (e.fatal === true || e.code === 'ERR_OCELLUS_DISPOSED');
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
