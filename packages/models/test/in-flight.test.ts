/**
 * Ending inference while a run is in flight: dispose(), process.exit() and a worker that dies must
 * never abort the process. onnxruntime-node aborts it (SIGABRT) when its worker is terminated inside
 * run(); the pool's run gate prevents that. Each case runs in a child process so an abort is seen as
 * the child's signal, not as a crashed test runner.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { slowModel } from '../src/engine/tiny-onnx.js';

const CHILD = resolve(__dirname, 'fixtures/in-flight-child.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ocellus-in-flight-'));
const model = join(dir, 'slow.onnx');
writeFileSync(model, slowModel(1024, 12));
const IMAGES = resolve(__dirname, '../../../../shared/images');
const photo = join(IMAGES, readdirSync(IMAGES).find((f) => f.endsWith('.jpg')) as string);
const page = join(IMAGES, 'opencv_imageTextN.png');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function child(...args: string[]): { status: number | null; signal: string | null; out: unknown; stderr: string } {
  const r = spawnSync(process.execPath, [CHILD, ...args], { encoding: 'utf8', timeout: 120_000 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  let out: unknown;
  try {
    out = JSON.parse(line);
  } catch {
    out = line;
  }
  return { status: r.status, signal: r.signal, out, stderr: r.stderr };
}

describe('inference in flight', () => {
  it('dispose() during a run rejects every request with DisposedError and ends cleanly', () => {
    const r = child('dispose', model);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const results = r.out as { runs: string[]; disposeMs: number }[];
    expect(results).toHaveLength(3);
    for (const { runs } of results) expect(runs).toEqual(['ERR_OCELLUS_DISPOSED', 'ERR_OCELLUS_DISPOSED']);
  });

  it('process.exit() during runs on two sessions exits with its own code, not SIGABRT', () => {
    const r = child('exit', model);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.out).toEqual({ exiting: 2 });
    expect(r.stderr).not.toMatch(/terminate called/);
  });

  it('a worker that dies mid-run rejects only its own request; the pool replaces it', () => {
    const r = child('crash', model);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.out).toEqual({ a: 'ERR_OCELLUS_WORKER_CRASH', b: 'ok', after: 'ok', broken: null });
  });

  it('a ResNet-50 classifier disposed while it classifies rejects pending runs, no abort', () => {
    const r = child('classifier', model, photo);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const results = r.out as { runs: string[] }[];
    expect(results).toHaveLength(3);
    for (const { runs } of results) {
      for (const s of runs) expect(['ok', 'ERR_OCELLUS_DISPOSED']).toContain(s);
      expect(runs).toContain('ERR_OCELLUS_DISPOSED');
    }
  });

  it('OCR disposed while it reads a page rejects pending runs, no abort', () => {
    const r = child('ocr', model, page);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const results = r.out as { runs: string[] }[];
    expect(results).toHaveLength(3);
    for (const { runs } of results) {
      for (const s of runs) expect(['ok', 'ERR_OCELLUS_DISPOSED']).toContain(s);
    }
    expect(results.flatMap((x) => x.runs)).toContain('ERR_OCELLUS_DISPOSED');
  });
});
