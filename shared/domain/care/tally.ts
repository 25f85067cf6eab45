/**
 * Care figures without reading the ledger: each grant transaction also writes what it granted,
 * summed by branch, month, category and occasion (a tally). A year's tallies add up to the year's
 * ledger exactly, because each is written in the same transaction as its grants; the dashboard
 * reads a few thousand tallies instead of hundreds of thousands of ledger entries.
 */
import type { GrantRecord } from './grants.ts';
import type { CareCategory } from './policy.ts';

export interface CareTallyRow {
  branch: string;
  /** '01'–'12': the month of the grant date. */
  month: string;
  category: CareCategory;
  /** The occasion; a life event's kind (its grants are keyed by request). */
  occasion: string;
  /** Grants paid (amount above 0), of which `reduced` were cut to what the cap left. */
  granted: number;
  reduced: number;
  /** Members the cap had left nothing for (recorded at 0). */
  skipped: number;
  amountFen: number;
}

/** A life event's grant is keyed `<kind>:<request id>`: its tally counts the kind. */
export const occasionKind = (occasion: string): string => occasion.split(':')[0]!;

/** The rows of the grants one transaction writes, per year (almost always one year). */
export const tallyOf = (records: GrantRecord[]): Map<number, CareTallyRow[]> => {
  const byYear = new Map<number, Map<string, CareTallyRow>>();
  for (const r of records) {
    const rows = byYear.get(r.year) ?? new Map<string, CareTallyRow>();
    byYear.set(r.year, rows);
    const month = r.date.slice(5, 7);
    const occasion = occasionKind(r.occasion);
    const key = `${r.branch.code}|${month}|${r.category}|${occasion}`;
    const row = rows.get(key) ?? {
      branch: r.branch.code,
      month,
      category: r.category,
      occasion,
      granted: 0,
      reduced: 0,
      skipped: 0,
      amountFen: 0,
    };
    if (r.amountFen > 0) row.granted++;
    else row.skipped++;
    if (r.reason === 'reduced_by_cap') row.reduced++;
    row.amountFen += r.amountFen;
    rows.set(key, row);
  }
  return new Map([...byYear].map(([year, rows]) => [year, [...rows.values()]]));
};

// ---------------------------------------------------------------------------------------------
// Compaction: a year's tallies rolled up into one item, so that readers read one rollup and the
// few tallies written since. Tallies are never changed or deleted: the rollup says which it holds
// (every tally up to `through`, in id order), so a reader that reads the rollup and then the
// tallies after its `through` counts each grant once, whatever a compaction does meanwhile.

/** A year's tallies summed, up to and including the tally `through` (ids sort by time). */
export interface TallyRollup {
  year: number;
  /** The id of the last tally it holds; '' when none. */
  through: string;
  rows: CareTallyRow[];
  tallies: number;
  version: number;
  updatedAt: string;
}

export interface TallyStore {
  rollup(year: number): Promise<TallyRollup | undefined>;
  /** Tallies with an id after `after` and before `before` (an id's time prefix), in id order, at most `limit` (Infinity: all). */
  talliesBetween(
    year: number,
    after: string,
    before: string | undefined,
    limit: number,
  ): Promise<Array<{ id: string; rows: CareTallyRow[] }>>;
  /** Stores the rollup if the stored one is still `version - 1` (none for version 1). */
  saveRollup(rollup: TallyRollup): Promise<'saved' | 'conflict'>;
}

/**
 * A tally's id is made just before its transaction is sent, and the transaction commits or fails
 * within the SDK's timeouts: seconds. Only tallies older than this are rolled up, so no tally can
 * commit behind a rollup's `through` and be missed.
 */
export const TALLY_SETTLE_MS = 10 * 60_000;

const rowKey = (r: CareTallyRow) => `${r.branch}|${r.month}|${r.category}|${r.occasion}`;

/** Rows summed by branch, month, category and occasion. */
export const sumRows = (rows: Iterable<CareTallyRow>): CareTallyRow[] => {
  const sums = new Map<string, CareTallyRow>();
  for (const r of rows) {
    const s = sums.get(rowKey(r));
    if (!s) sums.set(rowKey(r), { ...r });
    else {
      s.granted += r.granted;
      s.reduced += r.reduced;
      s.skipped += r.skipped;
      s.amountFen += r.amountFen;
    }
  }
  return [...sums.values()];
};

/**
 * Rolls a year's settled tallies into its rollup, a page at a time; a concurrent compaction makes
 * the save conflict, and the rollup is read again. Returns how many tallies it added.
 */
export const compactTallies = async (
  year: number,
  deps: { store: TallyStore; now: () => Date; idBefore: (instant: Date) => string; pageSize?: number },
) => {
  const limit = deps.pageSize ?? 1000;
  const before = deps.idBefore(new Date(deps.now().getTime() - TALLY_SETTLE_MS));
  let added = 0;
  for (let conflicts = 0; conflicts < 20; ) {
    const current = (await deps.store.rollup(year)) ?? {
      year,
      through: '',
      rows: [],
      tallies: 0,
      version: 0,
      updatedAt: '',
    };
    const page = await deps.store.talliesBetween(year, current.through, before, limit);
    if (page.length === 0) return { year, added, through: current.through };
    const next: TallyRollup = {
      year,
      through: page.at(-1)!.id,
      rows: sumRows([...current.rows, ...page.flatMap((t) => t.rows)]),
      tallies: current.tallies + page.length,
      version: current.version + 1,
      updatedAt: deps.now().toISOString(),
    };
    if ((await deps.store.saveRollup(next)) === 'conflict') {
      conflicts++;
      continue;
    }
    added += page.length;
    if (page.length < limit) return { year, added, through: next.through };
  }
  throw new Error(`the ${year} tally rollup kept conflicting`);
};
