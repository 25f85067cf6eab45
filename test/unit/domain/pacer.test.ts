import { describe, expect, it } from 'vitest';
import {
  allowanceOf,
  createPacer,
  MIN_SPACING_SHARE,
  type PacerClock,
  WINDOW_MARGIN,
} from '../../../shared/mail/pacer.ts';

/** A clock that only moves when the pacer sleeps or the test says so: slots, not seconds. */
const fakeClock = () => {
  let t = 0;
  const clock: PacerClock & { at(): number; advance(ms: number): void } = {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    at: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
  return clock;
};

/** The most sends any sliding window of `ms` (start inclusive, end exclusive) holds. */
const busiest = (sends: number[], ms = 1000) => {
  const sorted = [...sends].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
};

describe('pacer', () => {
  it('gives each instance a whole share of the rate, or one send per 1/share seconds', () => {
    expect(allowanceOf(50, 2)).toEqual({ allowance: 25, windowMs: 1000 * WINDOW_MARGIN });
    expect(allowanceOf(14, 4)).toEqual({ allowance: 3, windowMs: 1000 * WINDOW_MARGIN });
    expect(allowanceOf(1, 4)).toEqual({ allowance: 1, windowMs: 4000 * WINDOW_MARGIN });
  });

  it('spreads sends at least 70% of the even interval apart', async () => {
    const clock = fakeClock();
    const pacer = createPacer(50, 2, clock);
    const slots: number[] = [];
    for (let i = 0; i < 5; i++) {
      (await pacer.acquire()).started();
      slots.push(clock.at());
    }
    const spacing = ((1000 * WINDOW_MARGIN) / 25) * MIN_SPACING_SHARE;
    expect(slots).toEqual([0, 1, 2, 3, 4].map((i) => expect.closeTo(i * spacing, 6)));
  });

  it('sustains its whole share over time: 25 sends per window of 1.01 s', async () => {
    const clock = fakeClock();
    const pacer = createPacer(50, 2, clock);
    for (let i = 0; i < 250; i++) (await pacer.acquire()).started();
    // 10 windows of 25: the 250th send starts as the 10th window opens.
    expect(clock.at()).toBeCloseTo(
      9 * 1000 * WINDOW_MARGIN + 24 * (((1000 * WINDOW_MARGIN) / 25) * MIN_SPACING_SHARE),
      6,
    );
  });

  it('never lets a sliding second hold more than the rate, across instances and pauses', async () => {
    // Two instances at 10/s in all, each pausing now and then (a batch boundary) and then
    // catching up: the sum of both never exceeds 10 in any one-second window.
    const clocks = [fakeClock(), fakeClock()];
    const pacers = clocks.map((c) => createPacer(10, 2, c));
    const sends: number[] = [];
    for (let i = 0; i < 200; i++) {
      for (const [k, p] of pacers.entries()) {
        if (i % 7 === k) clocks[k]!.advance(150 + 37 * k);
        (await p.acquire()).started();
        sends.push(clocks[k]!.at());
      }
    }
    expect(busiest(sends)).toBeLessThanOrEqual(10);
  });

  it('makes up a pause shorter than its spare room without bending the window', async () => {
    const clock = fakeClock();
    const pacer = createPacer(50, 2, clock);
    const sends: number[] = [];
    for (let i = 0; i < 100; i++) {
      if (i === 50) clock.advance(150); // the gap between two batches
      (await pacer.acquire()).started();
      sends.push(clock.at());
    }
    expect(busiest(sends)).toBeLessThanOrEqual(25);
    // Without catching up, the pause would have pushed the last send back by the full 150 ms.
    const steady = 3 * 1000 * WINDOW_MARGIN + 24 * (((1000 * WINDOW_MARGIN) / 25) * MIN_SPACING_SHARE);
    expect(clock.at()).toBeLessThan(steady + 150);
  });

  it('backs off after throttling', async () => {
    const clock = fakeClock();
    const pacer = createPacer(10, 1, clock);
    (await pacer.acquire()).started();
    pacer.backOff(500);
    (await pacer.acquire()).started();
    expect(clock.at()).toBe(500);
    (await pacer.acquire()).started();
    expect(clock.at()).toBeCloseTo(500 + ((1000 * WINDOW_MARGIN) / 10) * MIN_SPACING_SHARE, 6);
  });

  it('counts a send from when it really started, and waits for a start still to be reported', async () => {
    const clock = fakeClock();
    const pacer = createPacer(2, 1, clock); // two sends per 1.01 s
    const first = await pacer.acquire();
    clock.advance(300); // the claim took 300 ms before the send went
    first.started();
    (await pacer.acquire()).started();
    // The third is counted against the first's real start (300), not its turn (0).
    (await pacer.acquire()).started();
    expect(clock.at()).toBeCloseTo(300 + 1000 * WINDOW_MARGIN, 6);
  });
});
