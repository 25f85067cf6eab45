/**
 * A local EventBridge Scheduler for the topology's daily schedules. croner computes the fire
 * times in the schedule's time zone (08:00 Asia/Shanghai is 00:00 UTC); a timer per schedule
 * fires them.
 *
 * Like Scheduler, it substitutes the context attributes in the input, retries a failed invoke,
 * and is at-least-once. Unlike Scheduler, it is not running all the time: a laptop sleeps and
 * `npm start` stops. So the last delivered fire time of each schedule is kept in `stateFile`, and
 * when the runtime starts it delivers the most recent fire it missed (only that one, and only
 * within 24 h) once. That is safe because every scheduled job takes its date from the scheduled
 * time and is idempotent per date: a duplicate is a no-op, a missing day is a missing birthday.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Cron } from 'croner';

export interface ScheduleSpec {
  id: string;
  /** Cron fields in `timeZone`; the schedules are daily, so only minute and hour vary. */
  cron: { minute: string; hour: string };
  timeZone: string;
  input: Record<string, unknown>;
  invoke: (payload: unknown) => Promise<void>;
}

export interface SchedulerOptions {
  schedules: ReadonlyArray<ScheduleSpec>;
  /** JSON file with the last delivered fire time per schedule (created if absent). */
  stateFile: string;
  now?: () => Date;
  log?: (line: string) => void;
  /** Invoke attempts per fire and the first backoff (doubled each retry); tests shorten it. */
  retry?: { attempts?: number; baseDelayMs?: number };
}

export interface LocalScheduler {
  stop(): Promise<void>;
  /** The next fire time after now, or null for an unknown schedule. */
  next(id: string): Date | null;
  /** Fires a schedule on demand as if scheduled at `at` (default now); rejects if every attempt fails. */
  fire(id: string, at?: Date): Promise<void>;
}

export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';
const EXECUTION_ID = '<aws.scheduler.execution-id>';
const ATTEMPT_NUMBER = '<aws.scheduler.attempt-number>';

/** Scheduler's time format: ISO 8601 UTC to the second, `2026-11-24T00:00:00Z`. */
export const schedulerTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface ScheduleContext {
  scheduledTime: Date;
  executionId?: string;
  attemptNumber?: number;
}

/** Replaces Scheduler's context attributes in every string of `input` (keys included), deeply. */
export function substituteContext<T>(input: T, ctx: ScheduleContext): T {
  const replace = (s: string): string =>
    s
      .replaceAll(SCHEDULED_TIME, schedulerTime(ctx.scheduledTime))
      .replaceAll(EXECUTION_ID, ctx.executionId ?? EXECUTION_ID)
      .replaceAll(
        ATTEMPT_NUMBER,
        ctx.attemptNumber === undefined ? ATTEMPT_NUMBER : String(ctx.attemptNumber),
      );
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return replace(value);
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [replace(k), walk(v)]));
    }
    return value;
  };
  return walk(input) as T;
}

interface ScheduleState {
  /** When the runtime first knew this schedule: nothing before it counts as missed. */
  armedSince: string;
  /** The scheduled time of the last fire delivered by the timer or the start-up catch-up. */
  lastScheduledTime?: string;
  lastDeliveredAt?: string;
}

interface StateFile {
  version: 1;
  schedules: Record<string, ScheduleState>;
}

const CATCH_UP_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Timers re-check at least hourly, so a changed wall clock cannot leave one far off. */
const MAX_TIMER_MS = 60 * 60 * 1000;

const readState = (file: string, log?: (line: string) => void): StateFile => {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StateFile>;
    if (parsed.version === 1 && typeof parsed.schedules === 'object' && parsed.schedules !== null) {
      return { version: 1, schedules: parsed.schedules };
    }
    log?.(`scheduler: ${file} has an unknown format; starting afresh`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      log?.(`scheduler: cannot read ${file} (${(error as Error).message}); starting afresh`);
    }
  }
  return { version: 1, schedules: {} };
};

