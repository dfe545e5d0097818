import type { Device } from '../backend/device.js';
import { BackendUnavailableError } from '../errors.js';
import { openDevice } from '../backend/registry.js';
import { formatShape } from '../tensor/shape.js';
import type { ConformanceCase } from './case.js';
import { CONFORMANCE_CASES } from './cases.js';
import { compareArrays } from './compare.js';

export interface CaseResult {
  readonly case: ConformanceCase;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly reason?: string;
}

/** Runs one case on `device` and on the CPU reference `reference`, and compares every output. */
export async function runCase(device: Device, reference: Device, c: ConformanceCase): Promise<CaseResult> {
  if (!device.context.supports(c.op)) {
    return { case: c, status: 'skip', reason: `${device.backend} has no kernel for '${c.op}'` };
  }
  const inputs = c.inputs();
  const [expected, actual] = await Promise.all(
    [reference, device].map(async (d) => {
      const ins = inputs.map((h) => d.tensor(h.data, h.shape, h.dtype));
      const outs = d.run(c.op, ins, c.attrs);
      try {
        return await Promise.all(outs.map(async (t) => ({ shape: t.shape, dtype: t.dtype, data: await t.data() })));
      } finally {
        for (const t of [...ins, ...outs]) t.dispose();
      }
    }),
  );
  for (let i = 0; i < expected!.length; i++) {
    const e = expected![i]!;
    const a = actual![i]!;
    const label = `${c.op} (${c.name}) output ${i}`;
    if (formatShape(e.shape) !== formatShape(a.shape) || e.dtype !== a.dtype) {
      return fail(c, `${label}: expected ${e.dtype}${formatShape(e.shape)}, got ${a.dtype}${formatShape(a.shape)}`);
    }
    const cmp = compareArrays(e.data, a.data, e.dtype, c.tolerance);
    if (!cmp.ok) {
      const f = cmp.first;
      return fail(
        c,
        `${label}: ${cmp.mismatches}/${cmp.total} elements outside atol=${c.tolerance.atol}` +
          ` rtol=${c.tolerance.rtol ?? 0} (allowed fraction ${c.tolerance.mismatchFraction ?? 0}), max ` +
          `diff ${cmp.maxDiff}` +
          (f ? `; first at ${f.index}: expected ${f.expected}, got ${f.actual}` : ''),
      );
    }
  }
  return { case: c, status: 'pass' };
}

function fail(c: ConformanceCase, reason: string): CaseResult {
  return { case: c, status: 'fail', reason };
}

/** Minimal test-runner surface (vitest, jest and mocha all fit), so core does not depend on one. */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  it: ((name: string, fn: () => Promise<void> | void) => void) & { skip(name: string, fn?: () => void): void };
  afterAll(fn: () => Promise<void> | void): void;
}

export interface DescribeOptions {
  /** Backend/device spec for openDevice ('vulkan', 'webgpu:0'), or a function that opens the device. */
  device: string | (() => Promise<Device>);
  cases?: readonly ConformanceCase[];
}

/**
 * Declares one test per conformance case against the CPU reference (the tfjs describeWithFlags idea).
 * Call it with top-level await. Where the device cannot be opened, every case is declared skipped with
 * the reason in its title, and the reason is printed once with the count.
 */
export async function describeConformance(api: TestApi, options: DescribeOptions): Promise<void> {
  const cases = options.cases ?? CONFORMANCE_CASES;
  const label = typeof options.device === 'string' ? options.device : 'device';
  let device: Device | undefined;
  let reason = '';
  try {
    device = typeof options.device === 'string' ? await openDevice(options.device) : await options.device();
  } catch (err) {
    if (!(err instanceof BackendUnavailableError)) throw err;
    reason = err.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ') || err.message;
  }
  const reference = device ? await openDevice('cpu', { discover: false }) : undefined;
  api.describe(`conformance on ${device ? device.id : label}`, () => {
    if (!device || !reference) {
      console.warn(`[ocellus conformance] ${cases.length} cases skipped on '${label}': ${reason}`);
      for (const c of cases) api.it.skip(`${c.op}: ${c.name} (skipped: ${reason})`);
      return;
    }
    api.afterAll(async () => {
      await device.close();
      await reference.close();
    });
    for (const c of cases) {
      if (!device.context.supports(c.op)) {
        const why = `${device.backend} has no kernel for '${c.op}'`;
        console.warn(`[ocellus conformance] skipped ${c.op}: ${c.name}: ${why}`);
        api.it.skip(`${c.op}: ${c.name} (skipped: ${why})`);
        continue;
      }
      api.it(`${c.op}: ${c.name}`, async () => {
        const r = await runCase(device, reference, c);
        if (r.status === 'fail') throw new Error(r.reason);
      });
    }
  });
}

export { CONFORMANCE_CASES };
