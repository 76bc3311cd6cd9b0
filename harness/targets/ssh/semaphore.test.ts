import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.ts';

describe('Semaphore', () => {
  it('never runs more than its size at once and serves waiters in order', async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        semaphore.with(async () => {
          order.push(i);
          peak = Math.max(peak, ++running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('frees the slot when the task fails, and a double release frees only one slot', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.with(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const release = await semaphore.acquire();
    release();
    release();
    const first = await semaphore.acquire();
    let secondGotIn = false;
    const second = semaphore.acquire().then((r) => ((secondGotIn = true), r));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(secondGotIn).toBe(false);
    first();
    (await second)();
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => new Semaphore(0)).toThrow(/positive integer/);
  });
});
