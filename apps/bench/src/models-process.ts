import { type ChildProcess, fork } from 'node:child_process';
import type { Measured } from './models-report.js';
import type { ChildAnswer, ChildRequest, DeviceCellStats, SideSpec } from './models-side.js';
import type { ThroughputStats } from './models-stats.js';
import { type RssReport, type RssSampler, sampleRss } from './rss.js';

/** One side in its child process: requests go one at a time; every answer can be an error. */
export class Child {
  failed: { error: string } | undefined;
  loadMs: number | undefined;
  coldMs: number | undefined;
  device: string | undefined;
  notes: readonly string[] = [];
  #stderr = '';
  #waiting: ((a: ChildAnswer) => void) | undefined;
  #exited = false;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly sampler: RssSampler,
  ) {
    proc.stderr?.on('data', (d: Buffer) => {
      this.#stderr += d.toString();
    });
    proc.on('message', (a: ChildAnswer) => this.#answer(a));
    proc.on('exit', (code) => {
      this.#exited = true;
      this.#answer({ error: this.#lastError() ?? `the child process exited (code ${code})` });
    });
  }

  /** `script`: the benchmark's own bundle, which serves `--child SPEC` (models-bench.cjs, bench.cjs). */
  static async start(spec: SideSpec, script: string = __filename): Promise<Child> {
    const proc = fork(script, ['--child', JSON.stringify(spec)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const child = new Child(proc, sampleRss(proc.pid ?? -1, 100));
    const ready = await child.#next();
    if ('error' in ready) child.failed = { error: ready.error };
    else if (ready.ok === 'ready') {
      child.loadMs = ready.loadMs;
      child.coldMs = ready.coldMs;
      child.device = ready.device;
      child.notes = ready.notes;
    }
    return child;
  }

  request(r: ChildRequest): Promise<ChildAnswer> {
    if (this.failed) return Promise.resolve(this.failed);
    if (this.#exited) return Promise.resolve({ error: this.#lastError() ?? 'the child process has exited' });
    const next = this.#next();
    this.proc.send(r);
    return next;
  }

  async latency(calls: number, warmup: number): Promise<number[]> {
    if (calls === 0 && warmup === 0) return [];
    const a = await this.request({ op: 'latency', calls, warmup });
    return 'ok' in a && a.ok === 'latency' ? a.samplesMs : [];
  }

  async samples(r: ChildRequest): Promise<Measured<{ samplesMs: number[] }>> {
    const a = await this.request(r);
    if ('error' in a) return a;
    return a.ok === 'latency' ? { samplesMs: a.samplesMs } : { error: `unexpected answer ${a.ok}` };
  }

  async throughput(r: ChildRequest): Promise<Measured<ThroughputStats>> {
    const a = await this.request(r);
    if ('error' in a) return a;
    return a.ok === 'throughput' ? a.stats : { error: `unexpected answer ${a.ok}` };
  }

  async cell(
    r: Extract<ChildRequest, { op: 'cell' }>,
  ): Promise<Measured<{ stats: ThroughputStats; device?: DeviceCellStats }>> {
    const a = await this.request(r);
    if ('error' in a) return a;
    return a.ok === 'cell'
      ? { stats: a.stats, ...(a.device ? { device: a.device } : {}) }
      : { error: `unexpected answer ${a.ok}` };
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Ends the child; its peak RSS as sampled from here and as it reported itself. */
  async finish(): Promise<{ rss: RssReport; maxRssBytes?: number }> {
    let maxRssBytes: number | undefined;
    if (!this.#exited) {
      const a = await this.request({ op: 'finish' });
      if ('ok' in a && a.ok === 'finished') maxRssBytes = a.maxRssBytes;
      if (!this.#exited) await new Promise((r) => this.proc.once('exit', r));
    }
    return { rss: this.sampler.stop(), ...(maxRssBytes === undefined ? {} : { maxRssBytes }) };
  }

  #next(): Promise<ChildAnswer> {
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  #answer(a: ChildAnswer): void {
    const w = this.#waiting;
    this.#waiting = undefined;
    w?.(a);
  }

  #lastError(): string | undefined {
    return this.#stderr
      .split('\n')
      .filter((l) => l.trim())
      .pop();
  }
}
