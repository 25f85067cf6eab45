/**
 * The care one member received in a year, for their page: every grant (also one the cap reduced
 * or skipped: the page says why), with the year's totals per category against the caps. The
 * member reads their own; their branch's officer, the chair and admins read anyone's; the
 * auditor (经审) reads it as part of the ledger.
 */
import { Forbidden, NotFound } from '../errors.ts';
import type { Member } from '../members/member.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { shanghaiDate } from '../time.ts';
import type { GrantRecord } from './grants.ts';
import { type LedgerEntry, ledgerEntryView } from './ledger.ts';
import { type CareCategory, type CarePolicy, policyOn } from './policy.ts';

export interface MemberCareReader {
  memberById(memberId: string): Promise<Member | undefined>;
  /** The member's grants of a year (their own partition, not the ledger's index). */
  grantsOf(employeeId: string, year: number): Promise<GrantRecord[]>;
  policies(): Promise<CarePolicy[]>;
}

export const CARE_CATEGORIES: readonly CareCategory[] = ['holiday', 'birthday', 'life'];

export const memberCare = async (
  actor: Principal,
  memberId: string,
  yearInput: () => number | undefined,
  deps: { reader: MemberCareReader; now: () => Date },
) => {
  const m = await deps.reader.memberById(memberId);
  if (!m?.enrolled) throw new NotFound('会员不存在 / No such member');
  const allowed =
    hasAnyRole(actor, 'chair', 'admin', 'auditor') ||
    m.employeeId === actor.sub ||
    (actor.roles.has('officer') && actor.branch !== undefined && actor.branch === m.branch?.code);
  if (!allowed) throw new Forbidden('无权查看该会员的慰问记录 / You may not see this member’s care');
  const today = shanghaiDate(deps.now());
  const year = yearInput() ?? Number(today.slice(0, 4));
  const [grants, policies] = await Promise.all([
    deps.reader.grantsOf(m.employeeId, year),
    deps.reader.policies(),
  ]);
  // The caps of the year: as in force today for this year, as at its end for a past one.
  const capsOn = String(year) === today.slice(0, 4) ? today : `${year}-12-31`;
  const policy = policyOn(capsOn, policies);
  const entries: LedgerEntry[] = grants.map(ledgerEntryView).sort((a, b) => a.date.localeCompare(b.date));
  const totals = CARE_CATEGORIES.map((category) => {
    const spentFen = entries.filter((e) => e.category === category).reduce((sum, e) => sum + e.amountFen, 0);
    const capFen = policy.caps[category];
    return { category, spentFen, capFen, remainingFen: Math.max(0, capFen - spentFen) };
  });
  return {
    memberId: m.memberId,
    employeeId: m.employeeId,
    year,
    capsAsOf: capsOn,
    entries,
    totals,
    totalFen: entries.reduce((sum, e) => sum + e.amountFen, 0),
  };
};
