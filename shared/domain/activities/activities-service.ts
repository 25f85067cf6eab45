/**
 * The activities API's use cases. Every change to an activity's registrations (a registration,
 * a cancellation and the promotions it makes) is stored with the activity item in one
 * transaction conditioned on the activity's version: concurrent registrations are serialised on
 * it, so the confirmed places never exceed the capacity and the sequence numbers (first come,
 * first served) are given out once each.
 */

import { ACTIVITIES_SOURCE } from '../../../events/activities.ts';
import type { DomainEvent } from '../../../events/domain.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.ts';
import { isActiveMember, type MemberLookup, recipientOf } from '../member-lookup.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { shanghaiDate } from '../time.ts';
import {
  type Activity,
  type ActivityKind,
  activityProblems,
  admit,
  dayAfter,
  type Eligibility,
  type FamilyMember,
  familyOf,
  freePlaces,
  promotions,
  type Registration,
  waitingList,
  windowState,
} from './activity.ts';

export interface ActivityStore {
  get(id: string): Promise<Activity | undefined>;
  registration(activityId: string, employeeId: string): Promise<Registration | undefined>;
  registrations(activityId: string): Promise<Registration[]>;
  /** Activities on or after a date, by date. */
  upcoming(from: string): Promise<Activity[]>;
  /** Activities on a date (the reminders). */
  on(date: string): Promise<Activity[]>;
  create(activity: Activity, event: DomainEvent): Promise<void>;
  /**
   * Stores the activity (if its version is still `activity.version - 1`), the registrations and
   * the events in one transaction; 'conflict' if the activity changed meanwhile.
   */
  commit(write: {
    activity: Activity;
    registrations: Registration[];
    events: DomainEvent[];
  }): Promise<'saved' | 'conflict'>;
  /** Stores an event alone, once per event id (reminders); false if it was stored before. */
  emitOnce(event: DomainEvent): Promise<boolean>;
}

export interface ActivityDeps {
  store: ActivityStore;
  members: MemberLookup;
  now: () => Date;
  newId: () => string;
  /** Between attempts after a conflict (tests pass a no-op). */
  pause?: (attempt: number) => Promise<void>;
}

export type Input<T> = () => T;

/** Attempts before a busy activity answers 409: a few dozen concurrent registrations get through. */
const MAX_ATTEMPTS = 80;
const defaultPause = (attempt: number) =>
  new Promise<void>((r) => setTimeout(r, Math.random() * Math.min(100, 5 + attempt * 3)));

const ORGANISER_ROLES = ['officer', 'chair', 'admin'] as const;

export interface CreateActivityInput {
  title: string;
  kind: ActivityKind;
  description?: string;
  date: string;
  place: string;
  capacity: number;
  opensOn: string;
  closesOn: string;
  eligibility: Eligibility;
  branch?: string;
}

