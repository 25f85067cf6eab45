/**
 * An activity (运动会, 亲子运动会, a club, 疗休养) and the pure rules of its registrations:
 * the registration window, who gets a place and who waits, and who a freed place goes to.
 *
 * Places: a registration takes 1 + the family members it brings (only where the eligibility is
 * `members_with_family`). The confirmed places never exceed the capacity. A registration that
 * does not fit waits, in the order it came (its sequence number); when places free, the first
 * waiting registration that fits is confirmed, then the next that fits what is left, and so on.
 */
export const ACTIVITY_KINDS = ['sports_meet', 'family_sports', 'club', 'recuperation', 'other'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ELIGIBILITIES = ['members', 'members_with_family'] as const;
export type Eligibility = (typeof ELIGIBILITIES)[number];

/** At most this many family members per registration. */
export const MAX_FAMILY = 6;

/** Who a family member is to the member (what organisers need for tickets and insurance). */
export const FAMILY_RELATIONS = ['spouse', 'child', 'parent', 'other'] as const;
export type FamilyRelation = (typeof FAMILY_RELATIONS)[number];
export interface FamilyMember {
  name: string;
  relation: FamilyRelation;
}

export interface Activity {
  id: string;
  title: string;
  kind: ActivityKind;
  description: string | null;
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
  place: string;
  capacity: number;
  /** Registration window, both days included. */
  opensOn: string;
  closesOn: string;
  eligibility: Eligibility;
  /** The branch union it is for (an officer's activity), or null: everyone. */
  branch: string | null;
  /** Confirmed places (registrations and their family members). */
  taken: number;
  /** Registrations waiting. */
  waiting: number;
  /** The last registration's sequence number (first come, first served). */
  seq: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Every registration change moves it: changes of one activity are serialised on it. */
  version: number;
}

export type RegistrationStatus = 'confirmed' | 'waiting' | 'cancelled';

export interface Registration {
  activityId: string;
  /** The member's 工号. */
  employeeId: string;
  name: string | null;
  branch: string | null;
  family: number;
  /** Who they are, when the member named them (registrations that gave only a count have none). */
  familyMembers?: FamilyMember[];
  /** 1 + family. */
  places: number;
  status: RegistrationStatus;
  seq: number;
  registeredAt: string;
  confirmedAt: string | null;
  cancelledAt: string | null;
  /** Confirmed from the waiting list. */
  promoted: boolean;
}

export type WindowState = 'not_open' | 'open' | 'closed';

/** Where `today` (YYYY-MM-DD) is relative to a window whose both days are included. */
export const windowState = (w: { opensOn: string; closesOn: string }, today: string): WindowState =>
  today < w.opensOn ? 'not_open' : today > w.closesOn ? 'closed' : 'open';

export const freePlaces = (a: Pick<Activity, 'capacity' | 'taken'>) => Math.max(0, a.capacity - a.taken);

/** A new registration of `places` places is confirmed if it fits what is free, else it waits. */
export const admit = (a: Pick<Activity, 'capacity' | 'taken'>, places: number): 'confirmed' | 'waiting' =>
  places <= freePlaces(a) ? 'confirmed' : 'waiting';

/** Waiting registrations in the order they came. */
export const waitingList = <R extends Pick<Registration, 'status' | 'seq'>>(registrations: R[]): R[] =>
  registrations.filter((r) => r.status === 'waiting').sort((x, y) => x.seq - y.seq);

/**
 * Who the free places go to: walking the waiting list in order, each registration that fits what
 * is still free is confirmed. Returns them in that order.
 */
export const promotions = <R extends Pick<Registration, 'status' | 'seq' | 'places'>>(
  free: number,
  registrations: R[],
): R[] => {
  const promoted: R[] = [];
  let left = free;
  for (const r of waitingList(registrations)) {
    if (left <= 0) break;
    if (r.places <= left) {
      promoted.push(r);
      left -= r.places;
    }
  }
  return promoted;
};

/**
 * How many family members a registration brings: the named ones, or the count when none are
 * named; a count that disagrees with the names is a failing `family` field.
 */
export const familyOf = (input: {
  family?: number;
  familyMembers?: FamilyMember[];
}): { family: number; familyMembers: FamilyMember[] } | { problem: { field: string; message: string } } => {
  const named = input.familyMembers ?? [];
  if (input.family !== undefined && input.familyMembers !== undefined && input.family !== named.length)
    return { problem: { field: 'family', message: '家属人数与名单不符 / does not match familyMembers' } };
  return {
    family: input.familyMembers !== undefined ? named.length : (input.family ?? 0),
    familyMembers: named,
  };
};

/** What is wrong with an activity's dates and numbers, as failing fields (empty: nothing). */
export const activityProblems = (a: {
  date: string;
  opensOn: string;
  closesOn: string;
  capacity: number;
}): Array<{ field: string; message: string }> => {
  const problems: Array<{ field: string; message: string }> = [];
  if (a.opensOn > a.closesOn)
    problems.push({ field: 'closesOn', message: '报名截止日不能早于开始日 / before opensOn' });
  if (a.closesOn > a.date)
    problems.push({ field: 'closesOn', message: '报名截止日不能晚于活动日期 / after the activity date' });
  if (!Number.isInteger(a.capacity) || a.capacity < 1)
    problems.push({ field: 'capacity', message: '名额至少为 1 / at least 1' });
  return problems;
};

/** The day before a date (YYYY-MM-DD). */
export const dayBefore = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
export const dayAfter = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
