/**
 * Care settings as the chair and admins manage them through the API: policy versions, the
 * union's own occasions, working-day overrides. The past is not rewritten: a policy version that
 * took effect before today is never changed (a new version is added instead), and a working-day
 * override for a day before today stays as it was (the gifts of that day went out by it).
 */
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { shanghaiDate } from '../time.ts';
import { prepareCalendar, WorkCalendar } from './calendar.ts';
import { DEFAULT_OCCASIONS, type OccasionDefinition } from './occasions.ts';
import { calendarOf } from './planner.ts';
import {
  type CarePolicy,
  DEFAULT_CARE_POLICY,
  type LifeEventKind,
  type OccasionPolicy,
  policyOn,
} from './policy.ts';
import {
  type CareSettingsStore,
  type CustomOccasion,
  careYear,
  type StoredPolicy,
  type WorkdayOverride,
  type WorkdayYear,
} from './settings.ts';

export interface SettingsDeps {
  settings: CareSettingsStore;
  now: () => Date;
}

const requireManager = (actor: Principal) => {
  if (!hasAnyRole(actor, 'chair', 'admin'))
    throw new Forbidden('仅工会主席、管理员可管理慰问设置 / Only the chair and admins manage care settings');
};

const today = (deps: SettingsDeps) => shanghaiDate(deps.now());

// ---- policy ----

export interface PolicyInput {
  effectiveFrom: string;
  caps?: Partial<CarePolicy['caps']>;
  occasions?: Record<string, Partial<OccasionPolicy>>;
  lifeEvents?: Partial<Record<LifeEventKind, { amountFen: number }>>;
}

export const readPolicy = async (actor: Principal, date: () => string | undefined, deps: SettingsDeps) => {
  requireManager(actor);
  const now = today(deps);
  const on = date() ?? now;
  const s = await deps.settings.settings();
  const inForce = policyOn(on, s.policies);
  const current = policyOn(now, s.policies);
  return {
    date: on,
    today: now,
    inForce,
    source: inForce === DEFAULT_CARE_POLICY ? 'default' : 'stored',
    // The API's rule as the page's rule: a version that took effect before today is never
    // changed (PUT answers 409), so the page shows it read-only before anyone tries.
    versions: [...s.policies]
      .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))
      .map((p) => ({
        ...p,
        state:
          p.effectiveFrom > now
            ? ('scheduled' as const)
            : p === current
              ? ('in_force' as const)
              : ('superseded' as const),
        editable: p.effectiveFrom >= now,
      })),
    default: DEFAULT_CARE_POLICY,
  };
};

/**
 * A policy version from `effectiveFrom` on: what the body leaves out is carried over from the
 * version in force the day before, so a change of one amount is one line. A version dated before
 * today is the past: 409, add a version from today or later instead.
 */
export const putPolicy = async (actor: Principal, body: () => PolicyInput, deps: SettingsDeps) => {
  requireManager(actor);
  const input = body();
  const now = today(deps);
  if (input.effectiveFrom < now)
    throw new Conflict(
      `生效日期 ${input.effectiveFrom} 早于今天 ${now}，已生效的政策不可更改，请新增一个今天或以后生效的版本 / A policy version effective before today (${now}) may not be changed: add a version effective today or later`,
      { effectiveFrom: input.effectiveFrom, today: now },
    );
  const s = await deps.settings.settings();
  const y = careYear(s);
  const errors: Array<{ field: string; message: string }> = [];
  const known = new Set([...y.occasions.map((o) => o.occasion), 'birthday']);
  for (const key of Object.keys(input.occasions ?? {}))
    if (!known.has(key))
      errors.push({ field: `occasions.${key}`, message: 'no such occasion (POST /care/occasions first)' });
  if (errors.length) throw new InvalidInput('请求内容有误 / The request is invalid', { errors });
  // The base: the version in force just before (a version replaced on the same date keeps its base).
  const base = policyOn(
    input.effectiveFrom,
    s.policies.filter((p) => p.effectiveFrom < input.effectiveFrom),
  );
  const occasions: Record<string, OccasionPolicy> = { ...base.occasions };
  for (const [key, change] of Object.entries(input.occasions ?? {})) {
    const previous = base.occasions[key] ?? s.occasions.find((o) => o.occasion === key)?.rule;
    occasions[key] = {
      ...(previous ?? DEFAULT_CARE_POLICY.occasions.new_year!),
      ...change,
    } as OccasionPolicy;
  }
  const policy: StoredPolicy = {
    effectiveFrom: input.effectiveFrom,
    caps: { ...base.caps, ...input.caps },
    occasions,
    lifeEvents: { ...base.lifeEvents, ...input.lifeEvents },
    updatedAt: deps.now().toISOString(),
    updatedBy: actor.sub,
  };
  await deps.settings.putPolicy(policy);
  return policy;
};

// ---- occasions ----

const occasionView = (o: OccasionDefinition, source: 'builtin' | 'custom', rule?: OccasionPolicy) => ({
  occasion: o.occasion,
  name: o.name,
  calendar: o.calendar,
  month: o.month,
  day: o.day,
  audience: o.audience,
  source,
  ...(rule ? { rule } : {}),
});

/**
 * Every occasion with the rule in force today and its next dispatch day: the union calendar of
 * this year and the next (the same one the planner follows: 调休 and overrides, working days
 * ahead from the policy of the date), so a lunar occasion shows the day it will really go out.
 */
