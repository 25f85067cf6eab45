/**
 * Paces sends so that the account never exceeds its SES maximum send rate (SES drops mail above
 * it). Each send-email instance gets an equal share of the rate: the event source mapping's
 * maximum concurrency caps the number of instances, so the shares add up to at most the rate.
 * Sends are spaced evenly (not bursts per second), so every sliding one-second window holds at
 * most `rate` sends.
 */
export interface Pacer {
  /** Resolves when the next send may start. */
  acquire(): Promise<void>;
  /** Push the next slot back, e.g. after SES said it was throttling. */
  backOff(ms: number): void;
}

/**
 * Evenly spaced sends put one more send than `rate × 1 s` into a window that starts on a send
 * and ends on one (25 spaced 40 ms apart span 960 ms, and a 26th lands at 1,000). Pacing 3%
 * under the rate keeps that edge within the rate.
 */
export const PACING_MARGIN = 0.97;

export const createPacer = (
  ratePerSecond: number,
  instances: number,
  clock: { now(): number; sleep(ms: number): Promise<void> } = {
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): Pacer => {
  const intervalMs = (1000 * instances) / (ratePerSecond * PACING_MARGIN);
  let nextSlot = 0;
  // Sends take their turn one after another, and each turn is timed from when the previous send
  // really started: a timer that fires late pushes the next send back instead of letting two
  // sends come closer than the interval (seen under load: 52 in one second at a rate of 50).
  let turn: Promise<void> = Promise.resolve();
  return {
    acquire() {
      const mine = turn.then(async () => {
        const wait = nextSlot - clock.now();
        if (wait > 0) await clock.sleep(wait);
        nextSlot = clock.now() + intervalMs;
      });
      turn = mine.catch(() => {});
      return mine;
    },
    backOff(ms) {
      nextSlot = Math.max(nextSlot, clock.now() + ms);
    },
  };
};
