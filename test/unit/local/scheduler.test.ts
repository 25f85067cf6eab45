import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type LocalScheduler,
  SCHEDULED_TIME,
  type ScheduleSpec,
  startScheduler,
  substituteContext,
} from '../../../infra/local/scheduler.ts';

const SHANGHAI = 'Asia/Shanghai';

let dir: string;
let stateFile: string;
let running: LocalScheduler[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gonghui-scheduler-'));
  stateFile = join(dir, 'state', 'scheduler.json');
});

afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
  rmSync(dir, { recursive: true, force: true });
});

const planCare = (invoke: ScheduleSpec['invoke']): ScheduleSpec => ({
  id: 'plan-care-daily',
  cron: { minute: '0', hour: '8' },
  timeZone: SHANGHAI,
  input: { scheduledTime: SCHEDULED_TIME },
  invoke,
});

const start = (schedules: ScheduleSpec[], now: () => Date, extra: { log?: (l: string) => void } = {}) => {
  const s = startScheduler({ schedules, stateFile, now, retry: { attempts: 3, baseDelayMs: 1 }, ...extra });
  running.push(s);
  return s;
};

const recorder = () => {
  const calls: unknown[] = [];
  return { calls, invoke: async (payload: unknown) => void calls.push(payload) };
};

const readStateFile = () => JSON.parse(readFileSync(stateFile, 'utf8'));

describe('substituteContext', () => {
  it('replaces the scheduled time in every string, deeply, keys included, without touching the input', () => {
    const input = {
      date: SCHEDULED_TIME,
      nested: { list: [SCHEDULED_TIME, 1, true, null, { at: `at ${SCHEDULED_TIME}!` }] },
      [SCHEDULED_TIME]: 'key',
      untouched: 'x',
    };
    const out = substituteContext(input, { scheduledTime: new Date('2026-11-24T00:00:00.789Z') });
    expect(out).toEqual({
      date: '2026-11-24T00:00:00Z',
      nested: { list: ['2026-11-24T00:00:00Z', 1, true, null, { at: 'at 2026-11-24T00:00:00Z!' }] },
      '2026-11-24T00:00:00Z': 'key',
      untouched: 'x',
    });
    expect(input.date).toBe(SCHEDULED_TIME);
  });

  it('fills the execution id and attempt number when given', () => {
    const out = substituteContext(
      { e: '<aws.scheduler.execution-id>', n: '<aws.scheduler.attempt-number>' },
      { scheduledTime: new Date(0), executionId: 'ex-1', attemptNumber: 2 },
    );
    expect(out).toEqual({ e: 'ex-1', n: '2' });
  });
});

