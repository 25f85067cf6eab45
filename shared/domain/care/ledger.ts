/**
 * The ledger for the funds audit (经审): every grant of a year, by branch and occasion, with
 * totals. Grants are never edited; a correction would be a new entry.
 */
import { Forbidden } from '../errors.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import type { GrantRecord } from './grants.ts';

/**
 * What a grant is totalled under: its occasion, or for a life event (`hospital:<request>`, one
 * occasion per request so that each is granted once) its kind, as the dashboard counts them.
 */
export const occasionGroup = (occasion: string) => occasion.split(':')[0]!;

export interface LedgerReader {
  /** `occasion`: an occasion, a life-event kind (every grant of that kind) or one request's `kind:id`. */
  branches(): Promise<string[]>;
  entries(q: { year: number; branch: string; occasion?: string }): Promise<GrantRecord[]>;
}

export interface LedgerQuery {
  year: number;
  branch?: string;
  occasion?: string;
}

export const ledgerEntryView = (r: GrantRecord) => ({
  memberId: r.memberId,
  employeeId: r.employeeId,
  membershipNumber: r.membershipNumber,
  branch: r.branch.code,
  branchName: r.branch.name,
  occasion: r.occasion,
  occasionName: r.occasionName,
  category: r.category,
  year: r.year,
  date: r.date,
  amountFen: r.amountFen,
  gift: r.gift ?? null,
  reason: r.reason,
  policyEffectiveFrom: r.policyEffectiveFrom,
  recordedAt: r.createdAt,
});
export type LedgerEntry = ReturnType<typeof ledgerEntryView>;

export const readLedger = async (actor: Principal, queryInput: () => LedgerQuery, reader: LedgerReader) => {
  const manager = hasAnyRole(actor, 'chair', 'admin', 'auditor');
  if (!manager && !(actor.roles.has('officer') && actor.branch)) {
    throw new Forbidden('仅工会干部、经审可查看台账 / Officers and auditors only');
  }
  const q = queryInput();
  if (!manager && q.branch !== undefined && q.branch !== actor.branch) {
    throw new Forbidden('只能查看本分工会台账 / Officers see their own branch');
  }
  const branches = manager ? (q.branch ? [q.branch] : await reader.branches()) : [actor.branch!];
  const entries: LedgerEntry[] = [];
  for (const branch of branches) {
    const rows = await reader.entries({
      year: q.year,
      branch,
      ...(q.occasion ? { occasion: q.occasion } : {}),
    });
    entries.push(...rows.map(ledgerEntryView));
  }
  entries.sort(
    (a, b) =>
      a.branch.localeCompare(b.branch) ||
      a.occasion.localeCompare(b.occasion) ||
      a.employeeId.localeCompare(b.employeeId),
  );
  const totals = new Map<
    string,
    { branch: string; occasion: string; name: string; entries: number; amountFen: number }
  >();
  for (const e of entries) {
    const occasion = occasionGroup(e.occasion);
    const key = `${e.branch}#${occasion}`;
    const t = totals.get(key) ?? {
      branch: e.branch,
      occasion,
      name: e.occasionName,
      entries: 0,
      amountFen: 0,
    };
    t.entries++;
    t.amountFen += e.amountFen;
    totals.set(key, t);
  }
  return {
    year: q.year,
    entries,
    totals: [...totals.values()],
    totalFen: entries.reduce((sum, e) => sum + e.amountFen, 0),
  };
};