export const listOccasions = async (actor: Principal, deps: SettingsDeps) => {
  requireManager(actor);
  const s = await deps.settings.settings();
  const now = today(deps);
  const policy = policyOn(now, s.policies);
  const year = Number(now.slice(0, 4));
  const upcoming = [year, year + 1]
    .flatMap((y) => calendarOf(y, s))
    .filter((e) => e.dispatchDate >= now)
    .sort((a, b) => a.dispatchDate.localeCompare(b.dispatchDate));
  const next = (occasion: string) => {
    const e = upcoming.find((x) => x.occasion === occasion);
    return e ? { date: e.date, dispatchDate: e.dispatchDate, arrangementKnown: e.arrangementKnown } : null;
  };
  return {
    items: [
      ...DEFAULT_OCCASIONS.map((o) => ({
        ...occasionView(o, 'builtin', policy.occasions[o.occasion]),
        next: next(o.occasion),
      })),
      ...s.occasions.map((o) => ({
        ...occasionView(o, 'custom', policy.occasions[o.occasion] ?? o.rule),
        next: next(o.occasion),
      })),
    ],
  };
};

/** A union's own occasion as the API takes it: the definition and what it grants. */
export interface OccasionInput extends OccasionDefinition {
  amountFen: number;
  gift?: string;
  workingDaysAhead?: number;
  statuses?: OccasionPolicy['statuses'];
  minMembershipDays?: number;
}

const RESERVED = new Set([...DEFAULT_OCCASIONS.map((o) => o.occasion), 'birthday']);

export const addOccasion = async (actor: Principal, body: () => OccasionInput, deps: SettingsDeps) => {
  requireManager(actor);
  const input = body();
  if (RESERVED.has(input.occasion))
    throw new Conflict(`${input.occasion} 是内置节日 / ${input.occasion} is a built-in occasion`, {
      occasion: input.occasion,
    });
  const o: CustomOccasion = {
    occasion: input.occasion,
    name: input.name,
    calendar: input.calendar,
    month: input.month,
    day: input.day,
    audience: input.audience,
    rule: {
      enabled: true,
      category: 'holiday',
      amountFen: input.amountFen,
      ...(input.gift ? { gift: input.gift } : {}),
      workingDaysAhead: input.workingDaysAhead ?? 1,
      statuses: input.statuses ?? (input.audience === 'retirees' ? ['retired'] : ['active']),
      minMembershipDays: input.minMembershipDays ?? 0,
    },
    createdAt: deps.now().toISOString(),
    createdBy: actor.sub,
  };
  if (!(await deps.settings.addOccasion(o)))
    throw new Conflict(`节日 ${o.occasion} 已存在 / The occasion ${o.occasion} exists already`, {
      occasion: o.occasion,
    });
  return occasionView(o, 'custom', o.rule);
};

/** Removes a union's own occasion from the calendar; grants already made stay in the ledger. */
export const removeOccasion = async (actor: Principal, occasion: string, deps: SettingsDeps) => {
  requireManager(actor);
  if (RESERVED.has(occasion))
    throw new Conflict(
      `内置节日不可删除，可在政策中停用（enabled: false）/ A built-in occasion cannot be removed; disable it in a policy version`,
      { occasion },
    );
  if (!(await deps.settings.deleteOccasion(occasion)))
    throw new NotFound(`没有节日 ${occasion} / No such occasion`);
  return { occasion, removed: true };
};

// ---- working days ----

export const readWorkdays = async (actor: Principal, year: () => number, deps: SettingsDeps) => {
  requireManager(actor);
  const y = year();
  await prepareCalendar([y]);
  const stored = (await deps.settings.settings()).workdays.find((w) => w.year === y);
  const libraryKnows = new WorkCalendar().knows(y);
  return {
    year: y,
    source: stored ? 'override' : libraryKnows ? 'library' : 'missing',
    libraryKnows,
    days: stored?.days ?? [],
    ...(stored ? { updatedAt: stored.updatedAt, updatedBy: stored.updatedBy } : {}),
  };
};

/**
 * A year's arrangement replaced as a whole. Days before today keep what they were: the gifts of
 * those days went out by them (409 if the body would change one).
 */
export const putWorkdays = async (
  actor: Principal,
  year: () => number,
  body: () => { days: WorkdayOverride[] },
  deps: SettingsDeps,
) => {
  requireManager(actor);
  const y = year();
  const { days } = body();
  const errors: Array<{ field: string; message: string }> = [];
  const seen = new Set<string>();
  days.forEach((d, i) => {
    if (!d.date.startsWith(`${y}-`)) errors.push({ field: `days.${i}.date`, message: `not in ${y}` });
    if (seen.has(d.date)) errors.push({ field: `days.${i}.date`, message: 'given twice' });
    seen.add(d.date);
  });
  if (errors.length) throw new InvalidInput('请求内容有误 / The request is invalid', { errors });
  const now = today(deps);
  const stored = (await deps.settings.settings()).workdays.find((w) => w.year === y)?.days ?? [];
  const past = (list: WorkdayOverride[]) =>
    new Map(list.filter((d) => d.date < now).map((d) => [d.date, d.work]));
  const before = past(stored);
  const after = past(days);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
    (date) => before.get(date) !== after.get(date),
  );
  if (changed.length)
    throw new Conflict(`今天（${now}）以前的日子不可更改 / Days before today (${now}) may not be changed`, {
      dates: changed.sort(),
      today: now,
    });
  const item: WorkdayYear = {
    year: y,
    days: [...days].sort((a, b) => a.date.localeCompare(b.date)),
    updatedAt: deps.now().toISOString(),
    updatedBy: actor.sub,
  };
  await deps.settings.putWorkdays(item);
  await prepareCalendar([y]);
  return { ...item, source: 'override' as const, libraryKnows: new WorkCalendar().knows(y) };
};