describe('startScheduler', () => {
  it('next(): 08:00 in Shanghai is 00:00 UTC', () => {
    const s = start([planCare(async () => {})], () => new Date('2026-11-23T12:00:00Z'));
    expect(s.next('plan-care-daily')?.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(s.next('nope')).toBeNull();
  });

  it('next(): just before and exactly at a fire time', () => {
    let now = new Date('2026-11-23T23:59:59Z');
    const s = start([planCare(async () => {})], () => now);
    expect(s.next('plan-care-daily')?.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    now = new Date('2026-11-24T00:00:00Z');
    expect(s.next('plan-care-daily')?.toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });

  it('fire(): invokes on demand with the substituted input, without a catch-up record', async () => {
    const { calls, invoke } = recorder();
    const s = start([planCare(invoke)], () => new Date('2026-11-23T12:34:56.789Z'));
    await s.fire('plan-care-daily', new Date('2026-12-01T00:00:00Z'));
    await s.fire('plan-care-daily');
    expect(calls).toEqual([
      { scheduledTime: '2026-12-01T00:00:00Z' },
      { scheduledTime: '2026-11-23T12:34:56Z' },
    ]);
    expect(readStateFile().schedules['plan-care-daily'].lastScheduledTime).toBeUndefined();
    await expect(s.fire('nope')).rejects.toThrow(/unknown schedule/);
  });

  it('retries a failed invoke with backoff, then gives up with the last error', async () => {
    let failures = 2;
    const attempts: unknown[] = [];
    const spec = planCare(async (payload) => {
      attempts.push(payload);
      if (failures-- > 0) throw new Error('cold start failed');
    });
    spec.input = { attempt: '<aws.scheduler.attempt-number>' };
    const s = start([spec], () => new Date('2026-11-23T12:00:00Z'));
    await s.fire('plan-care-daily');
    expect(attempts).toEqual([{ attempt: '1' }, { attempt: '2' }, { attempt: '3' }]);

    const failing = start(
      [{ ...planCare(async () => Promise.reject(new Error('still broken'))), id: 'other' }],
      () => new Date(),
    );
    await expect(failing.fire('other')).rejects.toThrow('still broken');
  });

  it('does not fire on the first start: nothing was missed before the runtime knew the schedule', async () => {
    const { calls, invoke } = recorder();
    const s = start([planCare(invoke)], () => new Date('2026-11-24T03:00:00Z'));
    await s.stop();
    expect(calls).toEqual([]);
    expect(readStateFile().schedules['plan-care-daily'].armedSince).toBe('2026-11-24T03:00:00Z');
  });

  it('delivers the most recent fire missed while stopped, once, and records it', async () => {
    const state = {
      version: 1,
      schedules: {
        'plan-care-daily': { armedSince: '2026-11-01T00:00:00Z', lastScheduledTime: '2026-11-21T00:00:00Z' },
      },
    };
    stateFile = join(dir, 'scheduler.json');
    writeFileSync(stateFile, JSON.stringify(state));
    const { calls, invoke } = recorder();
    const lines: string[] = [];
    const now = () => new Date('2026-11-24T03:00:00Z');
    const first = start([planCare(invoke)], now, { log: (l) => lines.push(l) });
    await first.stop();
    // Three fires were missed (22nd, 23rd, 24th): only the most recent is delivered.
    expect(calls).toEqual([{ scheduledTime: '2026-11-24T00:00:00Z' }]);
    expect(readStateFile().schedules['plan-care-daily'].lastScheduledTime).toBe('2026-11-24T00:00:00Z');
    expect(lines.some((l) => l.includes('missed'))).toBe(true);

    const second = start([planCare(invoke)], now);
    await second.stop();
    expect(calls).toHaveLength(1);
  });

  it('retries a missed fire at the next start when every attempt failed', async () => {
    stateFile = join(dir, 'scheduler.json');
    writeFileSync(
      stateFile,
      JSON.stringify({
        version: 1,
        schedules: { 'plan-care-daily': { armedSince: '2026-11-20T00:00:00Z' } },
      }),
    );
    const now = () => new Date('2026-11-24T01:00:00Z');
    const broken = start([planCare(async () => Promise.reject(new Error('bug')))], now);
    await broken.stop();
    expect(readStateFile().schedules['plan-care-daily'].lastScheduledTime).toBeUndefined();

    const { calls, invoke } = recorder();
    const fixed = start([planCare(invoke)], now);
    await fixed.stop();
    expect(calls).toEqual([{ scheduledTime: '2026-11-24T00:00:00Z' }]);
  });

  it('survives an unreadable state file', async () => {
    stateFile = join(dir, 'scheduler.json');
    writeFileSync(stateFile, '{ not json');
    const lines: string[] = [];
    const s = start([planCare(async () => {})], () => new Date('2026-11-24T01:00:00Z'), {
      log: (l) => lines.push(l),
    });
    await s.stop();
    expect(lines.join('\n')).toMatch(/cannot read/);
    expect(readStateFile().version).toBe(1);
  });

  it('fires on time from its timer (a clock shifted to 80 ms before 08:00 Shanghai)', async () => {
    const target = Date.parse('2026-11-24T00:00:00Z');
    const offset = target - 80 - Date.now();
    const now = () => new Date(Date.now() + offset);
    let delivered!: (payload: unknown) => void;
    const arrived = new Promise<unknown>((resolve) => {
      delivered = resolve;
    });
    const s = start([planCare(async (payload) => delivered(payload))], now);
    await expect(arrived).resolves.toEqual({ scheduledTime: '2026-11-24T00:00:00Z' });
    expect(s.next('plan-care-daily')?.toISOString()).toBe('2026-11-25T00:00:00.000Z');
    await s.stop();
    expect(readStateFile().schedules['plan-care-daily'].lastScheduledTime).toBe('2026-11-24T00:00:00Z');
  });

  it('refuses a bad cron field or time zone at start', () => {
    expect(() =>
      startScheduler({
        schedules: [{ ...planCare(async () => {}), cron: { minute: '61', hour: '8' } }],
        stateFile,
      }),
    ).toThrow();
    expect(() =>
      startScheduler({ schedules: [{ ...planCare(async () => {}), timeZone: 'Mars/Olympus' }], stateFile }),
    ).toThrow();
  });

  it('refuses two schedules with one id', () => {
    expect(() =>
      startScheduler({ schedules: [planCare(async () => {}), planCare(async () => {})], stateFile }),
    ).toThrow(/duplicate schedule plan-care-daily/);
  });

  it('stop() resolves, and fire() afterwards is refused', async () => {
    const s = start([planCare(async () => {})], () => new Date());
    await s.stop();
    await s.stop();
    await expect(s.fire('plan-care-daily')).rejects.toThrow(/stopped/);
  });
});
