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
import type { Audience } from './occasions.ts';
import { type CareCategory, type CarePolicy, decideGrant, type OccasionPolicy } from './policy.ts';
import { type CareSettings, careYear } from './settings.ts';

/**
 * What a task grants, resolved by the planner from the settings once per run and carried by every
 * task of the run, so that the workers granting pages of members read no settings at all.
 */
export interface TaskPlan {
  name: string;
  audience: Audience;
  rule: OccasionPolicy;
  capFen: number;
  policyEffectiveFrom: string;
}

export type CareTask =
  | {
      kind: 'holiday';
      occasion: string;
      year: number;
      date: string;
      branch: string;
      cursor?: string;
      plan?: TaskPlan;
    }
  | { kind: 'birthday'; date: string; cursor?: string; plan?: TaskPlan };

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

export type GrantOutcome = 'granted' | 'already' | 'conflict';

export interface CareStore {
  /** Every care setting (policy versions, the union's occasions, working-day overrides): one read. */
  settings(): Promise<CareSettings>;
  policies(): Promise<CarePolicy[]>;
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
  grant(member: Member, record: GrantRecord, event: DomainEvent | undefined): Promise<GrantOutcome>;
  /**
   * Many grants in as few requests as the store allows, each as `grant` would make it; one outcome
   * per entry, in order. A grant that fails its condition does not hold back the others.
   */
  grantAll(
    entries: Array<{ member: Member; record: GrantRecord; event: DomainEvent | undefined }>,
  ): Promise<GrantOutcome[]>;
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

/** What an occasion grants on a date under the settings; undefined when nothing does. */
export const planOf = (occasion: string, date: string, settings: CareSettings): TaskPlan | undefined => {
  const y = careYear(settings);
  const policy = y.policyOn(date);
  const rule = y.ruleFor(policy, occasion);
  if (!rule) return undefined;
  const info = occasion === 'birthday' ? { name: '生日', audience: 'all' as const } : y.occasion(occasion);
  return {
    name: info?.name ?? occasion,
    audience: info?.audience ?? 'all',
    rule,
    capFen: policy.caps[rule.category],
    policyEffectiveFrom: policy.effectiveFrom,
  };
};

/** Members granted per store request (three items each: the member's totals, the grant, its event). */
const GRANTS_PER_REQUEST = 25;

/**
 * One task: a page of members granted, the rest handed on as a new task first (so the next page
 * is granted by another instance meanwhile). The page's grants go to the store together; a member
 * that changed since the page was read (HR, a life-event grant) is read again and retried alone.
 */
export const runCareTask = async (task: CareTask, deps: CareDeps) => {
  const limit = deps.pageSize ?? 100;
  const page =
    task.kind === 'holiday'
      ? await deps.store.membersOfBranch(task.branch, task.cursor, limit)
      : await deps.store.birthdays(birthdayKeys(task.date), task.cursor, limit);
  // A task from before plans were carried (or put on the queue by hand) resolves its own.
  const occasion = task.kind === 'holiday' ? task.occasion : 'birthday';
  const plan = task.plan ?? planOf(occasion, task.date, await deps.store.settings());
  if (page.cursor) await deps.queue.enqueue([{ ...task, cursor: page.cursor, ...(plan ? { plan } : {}) }]);
  const year = task.kind === 'holiday' ? task.year : Number(task.date.slice(0, 4));
  const counts = { granted: 0, already: 0, skipped: 0, notEligible: 0, conflicts: 0 };
  if (!plan) return { ...counts, members: page.members.length };
  const { rule } = plan;

  const prepare = (member: Member) => {
    const spent = member.care?.[String(year)]?.[rule.category] ?? 0;
    const decision = decideGrant(member, rule, plan.audience, task.date, spent, plan.capFen);
    if (!decision.grant && decision.reason === 'not_eligible') return undefined;
    const record: GrantRecord = {
      employeeId: member.employeeId,
      memberId: member.memberId,
      membershipNumber: member.membershipNumber ?? '',
      branch: member.branch ?? { code: 'SCHOOL', name: '校工会直属' },
      occasion,
      occasionName: plan.name,
      category: rule.category,
      year,
      date: task.date,
      amountFen: decision.amountFen,
      ...(rule.gift ? { gift: rule.gift } : {}),
      reason: decision.reason as GrantRecord['reason'],
      policyEffectiveFrom: plan.policyEffectiveFrom,
      createdAt: deps.now().toISOString(),
    };
    return { member, record, event: decision.grant ? grantedEvent(member, record, deps) : undefined };
  };

  let members = page.members;
  for (let attempt = 0; members.length && attempt < 5; attempt++) {
    const entries = members.flatMap((m) => {
      const entry = prepare(m);
      if (!entry) counts.notEligible++;
      return entry ? [entry] : [];
    });
    const changed: string[] = [];
    for (let i = 0; i < entries.length; i += GRANTS_PER_REQUEST) {
      const chunk = entries.slice(i, i + GRANTS_PER_REQUEST);
      const outcomes = await deps.store.grantAll(chunk);
      outcomes.forEach((outcome, k) => {
        const { member, record } = chunk[k]!;
        if (outcome === 'granted') {
          if (record.reason === 'skipped_cap_reached') counts.skipped++;
          else counts.granted++;
        } else if (outcome === 'already') counts.already++;
        else changed.push(member.employeeId);
      });
    }
    counts.conflicts += changed.length;
    // The member changed since the page was read (HR, another grant): read it again.
    members = (await Promise.all(changed.map((id) => deps.store.member(id)))).filter(
      (m): m is Member => m !== undefined,
    );
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
