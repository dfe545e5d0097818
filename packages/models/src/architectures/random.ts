/**
 * Deterministic random numbers for architecture-only weights. The same seed must give the same bytes on
 * every machine, so nothing here uses Math.random. Math.log/sin/cos come from V8's own fdlibm port, not
 * the platform libm, so a seed gives the same float32 weights on every OS and CPU Node runs on.
 */

/** mulberry32 (32-bit state, period 2^32) for uniforms, Box-Muller for normals. */
export class SeededRandom {
  private state: number;
  /** Box-Muller yields normals in pairs; the second one is kept for the next call. */
  private spare: number | undefined;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`SeededRandom: seed must be a finite number, got ${seed}`);
    // Mix the seed once so that nearby seeds (0, 1, 2) do not start from nearby states.
    this.state = Math.imul((Math.trunc(seed) ^ 0x9e3779b9) >>> 0, 0x85ebca6b) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (mean 0, std 1). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u1 = 1 - this.next(); // (0, 1]: log(0) would be -Infinity
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}

/** n values drawn from N(mean, std^2). */
export function fillNormal(rng: SeededRandom, n: number, std: number, mean = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * rng.normal();
  return out;
}

/** n values drawn uniformly from [low, high). */
export function fillUniform(rng: SeededRandom, n: number, low: number, high: number): Float32Array {
  const out = new Float32Array(n);
  const span = high - low;
  for (let i = 0; i < n; i++) out[i] = low + span * rng.next();
  return out;
}
