/**
 * Care grants: the daily planner decides what is due on a date and fans the work out (one task
 * per branch and occasion, one for the birthdays); each task grants a page of members and hands
 * the rest on. Every grant is written once per member, occasion and year, with the member's
 * yearly totals and its domain event, in one transaction: however often the planner runs,
 * a member gets one grant, one ledger entry and one mail.
 */

import { CARE_SOURCE } from '../../../events/care.ts';
import type { DomainEvent } from '../../../events/domain.ts';
import type { Member } from '../members/member.ts';
import type { WorkdayOverride } from './calendar.ts';
import { DEFAULT_OCCASIONS } from './occasions.ts';
import { type CareCategory, type CarePolicy, decideGrant, policyOn } from './policy.ts';

export type CareTask =
  | { kind: 'holiday'; occasion: string; year: number; date: string; branch: string; cursor?: string }
  | { kind: 'birthday'; date: string; cursor?: string };

export interface GrantRecord {
  employeeId: string;
  memberId: string;
  membershipNumber: string;
  branch: { code: string; name: string };
  occasion: string;
  occasionName: string;
  category: CareCategory;
  year: number;
  /** The day the grant is made (the dispatch date of a holiday, the birthday itself). */
  date: string;
  amountFen: number;
  gift?: string;
  reason: 'full' | 'reduced_by_cap' | 'skipped_cap_reached';
  policyEffectiveFrom: string;
  createdAt: string;
}

export interface CareStore {
  policies(): Promise<CarePolicy[]>;
  workdayOverrides(): Promise<WorkdayOverride[]>;
  branches(): Promise<string[]>;
  membersOfBranch(
    branch: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ members: Member[]; cursor?: string }>;
  birthdays(
    monthDays: string[],
    cursor: string | undefined,
    limit: number,
  ): Promise<{ members: Member[]; cursor?: string }>;
  member(employeeId: string): Promise<Member | undefined>;
  /** 'already' if this member, occasion and year has a grant; 'conflict' if the member changed since read. */
  grant(
    member: Member,
    record: GrantRecord,
    event: DomainEvent | undefined,
  ): Promise<'granted' | 'already' | 'conflict'>;
}

export interface TaskQueue {
  enqueue(tasks: CareTask[]): Promise<void>;
}

export interface CareDeps {
  store: CareStore;
  queue: TaskQueue;
  now: () => Date;
  newId: () => string;
  pageSize?: number;
}

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Month-days whose birthdays fall on `date`: 29 February is honoured on 28 February in common years. */
export const birthdayKeys = (date: string): string[] => {
  const md = date.slice(5, 10);
  return md === '02-28' && !isLeapYear(Number(date.slice(0, 4))) ? ['02-28', '02-29'] : [md];
};

const occasionInfo = (occasion: string) => DEFAULT_OCCASIONS.find((o) => o.occasion === occasion);

/** One task: a page of members granted, the rest handed on as a new task. */
export const runCareTask = async (task: CareTask, deps: CareDeps) => {
  const limit = deps.pageSize ?? 100;
  const page =
    task.kind === 'holiday'
      ? await deps.store.membersOfBranch(task.branch, task.cursor, limit)
      : await deps.store.birthdays(birthdayKeys(task.date), task.cursor, limit);
  if (page.cursor) await deps.queue.enqueue([{ ...task, cursor: page.cursor }]);
  const policy = policyOn(task.date, await deps.store.policies());
  const occasion = task.kind === 'holiday' ? task.occasion : 'birthday';
  const year = task.kind === 'holiday' ? task.year : Number(task.date.slice(0, 4));
  const info = occasionInfo(occasion);
  const rule = policy.occasions[occasion];
  const counts = { granted: 0, already: 0, skipped: 0, notEligible: 0 };
  if (!rule) return { ...counts, members: page.members.length };
  for (const first of page.members) {
    let member: Member | undefined = first;
    for (let attempt = 0; member && attempt < 5; attempt++) {
      const spent = member.care?.[String(year)]?.[rule.category] ?? 0;
      const decision = decideGrant(
        member,
        rule,
        info?.audience ?? 'all',
        task.date,
        spent,
        policy.caps[rule.category],
      );
      if (!decision.grant && decision.reason === 'not_eligible') {
        counts.notEligible++;
        break;
      }
      const record: GrantRecord = {
        employeeId: member.employeeId,
        memberId: member.memberId,
        membershipNumber: member.membershipNumber ?? '',
        branch: member.branch ?? { code: 'SCHOOL', name: '校工会直属' },
        occasion,
        occasionName: info?.name ?? '生日',
        category: rule.category,
        year,
        date: task.date,
        amountFen: decision.amountFen,
        ...(rule.gift ? { gift: rule.gift } : {}),
        reason: decision.reason as GrantRecord['reason'],
        policyEffectiveFrom: policy.effectiveFrom,
        createdAt: deps.now().toISOString(),
      };
      const event = decision.grant ? grantedEvent(member, record, deps) : undefined;
      const outcome = await deps.store.grant(member, record, event);
      if (outcome === 'granted') {
        if (decision.grant) counts.granted++;
        else counts.skipped++;
        break;
      }
      if (outcome === 'already') {
        counts.already++;
        break;
      }
      // The member changed since the page was read (HR, another grant): read it again.
      member = await deps.store.member(member.employeeId);
    }
  }
  return { ...counts, members: page.members.length };
};

/** The CareGranted event of a grant: the member's mail. */
export const grantedEvent = (m: Member, r: GrantRecord, deps: { newId: () => string }): DomainEvent => ({
  source: CARE_SOURCE,
  detailType: 'CareGranted',
  detail: {
    eventId: deps.newId(),
    occurredAt: r.createdAt,
    version: 1,
    memberId: m.memberId,
    employeeId: m.employeeId,
    name: m.name ?? '',
    email: m.email ?? '',
    branch: r.branch,
    occasion: r.occasion,
    occasionName: r.occasionName,
    date: r.date,
    amountFen: r.amountFen,
    ...(r.gift ? { gift: r.gift } : {}),
    reason: r.reason,
  },
});
