import { afterAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../cpu/plugin.js';
import {
  type BackendPlugin,
  CONFORMANCE_CASES,
  type TensorView,
  type TestApi,
  compareArrays,
  describeConformance,
  hostData,
  openDevice,
  registerBackend,
  runCase,
} from '../index.js';

/** A backend that borrows the CPU kernels but corrupts one op's output, and lacks another op. */
const faulty: BackendPlugin = {
  name: 'faulty',
  apiVersion: 1,
  probe: async () => ({ devices: [{ backend: 'faulty', index: 0, name: 'Faulty', type: 'virtual' }] }),
  open: async (device) => {
    const ctx = await cpuBackend.open(device);
    const run = ctx.run.bind(ctx);
    return Object.assign(ctx, {
      supports: (op: string) => op !== 'canny',
      run(
        op: string,
        inputs: readonly TensorView[],
        outputs: readonly TensorView[],
        attrs: Readonly<Record<string, unknown>>,
      ) {
        run(op, inputs, outputs, attrs);
        if (op === 'swapRB') {
          const out = hostData(outputs[0]!, 'uint8');
          out[5] = (out[5]! + 2) % 256;
        }
      },
    });
  },
};
registerBackend(faulty);

describe('conformance machinery', async () => {
  const cpu = await openDevice('cpu', { discover: false });
  const bad = await openDevice('faulty', { discover: false });
  afterAll(async () => {
    await cpu.close();
    await bad.close();
  });

  it('fails a case whose output is off, naming the element, and passes the ones that agree', async () => {
    const swap = CONFORMANCE_CASES.find((c) => c.op === 'swapRB')!;
    const r = await runCase(bad, cpu, swap);
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/swapRB \(rgb\) output 0: 1\/\d+ elements outside atol=0 .* max diff 2; first at 5/);
    const gray = CONFORMANCE_CASES.find((c) => c.op === 'grayscale')!;
    expect((await runCase(bad, cpu, gray)).status).toBe('pass');
    const canny = CONFORMANCE_CASES.find((c) => c.op === 'canny')!;
    expect(await runCase(bad, cpu, canny)).toMatchObject({
      status: 'skip',
      reason: "faulty has no kernel for 'canny'",
    });
    expect(bad.liveTensors).toBe(0);
    expect(cpu.liveTensors).toBe(0);
  });

  it('compares with atol, rtol and an allowed mismatch fraction', () => {
    const e = new Float32Array([1, 2, 3, 100]);
    expect(compareArrays(e, new Float32Array([1, 2, 3.01, 100]), 'float32', { atol: 0.001 }).ok).toBe(false);
    expect(compareArrays(e, new Float32Array([1, 2, 3, 100.5]), 'float32', { atol: 0, rtol: 0.01 }).ok).toBe(true);
    const u = new Uint8Array(100);
    const v = u.slice();
    v[3] = 255;
    expect(compareArrays(u, v, 'uint8', { atol: 0, mismatchFraction: 0.01 }).ok).toBe(true);
    v[4] = 255;
    expect(compareArrays(u, v, 'uint8', { atol: 0, mismatchFraction: 0.01 })).toMatchObject({
      ok: false,
      mismatches: 2,
    });
    expect(
      compareArrays(new Float32Array([Number.NaN]), new Float32Array([Number.NaN]), 'float32', { atol: 0 }).ok,
    ).toBe(true);
  });

  it('declares every case skipped, with the reason in the title, when the device is unavailable', async () => {
    const declared: { name: string; skipped: boolean }[] = [];
    const api: TestApi = {
      describe: (_n, fn) => fn(),
      it: Object.assign((name: string) => declared.push({ name, skipped: false }), {
        skip: (name: string) => declared.push({ name, skipped: true }),
      }),
      afterAll: () => {},
    };
    await describeConformance(api, { device: 'nosuch' });
    expect(declared).toHaveLength(CONFORMANCE_CASES.length);
    expect(declared.every((d) => d.skipped)).toBe(true);
    expect(declared[0]!.name).toMatch(/\(skipped: nosuch: not registered: install @ocellus\/backend-nosuch/);
  });
});

// The CPU reference against itself: every case must run (none skipped) and be deterministic.
await describeConformance({ describe, it, afterAll }, { device: 'cpu' });
