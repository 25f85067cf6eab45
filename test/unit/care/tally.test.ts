/** Care tallies: what a grant transaction writes, and their rollup (an in-memory store). */
import { describe, expect, it } from 'vitest';
import type { GrantRecord } from '../../../shared/domain/care/grants.ts';
import {
  type CareTallyRow,
  compactTallies,
  sumRows,
  TALLY_SETTLE_MS,
  type TallyRollup,
  type TallyStore,
  tallyOf,
} from '../../../shared/domain/care/tally.ts';
import { idTimePrefix } from '../../../shared/domain/ids.ts';

const grant = (
  branch: string,
  occasion: string,
  date: string,
  amountFen: number,
  reason = 'full',
): GrantRecord =>
  ({
    branch: { code: branch, name: branch },
    occasion,
    category: occasion === 'birthday' ? 'birthday' : occasion.includes(':') ? 'life' : 'holiday',
    year: Number(date.slice(0, 4)),
    date,
    amountFen,
    reason,
  }) as GrantRecord;

const row = (branch: string, amountFen: number): CareTallyRow => ({
  branch,
  month: '09',
  category: 'holiday',
  occasion: 'mid_autumn',
  granted: 1,
  reduced: 0,
  skipped: 0,
  amountFen,
});

const memoryStore = () => {
  const tallies: Array<{ id: string; rows: CareTallyRow[] }> = [];
  let stored: TallyRollup | undefined;
  let interfere: (() => void) | undefined;
  const store: TallyStore = {
    rollup: async () => (stored ? structuredClone(stored) : undefined),
    talliesBetween: async (_year, after, before, limit) =>
      tallies
        .filter((t) => t.id > after && (before === undefined || t.id < before))
        .sort((a, b) => a.id.localeCompare(b.id))
        .slice(0, limit),
    saveRollup: async (r) => {
      interfere?.();
      interfere = undefined;
      if ((stored?.version ?? 0) !== r.version - 1) return 'conflict';
      stored = structuredClone(r);
      return 'saved';
    },
  };
  const read = async () => {
    const r = await store.rollup(2026);
    const after = await store.talliesBetween(2026, r?.through ?? '', undefined, Number.POSITIVE_INFINITY);
    return sumRows([...(r?.rows ?? []), ...after.flatMap((t) => t.rows)]);
  };
  return {
    store,
    tallies,
    read,
    rollup: () => stored,
    setRollup: (r: TallyRollup) => {
      stored = r;
    },
    interfere: (f: () => void) => {
      interfere = f;
    },
  };
};

const at = (iso: string) => `${idTimePrefix(new Date(iso))}${'0'.repeat(16)}`;

describe('care tallies', () => {
  it('sums a transaction’s grants by branch, month, category and occasion, life events by kind', () => {
    const t = tallyOf([
      grant('B1', 'mid_autumn', '2026-09-24', 30_000),
      grant('B1', 'mid_autumn', '2026-09-24', 10_000, 'reduced_by_cap'),
      grant('B1', 'mid_autumn', '2026-09-24', 0, 'skipped_cap_reached'),
      grant('B2', 'hospital:REQ1', '2026-03-02', 100_000),
      grant('B2', 'hospital:REQ2', '2025-12-30', 100_000),
    ]);
    expect([...t.keys()].sort()).toEqual([2025, 2026]);
    expect(t.get(2026)).toEqual([
      {
        branch: 'B1',
        month: '09',
        category: 'holiday',
        occasion: 'mid_autumn',
        granted: 2,
        reduced: 1,
        skipped: 1,
        amountFen: 40_000,
      },
      {
        branch: 'B2',
        month: '03',
        category: 'life',
        occasion: 'hospital',
        granted: 1,
        reduced: 0,
        skipped: 0,
        amountFen: 100_000,
      },
    ]);
  });

  it('rolls up only settled tallies, a page at a time, and readers count each grant once throughout', async () => {
    const m = memoryStore();
    const now = new Date('2026-09-24T12:00:00Z');
    for (let i = 0; i < 7; i++) m.tallies.push({ id: at(`2026-09-24T10:0${i}:00Z`), rows: [row('B1', 100)] });
    // Written five minutes ago: not settled, read live.
    m.tallies.push({ id: at(new Date(now.getTime() - 5 * 60_000).toISOString()), rows: [row('B2', 7)] });
    const before = await m.read();
    const deps = { store: m.store, now: () => now, idBefore: idTimePrefix, pageSize: 3 };
    expect(await compactTallies(2026, deps)).toMatchObject({ added: 7 });
    expect(m.rollup()).toMatchObject({ through: m.tallies[6]!.id, tallies: 7, version: 3 });
    expect(await m.read()).toEqual(before);
    // Nothing new: nothing written.
    expect(await compactTallies(2026, deps)).toMatchObject({ added: 0 });
    expect(m.rollup()!.version).toBe(3);
    // Ten minutes on, the last one settles too.
    const later = { ...deps, now: () => new Date(now.getTime() + TALLY_SETTLE_MS) };
    expect(await compactTallies(2026, later)).toMatchObject({ added: 1 });
    expect(await m.read()).toEqual(before);
  });

  it('reads the rollup again when another compaction saved first', async () => {
    const m = memoryStore();
    for (let i = 0; i < 4; i++)
      m.tallies.push({ id: at(`2026-01-0${i + 1}T00:00:00Z`), rows: [row('B1', 1)] });
    const deps = { store: m.store, now: () => new Date('2026-02-01T00:00:00Z'), idBefore: idTimePrefix };
    m.interfere(() =>
      m.setRollup({
        year: 2026,
        through: m.tallies[1]!.id,
        rows: [{ ...row('B1', 2), granted: 2 }],
        tallies: 2,
        version: 1,
        updatedAt: '',
      }),
    );
    await compactTallies(2026, deps);
    expect(m.rollup()).toMatchObject({
      tallies: 4,
      version: 2,
      rows: [expect.objectContaining({ granted: 4, amountFen: 4 })],
    });
  });
});
