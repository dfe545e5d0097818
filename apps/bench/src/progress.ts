/**
 * Progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise (CI logs, pipes),
 * so stdout keeps only the report.
 */
export class Progress {
  #done = 0;
  readonly #start = performance.now();

  constructor(
    private total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Adds steps discovered late (e.g. cells of a backend found available). */
  grow(steps: number): void {
    this.total += steps;
  }

  /** Starts a step: shows what runs now. */
  step(label: string): void {
    this.#show(label);
  }

  /** Ends `n` steps. */
  tick(n = 1): void {
    this.#done = Math.min(this.total, this.#done + n);
  }

  note(text: string): void {
    this.#show(text);
  }

  end(): void {
    if (this.stream.isTTY) this.stream.write(`\r${' '.repeat(this.#width())}\r`);
  }

  #width(): number {
    return Math.max(40, Math.min(120, (this.stream.columns ?? 80) - 1));
  }

  #show(label: string): void {
    const elapsed = `${((performance.now() - this.#start) / 1000).toFixed(0)}s`;
    if (!this.stream.isTTY) {
      this.stream.write(`[${this.#done}/${this.total}] ${elapsed} ${label}\n`);
      return;
    }
    const width = this.#width();
    this.stream.write(`\r${progressLine(this.#done, this.total, label, elapsed, width)}`);
  }
}

/** `[#####.....] 12/40 31s label`, cut or padded to exactly `width` characters. */
export function progressLine(done: number, total: number, label: string, elapsed: string, width: number): string {
  const slots = 20;
  const filled = total > 0 ? Math.round((done / total) * slots) : 0;
  const text = `[${'#'.repeat(filled)}${'.'.repeat(slots - filled)}] ${done}/${total} ${elapsed} ${label}`;
  return text.length > width ? text.slice(0, width) : text.padEnd(width);
}
