/**
 * Adapter discovery in Node, in a short-lived child process. Dawn and the Vulkan drivers it loads write
 * straight to the process' stderr (a rejected lavapipe: "Vulkan shaderUniform*ArrayDynamicIndexing
 * required"; Mesa: "XDG_RUNTIME_DIR is invalid"), which no JavaScript can silence: every `ocellus`
 * command that looks for backends would print it. The child's stderr is captured instead, and becomes
 * part of the reason when no adapter is found. A context still opens Dawn in this process.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import type { ProbeResult } from '@ocellus/core';
import { type AdapterFacts, LIMITS, REQUESTS, distinctAdapters, toInfo } from './adapters.js';

interface SentAdapter {
  readonly info: GPUAdapterInfo;
  readonly features: readonly string[];
  readonly limits: Record<string, number>;
}

/** The child: the same requests as findAdapters, answered as JSON facts; exit() because Dawn keeps Node alive. */
const CHILD = `
const { create } = require(process.argv[1]);
const [requests, limitNames] = JSON.parse(process.argv[2]);
(async () => {
  const gpu = create([]);
  const out = [];
  for (const options of requests) {
    const a = await gpu.requestAdapter(options).catch(() => null);
    if (!a) { out.push(null); continue; }
    const i = a.info;
    const limits = {};
    for (const k of limitNames) limits[k] = a.limits[k];
    const info = {
      vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description,
      isFallbackAdapter: i.isFallbackAdapter,
    };
    out.push({ info, features: [...a.features], limits });
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

const facts = (a: SentAdapter): AdapterFacts => ({
  info: a.info,
  limits: a.limits as unknown as GPUSupportedLimits,
  features: new Set(a.features),
});

/** Dawn's own words (the first lines that are not Mesa's XDG noise), to append to a reason. */
function dawnSaid(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/XDG_RUNTIME_DIR/.test(l));
  return lines.length ? ` (Dawn said: ${lines.slice(0, 2).join(' ')})` : '';
}

export function probeInChild(noAdapterReason: string, loadError: () => string | undefined): Promise<ProbeResult> {
  const error = loadError();
  if (error) return Promise.resolve({ devices: [], reason: error });
  const dawnPath = createRequire(import.meta.url).resolve('webgpu');
  // Mesa's WSI complains on stderr when XDG_RUNTIME_DIR is unset; the child is given one.
  const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? tmpdir() };
  const args = ['-e', CHILD, dawnPath, JSON.stringify([REQUESTS, LIMITS])];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, timeout: 60_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      let answers: (SentAdapter | null)[];
      try {
        answers = JSON.parse(stdout) as (SentAdapter | null)[];
      } catch {
        const why = err?.killed
          ? 'timed out after 60 s'
          : (stderr.trim().split('\n')[0] ?? err?.message ?? 'no answer');
        resolve({ devices: [], reason: `WebGPU: adapter discovery failed: ${why}` });
        return;
      }
      const found = distinctAdapters(answers.map((a) => (a ? facts(a) : null)));
      if (!found.length) resolve({ devices: [], reason: noAdapterReason + dawnSaid(stderr) });
      else resolve({ devices: found.map((f, i) => toInfo(f, i, found)) });
    });
  });
}
