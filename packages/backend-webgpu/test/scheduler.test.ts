/**
 * The scheduler over a real WebGPU lane (SwiftShader here) beside the CPU reference and a faulty
 * fault-injection lane: the known-answer check passes on WebGPU, a failing lane is evicted, every job
 * ends once with the CPU reference's bytes.
 */
import { Scheduler, grayscale, openDevice, registerBackend } from '@ocellus/core';
import { describe, expect, it } from 'vitest';
import { createFaultyBackend } from '../../../fixtures/ocellus-backend-faulty/index.js';
import { expectNoLiveObjects, hasDevice, probe, same } from './helpers.js';

expectNoLiveObjects();
const note = hasDevice ? '' : ` [skipped: ${probe.reason}]`;
const PIXELS = Uint8Array.from({ length: 16 * 12 * 3 }, (_, i) => (i * 53 + 7) % 256);

describe('the scheduler with a WebGPU lane', () => {
  it.skipIf(!hasDevice)(
    `runs jobs on webgpu, cpu and a failing lane: evicted after 3, nothing lost${note}`,
    async () => {
      const faulty = createFaultyBackend({ name: 'faulty-webgpu-test', devices: 1 });
      registerBackend(faulty.backend);
      const [gpu, cpu, bad] = await Promise.all([
        openDevice('webgpu', { discover: false }),
        openDevice('cpu', { discover: false }),
        openDevice('faulty-webgpu-test:0', { discover: false }),
      ]);
      const scheduler = new Scheduler({ checkIntervalMs: 60_000, probeBackoffMs: 60_000 });
      const evicted: string[] = [];
      scheduler.on('lane-evicted', (e) => evicted.push(e.lane));
      try {
        for (const device of [gpu, cpu, bad]) scheduler.addLane({ id: device.id, device });
        // the reference bytes, computed on the CPU reference outside the scheduler
        using ref = grayscale(cpu.tensor(PIXELS, [16, 12, 3]));
        const want = (await ref.data()) as Uint8Array;
        faulty.device(0).failNext(1000);
        const ran: string[] = [];
        const jobs = Array.from({ length: 24 }, () =>
          scheduler.submit(async (lane) => {
            using t = lane.device.tensor(PIXELS, [16, 12, 3]);
            using g = grayscale(t);
            const bytes = (await g.data()) as Uint8Array;
            ran.push(lane.id);
            return bytes;
          }),
        );
        const results = await Promise.all(jobs);
        for (const r of results) expect(same(r, want)).toBe(true);
        expect(ran).toHaveLength(24);
        expect(ran).toContain(gpu.id);
        expect(ran).not.toContain(bad.id);
        expect(evicted).toEqual([bad.id]);
        const stats = scheduler.stats();
        const lane = (id: string) => stats.lanes.find((l) => l.id === id)!;
        expect(lane(bad.id).health).toBe('evicted');
        expect(lane(gpu.id).health).toBe('healthy');
        expect(lane(gpu.id).done + lane(cpu.id).done).toBe(24);
      } finally {
        await scheduler.close();
        await Promise.all([gpu.close(), cpu.close(), bad.close()]);
      }
    },
  );
});
