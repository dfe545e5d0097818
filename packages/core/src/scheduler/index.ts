export { Scheduler } from './scheduler.js';
export { percentile } from './samples.js';
export { type HealthCheck, knownAnswerCheck } from './health.js';
export {
  DeadlineExceededError,
  HealthCheckError,
  InsufficientMemoryError,
  JobAbortedError,
  JobDroppedError,
  JobTimeoutError,
  LaneEvictedError,
  LaneUnavailableError,
  QueueFullError,
  QueueTimeoutError,
  isFatal,
} from './errors.js';
export type {
  CheckRecord,
  CounterStats,
  Job,
  Lane,
  LaneHealth,
  LaneOptions,
  LaneStats,
  Percentiles,
  Priority,
  QueuePolicy,
  SchedulerEvents,
  SchedulerOptions,
  SchedulerStats,
  SubmitOptions,
  SubmitterStats,
} from './types.js';
