import { DisposedError } from '@ocellus/core';

/**
 * Something a pipeline loads once, on first use (a device and session pools): concurrent callers share
 * one load, a failed load may be retried, a load the pipeline is disposed during is undone by the
 * subclass (it checks `disposed` before it returns), and `dispose()` releases what was loaded.
 */
export abstract class LoadOnce<L> {
  #loading: Promise<L> | undefined;
  #loaded: L | undefined;
  #disposed = false;

  /** What the errors call the owner ('classifier', 'OCR pipeline'...). */
  constructor(protected readonly what: string) {}

  protected abstract load(): Promise<L>;
  protected abstract release(loaded: L): Promise<void>;

  /** What is loaded, once it is. */
  get loaded(): L | undefined {
    return this.#loaded;
  }

  protected get disposed(): boolean {
    return this.#disposed;
  }

  ready(): Promise<L> {
    if (this.#disposed) return Promise.reject(new DisposedError(`this ${this.what} is disposed; create a new one`));
    this.#loading ??= this.load().then(
      (loaded) => {
        this.#loaded = loaded;
        return loaded;
      },
      (error: unknown) => {
        this.#loading = undefined; // a failed load may be retried
        throw error;
      },
    );
    return this.#loading;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const loaded = this.#loaded ?? (await this.#loading?.catch(() => undefined));
    this.#loaded = undefined;
    this.#loading = undefined;
    if (loaded) await this.release(loaded);
  }
}
