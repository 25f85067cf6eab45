/**
 * Paces sends so that the account never exceeds its SES maximum send rate (SES drops mail above
 * it). Each send-email instance gets an equal share of the rate: the event source mapping's
 * maximum concurrency caps the number of instances, so the shares add up to at most the rate.
 *
 * The rule kept is the one SES enforces: no sliding one-second window holds more than the rate.
 * Per instance that is a sliding-window limit: a send may start only when the send `allowance`
 * places before it started at least one window ago. The window is 1% longer than a second
 * (WINDOW_MARGIN), which absorbs the clocks and millisecond rounding between this process, the
 * ledger and SES.
 *
 * Why a window and not only an even spacing: with evenly spaced sends, every late timer and every
 * pause between two batches (the invocation returns, the queue is polled again) is rate lost for
 * good, and a spacing that stays safe under late timers must run a few percent under the rate
 * (measured: 45.4/s at a rate of 50). The window lets an instance make up a short pause, and a
 * late timer costs nothing, while the rule itself is never bent. A minimum spacing of 70% of the
 * even interval keeps the sends spread out: an instance never bursts its whole allowance at once,
 * and still has room to make up a pause of about a third of a second per window.
 */
/** A send's turn. `started()` when the send really starts (or is given up): its time counts. */
export interface PacerSlot {
  started(): void;
}

export interface Pacer {
  /**
   * Resolves when the next send may start. The caller may still do a little (the ledger's claim)
   * before the send: the window counts the time it reports through `started()`, and a turn waits
   * for the report of the send it would otherwise be counted against, so a slow claim can delay
   * a send but never bring two closer than the rule allows.
   */
  acquire(): Promise<PacerSlot>;
  /** Push the next slot back, e.g. after SES said it was throttling. */
  backOff(ms: number): void;
}

/** The window each instance's allowance is counted over: one second and 1% (see above). */
export const WINDOW_MARGIN = 1.01;
/** How long a turn waits for an earlier send to report its start before counting it as now. */
const UNREPORTED_MS = 5_000;

/** The least gap between two sends of one instance, as a share of the even interval. */
export const MIN_SPACING_SHARE = 0.7;

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The allowance of one instance: `allowance` sends per `windowMs`. A share of at least one send
 * per second is rounded down to whole sends per second (the shares must not add up to more than
 * the rate); a smaller share becomes one send per 1/share seconds.
 */
export const allowanceOf = (ratePerSecond: number, instances: number) => {
  const share = ratePerSecond / instances;
  return share >= 1
    ? { allowance: Math.floor(share), windowMs: 1000 * WINDOW_MARGIN }
    : { allowance: 1, windowMs: (1000 / share) * WINDOW_MARGIN };
};

export const createPacer = (
  ratePerSecond: number,
  instances: number,
  clock: PacerClock = realClock,
): Pacer => {
  const { allowance, windowMs } = allowanceOf(ratePerSecond, instances);
  const minSpacingMs = (windowMs / allowance) * MIN_SPACING_SHARE;
  interface Send {
    /** The turn's time, then the send's real start once reported. */
    time: number;
    reported: boolean;
    report: Promise<void>;
    settle: () => void;
  }
  /** The last `allowance` sends, oldest first. */
  const recent: Send[] = [];
  let notBefore = Number.NEGATIVE_INFINITY;
  // Sends take their turn one after another: each turn is timed from the ones before it.
  let turn: Promise<unknown> = Promise.resolve();
  return {
    acquire() {
      const mine = turn.then(async (): Promise<PacerSlot> => {
        for (;;) {
          const oldest = recent.length < allowance ? undefined : recent[0]!;
          if (oldest && !oldest.reported) {
            // Its real start is still to come: wait for it (a forgotten report costs 5 s, no more).
            await Promise.race([oldest.report, clock.sleep(UNREPORTED_MS)]);
            if (!oldest.reported) {
              oldest.time = Math.max(oldest.time, clock.now());
              oldest.reported = true;
            }
            continue;
          }
          const last = recent.at(-1);
          const earliest = Math.max(
            notBefore,
            last === undefined ? Number.NEGATIVE_INFINITY : last.time + minSpacingMs,
            oldest === undefined ? Number.NEGATIVE_INFINITY : oldest.time + windowMs,
          );
          const wait = earliest - clock.now();
          if (wait <= 0) break;
          await clock.sleep(wait);
        }
        let settle: () => void = () => {};
        const send: Send = {
          time: clock.now(),
          reported: false,
          report: new Promise<void>((resolve) => {
            settle = resolve;
          }),
          settle: () => settle(),
        };
        recent.push(send);
        if (recent.length > allowance) recent.shift();
        return {
          started: () => {
            if (send.reported) return;
            send.time = Math.max(send.time, clock.now());
            send.reported = true;
            send.settle();
          },
        };
      });
      turn = mine.catch(() => {});
      return mine;
    },
    backOff(ms) {
      notBefore = Math.max(notBefore, clock.now() + ms);
    },
  };
};
