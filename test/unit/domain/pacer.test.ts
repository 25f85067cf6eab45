import { describe, expect, it } from 'vitest';
import { createPacer, PACING_MARGIN } from '../../../shared/mail/pacer.ts';

/** A clock that only moves when the pacer sleeps: the test is about slots, not seconds. */
const fakeClock = () => {
  let t = 0;
  const sleep = async (ms: number) => {
    t += ms;
  };
  return { now: () => t, sleep, at: () => t };
};

describe('pacer', () => {
  it('spaces sends evenly at the rate share of one instance', async () => {
    const clock = fakeClock();
    const pacer = createPacer(50, 2, clock); // 50/s over 2 instances: one send every 40 ms here
    const slots: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.acquire();
      slots.push(clock.at());
    }
    const gap = 40 / PACING_MARGIN;
    expect(slots).toEqual([0, gap, 2 * gap, 3 * gap, 4 * gap]);
  });

  it('never lets a sliding second hold more than the rate, whatever the instances', async () => {
    const clocks = [fakeClock(), fakeClock()];
    const pacers = clocks.map((c) => createPacer(10, 2, c));
    const sends: number[] = [];
    for (let i = 0; i < 40; i++) {
      for (const [k, p] of pacers.entries()) {
        await p.acquire();
        sends.push(clocks[k]!.at());
      }
    }
    sends.sort((a, b) => a - b);
    for (const start of sends) {
      expect(sends.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(10);
    }
  });

  it('backs off after throttling', async () => {
    const clock = fakeClock();
    const pacer = createPacer(10, 1, clock);
    await pacer.acquire();
    pacer.backOff(500);
    await pacer.acquire();
    expect(clock.at()).toBe(500);
    await pacer.acquire();
    expect(clock.at()).toBeCloseTo(500 + 100 / PACING_MARGIN);
  });
});
