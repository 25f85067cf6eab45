/**
 * Care policy: who is eligible for each occasion, what is granted, how many working days
 * ahead, and the yearly caps per category. Policies are settings with an effective date; the
 * one in force on a day is the latest that took effect on or before it. Amounts are in fen
 * (分); people read yuan.
 *
 * The default follows the figures seen in provincial rules for grassroots union funds: holiday
 * care within 2,000 yuan a year in total, a birthday 300, life events 1,000–2,000, and only
 * dues-paying (active) members, except 重阳 for retirees.
 */
import type { MemberStatus } from '../members/member.ts';

export type CareCategory = 'holiday' | 'birthday' | 'life';

export interface OccasionPolicy {
  enabled: boolean;
  category: CareCategory;
  amountFen: number;
  /** A gift instead of money (no cash or shopping cards for holiday care): recorded at its value. */
  gift?: string;
  workingDaysAhead: number;
  statuses: MemberStatus[];
  /** Days of membership before the grant date (0: a member who joined the day before qualifies). */
  minMembershipDays: number;
}

export type LifeEventKind =
  | 'wedding'
  | 'birth'
  | 'hospital'
  | 'bereavement'
  | 'bereavement_relative'
  | 'retirement';

export interface CarePolicy {
  effectiveFrom: string;
  caps: Record<CareCategory, number>;
  occasions: Record<string, OccasionPolicy>;
  lifeEvents: Record<LifeEventKind, { amountFen: number }>;
}

const yuan = (n: number) => n * 100;
const holiday = (amount: number, gift: string, statuses: MemberStatus[] = ['active']): OccasionPolicy => ({
  enabled: true,
  category: 'holiday',
  amountFen: yuan(amount),
  gift,
  workingDaysAhead: 1,
  statuses,
  minMembershipDays: 0,
});

export const DEFAULT_CARE_POLICY: CarePolicy = {
  effectiveFrom: '2000-01-01',
  caps: { holiday: yuan(2000), birthday: yuan(300), life: yuan(6000) },
  occasions: {
    new_year: holiday(150, '节日慰问品'),
    spring_festival: holiday(500, '春节慰问品'),
    womens_day: holiday(200, '妇女节慰问品'),
    labour_day: holiday(150, '节日慰问品'),
    dragon_boat: holiday(200, '粽子礼盒'),
    teachers_day: holiday(200, '教师节慰问品'),
    mid_autumn: holiday(300, '月饼礼盒'),
    national_day: holiday(200, '节日慰问品'),
    double_ninth: holiday(300, '重阳慰问品', ['retired']),
    birthday: {
      enabled: true,
      category: 'birthday',
      amountFen: yuan(300),
      gift: '生日蛋糕券',
      workingDaysAhead: 0,
      statuses: ['active'],
      minMembershipDays: 0,
    },
  },
  lifeEvents: {
    wedding: { amountFen: yuan(1000) },
    birth: { amountFen: yuan(1000) },
    hospital: { amountFen: yuan(1000) },
    bereavement: { amountFen: yuan(2000) },
    bereavement_relative: { amountFen: yuan(1000) },
    retirement: { amountFen: yuan(1500) },
  },
};

/** The policy in force on a date: the latest effective on or before it (the default otherwise). */
export const policyOn = (date: string, policies: CarePolicy[]): CarePolicy =>
  [...policies]
    .filter((p) => p.effectiveFrom <= date)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0] ?? DEFAULT_CARE_POLICY;

export interface GrantSubject {
  status?: MemberStatus;
  gender?: 'female' | 'male';
  joinedOn?: string;
  enrolled: boolean;
}

export type GrantDecision =
  | { grant: true; amountFen: number; reason: 'full' | 'reduced_by_cap' }
  | { grant: false; amountFen: 0; reason: 'skipped_cap_reached' | 'not_eligible'; detail: string };

/** Whether and how much: eligibility first, then the yearly cap of the category. */
export const decideGrant = (
  member: GrantSubject,
  rule: OccasionPolicy,
  audience: 'all' | 'women' | 'retirees',
  date: string,
  spentThisYearFen: number,
  capFen: number,
): GrantDecision => {
  const no = (detail: string): GrantDecision => ({
    grant: false,
    amountFen: 0,
    reason: 'not_eligible',
    detail,
  });
  if (!member.enrolled || !member.status) return no('not a member');
  if (!rule.enabled) return no('occasion disabled');
  if (!rule.statuses.includes(member.status)) return no(`status ${member.status}`);
  if (audience === 'women' && member.gender !== 'female') return no('women only');
  if (audience === 'retirees' && member.status !== 'retired') return no('retirees only');
  if (member.joinedOn) {
    const days = (Date.parse(date) - Date.parse(member.joinedOn)) / 86_400_000;
    if (days < rule.minMembershipDays) return no(`member for ${Math.max(0, days)} days`);
    if (days < 0) return no('joins later');
  }
  const room = Math.max(0, capFen - spentThisYearFen);
  if (room === 0)
    return { grant: false, amountFen: 0, reason: 'skipped_cap_reached', detail: `cap ${capFen} reached` };
  if (room < rule.amountFen) return { grant: true, amountFen: room, reason: 'reduced_by_cap' };
  return { grant: true, amountFen: rule.amountFen, reason: 'full' };
};