export function startScheduler(opts: SchedulerOptions): LocalScheduler {
  const now = opts.now ?? (() => new Date());
  const { log, stateFile } = opts;
  const attempts = Math.max(1, opts.retry?.attempts ?? 4);
  const baseDelayMs = opts.retry?.baseDelayMs ?? 1_000;

  const ids = opts.schedules.map((s) => s.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`duplicate schedule ${duplicate}`);
  const jobs = new Map(
    opts.schedules.map((spec) => {
      // croner validates the fields and the time zone here, so a typo fails at start.
      const cron = new Cron(`${spec.cron.minute} ${spec.cron.hour} * * *`, { timezone: spec.timeZone });
      cron.nextRun(now());
      return [spec.id, { spec, cron, timer: undefined as NodeJS.Timeout | undefined }];
    }),
  );

  const state = readState(stateFile, log);
  const writeState = () => {
    try {
      mkdirSync(dirname(stateFile), { recursive: true });
      const tmp = `${stateFile}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
      renameSync(tmp, stateFile); // atomic: a crash never leaves half a file
    } catch (error) {
      log?.(`scheduler: cannot write ${stateFile}: ${(error as Error).message}`);
    }
  };

  let stopped = false;
  const pending = new Set<Promise<void>>();
  const wakeUps = new Set<() => void>();
  const track = (p: Promise<void>): Promise<void> => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  };

  /** A backoff that stop() cuts short. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakeUps.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeUps.add(done);
    });

  const deliver = async (id: string, scheduled: Date, why: 'schedule' | 'catch-up' | 'on demand') => {
    const job = jobs.get(id)!;
    const executionId = randomUUID();
    const label = `schedule ${id} ${schedulerTime(scheduled)} (${why})`;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const payload = substituteContext(job.spec.input, {
        scheduledTime: scheduled,
        executionId,
        attemptNumber: attempt,
      });
      try {
        await job.spec.invoke(payload);
        log?.(`${label}: delivered${attempt > 1 ? ` on attempt ${attempt}` : ''}`);
        if (why !== 'on demand') record(id, scheduled);
        return;
      } catch (error) {
        lastError = error;
        log?.(
          `${label}: attempt ${attempt} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      if (attempt < attempts) {
        if (stopped) break;
        await sleep(baseDelayMs * 2 ** (attempt - 1));
        if (stopped) break;
      }
    }
    throw lastError instanceof Error ? lastError : new Error(`${label} failed`);
  };

  /** Only delivered fires are recorded: a fire that failed every attempt is retried at the next start. */
  const record = (id: string, scheduled: Date) => {
    const entry = state.schedules[id] ?? { armedSince: schedulerTime(scheduled) };
    const previous = entry.lastScheduledTime ? Date.parse(entry.lastScheduledTime) : Number.NEGATIVE_INFINITY;
    if (scheduled.getTime() > previous) entry.lastScheduledTime = schedulerTime(scheduled);
    entry.lastDeliveredAt = now().toISOString();
    state.schedules[id] = entry;
    writeState();
  };

  const runInBackground = (id: string, scheduled: Date, why: 'schedule' | 'catch-up') => {
    track(deliver(id, scheduled, why)).catch(() => {
      // Already logged per attempt; the next start's catch-up retries it (within 24 h).
    });
  };

  /** The most recent fire time at or before now. */
  const latestFire = (cron: Cron): Date | undefined => cron.previousRuns(1, new Date(now().getTime() + 1))[0];

  const arm = (id: string) => {
    const job = jobs.get(id)!;
    const target = job.cron.nextRun(now());
    if (!target) return;
    const wait = () => {
      const delay = Math.min(Math.max(0, target.getTime() - now().getTime()), MAX_TIMER_MS);
      job.timer = setTimeout(() => {
        if (stopped) return;
        if (now() < target) return wait();
        // Late (the machine slept)? Deliver the most recent fire time, not every one missed.
        const latest = latestFire(job.cron);
        runInBackground(id, latest && latest > target ? latest : target, 'schedule');
        arm(id);
      }, delay);
      // The runtime's servers keep the process alive; a pending timer alone should not.
      job.timer.unref();
    };
    wait();
  };

  // Catch up on the fire missed while the runtime was down, then arm the timers.
  let dirty = false;
  for (const [id, job] of jobs) {
    const entry = state.schedules[id];
    if (!entry) {
      state.schedules[id] = { armedSince: schedulerTime(now()) };
      dirty = true;
    } else {
      const since = Math.max(
        Date.parse(entry.armedSince),
        entry.lastScheduledTime ? Date.parse(entry.lastScheduledTime) : Number.NEGATIVE_INFINITY,
      );
      const latest = latestFire(job.cron);
      if (latest && latest.getTime() > since && now().getTime() - latest.getTime() <= CATCH_UP_WINDOW_MS) {
        log?.(
          `schedule ${id}: the ${schedulerTime(latest)} fire was missed while stopped; delivering it now`,
        );
        runInBackground(id, latest, 'catch-up');
      }
    }
    arm(id);
  }
  if (dirty) writeState();

  let stopping: Promise<void> | undefined;
  return {
    next: (id) => jobs.get(id)?.cron.nextRun(now()) ?? null,
    fire: (id, at) => {
      if (stopped) return Promise.reject(new Error('the scheduler is stopped'));
      if (!jobs.has(id)) return Promise.reject(new Error(`unknown schedule ${id}`));
      // Scheduler's scheduled times are whole seconds.
      const scheduled = new Date(Math.floor((at ?? now()).getTime() / 1000) * 1000);
      return track(deliver(id, scheduled, 'on demand'));
    },
    stop: () => {
      stopping ??= (async () => {
        stopped = true;
        for (const job of jobs.values()) clearTimeout(job.timer);
        for (const wake of [...wakeUps]) wake();
        // Invocations under way finish (they cannot be cancelled); retries are abandoned.
        await Promise.allSettled([...pending]);
      })();
      return stopping;
    },
  };
}
