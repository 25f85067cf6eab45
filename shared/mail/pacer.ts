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
 * Timers fire late, never early: a send started late followed by one on time are closer than
 * the interval. Pacing 3% under the rate keeps every one-second window within it despite that.
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
  return {
    async acquire() {
      const now = clock.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + intervalMs;
      if (slot > now) await clock.sleep(slot - now);
    },
    backOff(ms) {
      nextSlot = Math.max(nextSlot, clock.now() + ms);
    },
  };
};
