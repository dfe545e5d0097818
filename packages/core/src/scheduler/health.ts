import { Device } from '../backend/device.js';
import { cpuBackend } from '../cpu/plugin.js';
import { grayscale } from '../ops/grayscale.js';
import type { Tensor } from '../tensor/tensor.js';
import { HealthCheckError, describeError, isFatal } from './errors.js';
import { type Timer, now, startTimer } from './timers.js';

/** A lane's known-answer check: resolves when the lane is good, throws (or resolves false) when not. */
export type HealthCheck = (device: Device, signal: AbortSignal) => Promise<boolean | undefined> | boolean | undefined;

// A fixed 8x6 RGB image: every channel value differs, so a swapped or shifted channel shows.
const CHECK_SHAPE = [6, 8, 3] as const;
const CHECK_PIXELS = Uint8Array.from({ length: 6 * 8 * 3 }, (_, i) => (i * 53 + 17) % 256);

let reference: Promise<Uint8Array> | undefined;

/** The expected bytes: the check op computed once on the CPU reference backend. */
function referenceBytes(): Promise<Uint8Array> {
  reference ??= (async () => {
    const [info] = (await cpuBackend.probe()).devices;
    const cpu = new Device(await cpuBackend.open(info!));
    try {
      return (await grayscale(cpu.tensor(CHECK_PIXELS, [...CHECK_SHAPE])).data()) as Uint8Array;
    } finally {
      await cpu.close();
    }
  })();
  return reference;
}

/**
 * The default check: grayscale of a fixed small RGB image on the lane's device, downloaded and compared
 * byte for byte with the CPU reference's answer. Tensors are freed when the check is aborted (timeout).
 */
export const knownAnswerCheck: HealthCheck = async (device, signal) => {
  const expected = await referenceBytes();
  const tensors: Tensor[] = [];
  const free = () => {
    for (const t of tensors) t.dispose();
  };
  signal.addEventListener('abort', free, { once: true });
  try {
    const input = device.tensor(CHECK_PIXELS, [...CHECK_SHAPE]);
    tensors.push(input);
    const gray = grayscale(input);
    tensors.push(gray);
    const got = (await gray.data()) as Uint8Array;
    const bad = got.length === expected.length ? got.findIndex((v, i) => v !== expected[i]) : 0;
    if (bad >= 0) {
      throw new HealthCheckError(
        `device ${device.id} computed wrong bytes for the known-answer grayscale (first difference at byte ${bad}): ` +
          'its results cannot be trusted; check its driver or take it out of service',
      );
    }
    return true;
  } finally {
    signal.removeEventListener('abort', free);
    free();
  }
};

export interface CheckOutcome {
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: unknown;
}

/** Runs a check with a timeout; a check that does not answer in time fails (a hung device). */
export function runCheck(
  check: HealthCheck,
  device: Device,
  timeoutMs: number,
  live: Set<Timer>,
): Promise<CheckOutcome> {
  const start = now();
  const controller = new AbortController();
  return new Promise<CheckOutcome>((resolve) => {
    let done = false;
    const finish = (ok: boolean, error?: unknown) => {
      if (done) return;
      done = true;
      timer.clear();
      if (!ok) controller.abort(error);
      resolve(ok ? { ok, ms: now() - start } : { ok, ms: now() - start, error });
    };
    const timer = startTimer(
      () =>
        finish(
          false,
          new HealthCheckError(
            `device ${device.id} did not answer the health check within ${timeoutMs} ms: it may be hung; ` +
              'raise checkTimeoutMs if the device is only slow',
          ),
        ),
      timeoutMs,
      live,
    );
    Promise.resolve()
      .then(() => check(device, controller.signal))
      .then(
        (result) =>
          result === false
            ? finish(
                false,
                new HealthCheckError(`device ${device.id} failed its health check (the check returned false)`),
              )
            : finish(true),
        (err: unknown) =>
          finish(
            false,
            err instanceof HealthCheckError || isFatal(err)
              ? err
              : new HealthCheckError(`device ${device.id} failed its health check: ${describeError(err)}`, {
                  cause: err,
                }),
          ),
      );
  });
}