export const createActivity = async (
  actor: Principal,
  body: Input<CreateActivityInput>,
  deps: ActivityDeps,
) => {
  const chairOrAdmin = hasAnyRole(actor, 'chair', 'admin');
  if (!chairOrAdmin && !(actor.roles.has('officer') && actor.branch))
    throw new Forbidden(
      '仅主席、管理员或分工会干部可发布活动 / Officers, the chair and admins create activities',
    );
  const input = body();
  const problems = activityProblems(input);
  if (problems.length)
    throw new InvalidInput('活动日期或名额有误 / Invalid dates or capacity', { errors: problems });
  let branch: string | null = input.branch ?? null;
  if (!chairOrAdmin) {
    if (branch !== null && branch !== actor.branch)
      throw new Forbidden('只能为本分工会发布活动 / Officers create activities for their own branch');
    branch = actor.branch!;
  }
  const at = deps.now().toISOString();
  const activity: Activity = {
    id: deps.newId(),
    title: input.title,
    kind: input.kind,
    description: input.description ?? null,
    date: input.date,
    place: input.place,
    capacity: input.capacity,
    opensOn: input.opensOn,
    closesOn: input.closesOn,
    eligibility: input.eligibility,
    branch,
    taken: 0,
    waiting: 0,
    seq: 0,
    createdBy: actor.sub,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await deps.store.create(activity, {
    source: ACTIVITIES_SOURCE,
    detailType: 'ActivityCreated',
    detail: {
      eventId: deps.newId(),
      occurredAt: at,
      version: 1,
      ...facts(activity),
      capacity: activity.capacity,
      branch,
      by: actor.sub,
    },
  });
  return activityView(activity);
};

const facts = (a: Activity) => ({ activityId: a.id, title: a.title, date: a.date, place: a.place });

export const activityView = (a: Activity) => ({
  id: a.id,
  title: a.title,
  kind: a.kind,
  description: a.description,
  date: a.date,
  place: a.place,
  capacity: a.capacity,
  opensOn: a.opensOn,
  closesOn: a.closesOn,
  eligibility: a.eligibility,
  branch: a.branch,
  taken: a.taken,
  free: freePlaces(a),
  waiting: a.waiting,
  createdBy: a.createdBy,
  createdAt: a.createdAt,
});

const load = async (id: string, deps: ActivityDeps) => {
  const a = await deps.store.get(id);
  if (!a) throw new NotFound('活动不存在 / No such activity');
  return a;
};

const registrationView = (r: Registration, all?: Registration[]) => ({
  status: r.status,
  family: r.family,
  familyMembers: r.familyMembers ?? [],
  places: r.places,
  registeredAt: r.registeredAt,
  confirmedAt: r.confirmedAt,
  promoted: r.promoted,
  ...(r.status === 'waiting' && all
    ? { position: waitingList(all).findIndex((w) => w.employeeId === r.employeeId) + 1 }
    : {}),
});

export const listActivities = async (_actor: Principal, deps: ActivityDeps) => ({
  items: (await deps.store.upcoming(shanghaiDate(deps.now()))).map(activityView),
});

export const getActivity = async (actor: Principal, id: string, deps: ActivityDeps) => {
  const a = await load(id, deps);
  const mine = await deps.store.registration(id, actor.sub);
  const all = mine?.status === 'waiting' ? await deps.store.registrations(id) : undefined;
  return {
    ...activityView(a),
    mine: mine && mine.status !== 'cancelled' ? registrationView(mine, all) : null,
  };
};

/** The caller as a member who may take part: an active member, of the activity's branch if it has one. */
const participant = async (actor: Principal, deps: ActivityDeps) => {
  const member = (await deps.members.many([actor.sub])).get(actor.sub);
  if (!isActiveMember(member)) throw new Forbidden('仅在册会员可报名 / Only members register');
  return member;
};

export interface RegisterInput {
  /** How many family members come along (when they are not named). */
  family?: number;
  /** The family members by name and relation: each takes a place. */
  familyMembers?: FamilyMember[];
}

export const register = async (
  actor: Principal,
  id: string,
  body: Input<RegisterInput>,
  deps: ActivityDeps,
) => {
  const member = await participant(actor, deps);
  let input: RegisterInput | undefined;
  for (let attempt = 1; ; attempt++) {
    const a = await load(id, deps);
    if (a.branch !== null && member.branch?.code !== a.branch)
      throw new Forbidden('该活动仅限本分工会会员 / This activity is for the members of its branch');
    input ??= body();
    const counted = familyOf(input);
    if ('problem' in counted)
      throw new InvalidInput('家属人数与名单不符 / The family count does not match the names', {
        errors: [counted.problem],
      });
    const { family, familyMembers } = counted;
    if (family > 0 && a.eligibility !== 'members_with_family')
      throw new InvalidInput('该活动不可携带家属 / This activity is for members only', {
        errors: [
          {
            field: input.familyMembers ? 'familyMembers' : 'family',
            message: '该活动不可携带家属 / members only',
          },
        ],
      });
    const today = shanghaiDate(deps.now());
    const state = windowState(a, today);
    if (state !== 'open')
      throw new Conflict(
        state === 'not_open'
          ? `报名尚未开始（${a.opensOn}） / Registration opens on ${a.opensOn}`
          : `报名已截止（${a.closesOn}） / Registration closed on ${a.closesOn}`,
        { opensOn: a.opensOn, closesOn: a.closesOn },
      );
    const existing = await deps.store.registration(id, actor.sub);
    if (existing && existing.status !== 'cancelled')
      throw new Conflict('您已报名 / You are registered already', { status: existing.status });
    const places = 1 + family;
    const status = admit(a, places);
    const at = deps.now().toISOString();
    const next: Activity = {
      ...a,
      taken: a.taken + (status === 'confirmed' ? places : 0),
      waiting: a.waiting + (status === 'waiting' ? 1 : 0),
      seq: a.seq + 1,
      updatedAt: at,
      version: a.version + 1,
    };
    const registration: Registration = {
      activityId: a.id,
      employeeId: actor.sub,
      name: member.name ?? null,
      branch: member.branch?.code ?? null,
      family,
      familyMembers,
      places,
      status,
      seq: next.seq,
      registeredAt: at,
      confirmedAt: status === 'confirmed' ? at : null,
      cancelledAt: null,
      promoted: false,
    };
    // The newest registration is the last one waiting.
    const position = status === 'waiting' ? next.waiting : null;
    const event: DomainEvent = {
      source: ACTIVITIES_SOURCE,
      detailType: 'ActivityRegistered',
      detail: {
        eventId: deps.newId(),
        occurredAt: at,
        version: 1,
        ...facts(a),
        employeeId: actor.sub,
        status,
        position,
        family,
        recipient: recipientOf(member),
      },
    };
    const saved = await deps.store.commit({ activity: next, registrations: [registration], events: [event] });
    if (saved === 'saved')
      return { ...registrationView(registration), ...(position !== null ? { position } : {}) };
    if (attempt >= MAX_ATTEMPTS) throw new Conflict('报名人数过多，请重试 / The activity is busy; try again');
    await (deps.pause ?? defaultPause)(attempt);
  }
};

/**
 * The member cancels (until the day before the activity). The places a confirmed registration
 * frees go, in the same transaction, to the waiting registrations that fit, in their order.
 */
export const cancel = async (actor: Principal, id: string, body: Input<unknown>, deps: ActivityDeps) => {
  await participant(actor, deps);
  let checked = false;
  for (let attempt = 1; ; attempt++) {
    const a = await load(id, deps);
    if (!checked) {
      body();
      checked = true;
    }
    const today = shanghaiDate(deps.now());
    if (today >= a.date)
      throw new Conflict('活动当天及之后不能取消 / Too late to cancel: the activity is today or over');
    const all = await deps.store.registrations(id);
    const mine = all.find((r) => r.employeeId === actor.sub);
    if (!mine || mine.status === 'cancelled') throw new Conflict('您未报名 / You are not registered');
    const at = deps.now().toISOString();
    const was = mine.status;
    const cancelled: Registration = { ...mine, status: 'cancelled', cancelledAt: at };
    const others = all.filter((r) => r.employeeId !== actor.sub);
    const freed = was === 'confirmed' ? freePlaces(a) + mine.places : freePlaces(a);
    const promoted = promotions(freed, others).map(
      (r): Registration => ({ ...r, status: 'confirmed', confirmedAt: at, promoted: true }),
    );
    const promotedPlaces = promoted.reduce((n, r) => n + r.places, 0);
    const next: Activity = {
      ...a,
      taken: a.taken - (was === 'confirmed' ? mine.places : 0) + promotedPlaces,
      waiting: a.waiting - (was === 'waiting' ? 1 : 0) - promoted.length,
      updatedAt: at,
      version: a.version + 1,
    };
    const emails = await deps.members.many(promoted.map((r) => r.employeeId));
    const events: DomainEvent[] = [
      {
        source: ACTIVITIES_SOURCE,
        detailType: 'ActivityCancelled',
        detail: {
          eventId: deps.newId(),
          occurredAt: at,
          version: 1,
          ...facts(a),
          employeeId: actor.sub,
          was,
          promoted: promoted.map((r) => r.employeeId),
        },
      },
      ...promoted.map(
        (r): DomainEvent => ({
          source: ACTIVITIES_SOURCE,
          detailType: 'ActivityPromoted',
          detail: {
            eventId: deps.newId(),
            occurredAt: at,
            version: 1,
            ...facts(a),
            employeeId: r.employeeId,
            family: r.family,
            recipient: recipientOf(emails.get(r.employeeId)),
          },
        }),
      ),
    ];
    const saved = await deps.store.commit({
      activity: next,
      registrations: [cancelled, ...promoted],
      events,
    });
    if (saved === 'saved') return { status: 'cancelled' as const, promoted: promoted.length };
    if (attempt >= MAX_ATTEMPTS) throw new Conflict('活动正忙，请重试 / The activity is busy; try again');
    await (deps.pause ?? defaultPause)(attempt);
  }
};

/** Organisers: the chair and admins, the officer of the activity's branch, whoever created it. */
export const participants = async (actor: Principal, id: string, deps: ActivityDeps) => {
  if (!hasAnyRole(actor, ...ORGANISER_ROLES)) throw new Forbidden('仅活动组织者 / Organisers only');
  const a = await load(id, deps);
  const organiser =
    hasAnyRole(actor, 'chair', 'admin') ||
    a.createdBy === actor.sub ||
    (a.branch !== null && actor.branch === a.branch);
  if (!organiser) throw new Forbidden('仅活动组织者 / Organisers only');
  const all = await deps.store.registrations(id);
  const row = (r: Registration, position: number | null) => ({
    status: r.status,
    position,
    employeeId: r.employeeId,
    name: r.name ?? '',
    branch: r.branch ?? '',
    family: r.family,
    familyMembers: r.familyMembers ?? [],
    places: r.places,
    registeredAt: r.registeredAt,
    promoted: r.promoted,
  });
  const confirmed = all
    .filter((r) => r.status === 'confirmed')
    .sort((x, y) => x.seq - y.seq)
    .map((r) => row(r, null));
  const waiting = waitingList(all).map((r, i) => row(r, i + 1));
  return {
    activity: activityView(a),
    confirmed,
    waiting,
    totals: {
      confirmedRegistrations: confirmed.length,
      confirmedPlaces: a.taken,
      waiting: waiting.length,
    },
  };
};

/**
 * The daily reminder: every confirmed participant of an activity tomorrow gets one reminder,
 * ever (the event id is the activity and the member), however often the job runs.
 */
export const remindParticipants = async (date: string, deps: ActivityDeps) => {
  const tomorrow = dayAfter(date);
  let reminded = 0;
  let skipped = 0;
  for (const a of await deps.store.on(tomorrow)) {
    const confirmed = (await deps.store.registrations(a.id)).filter((r) => r.status === 'confirmed');
    const people = await deps.members.many(confirmed.map((r) => r.employeeId));
    for (const r of confirmed) {
      const recipient = recipientOf(people.get(r.employeeId));
      if (!recipient) {
        skipped++;
        continue;
      }
      const stored = await deps.store.emitOnce({
        source: ACTIVITIES_SOURCE,
        detailType: 'ActivityReminderDue',
        detail: {
          eventId: `activity-remind-${a.id}-${r.employeeId}`,
          occurredAt: deps.now().toISOString(),
          version: 1,
          ...facts(a),
          employeeId: r.employeeId,
          family: r.family,
          recipient,
        },
      });
      if (stored) reminded++;
      else skipped++;
    }
  }
  return { date, activitiesOn: tomorrow, reminded, skipped };
};
