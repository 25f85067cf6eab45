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
