/**
 * Counts open SSH channels. OpenSSH refuses more than MaxSessions (default 10) sessions per connection,
 * so callers wait here for a free slot instead of failing with "open failed".
 */
export class Semaphore {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`semaphore size must be a positive integer, got ${size}`);
    this.#free = size;
  }

  /** Resolves with a release function once a slot is free. Release is idempotent. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next(); // hand the slot over directly, so a newcomer cannot jump the queue
      else this.#free++;
    };
  }

  /** Runs `task` while holding a slot. */
  async with<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
