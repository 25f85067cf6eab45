/** The mutual-aid use cases: the chair's yearly window, members' choices, the insurer's list, reminders. */
import type { DomainEvent } from '../../../events/domain.ts';
import { MUTUAL_AID_SOURCE } from '../../../events/mutual-aid.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.ts';
import { isActiveMember, type MemberLookup, type MemberRoster, recipientOf } from '../member-lookup.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { shanghaiDate } from '../time.ts';
import {
  choiceWindow,
  DEFAULT_REMINDER_DAYS,
  fenToYuan,
  isReminderDay,
  type MutualAidChoice,
  type MutualAidWindow,
  undecided,
  yuanToFen,
} from './mutual-aid.ts';

export interface MutualAidStore {
  window(year: number): Promise<MutualAidWindow | undefined>;
  windows(): Promise<MutualAidWindow[]>;
  saveWindow(window: MutualAidWindow): Promise<void>;
  choice(year: number, employeeId: string): Promise<MutualAidChoice | undefined>;
  choices(year: number): Promise<MutualAidChoice[]>;
  /** Stores the choice and its event in one transaction, if nobody decided for the member meanwhile. */
  saveChoice(choice: MutualAidChoice, event: DomainEvent): Promise<'saved' | 'conflict'>;
  emitOnce(event: DomainEvent): Promise<boolean>;
}

export interface MutualAidDeps {
  store: MutualAidStore;
  members: MemberLookup;
  roster: MemberRoster;
  now: () => Date;
  newId: () => string;
}

type Input<T> = () => T;

const MANAGERS = ['chair', 'admin'] as const;

/** A year from the path: four digits, else 400 naming `year`. */
export const parseYear = (raw: string): number => {
  if (!/^\d{4}$/.test(raw))
    throw new InvalidInput('年份无效 / The year must be four digits', {
      errors: [{ field: 'year', message: 'four digits' }],
    });
  return Number(raw);
};

export const windowView = (w: MutualAidWindow, today: string) => ({
  year: w.year,
  opensOn: w.opensOn,
  closesOn: w.closesOn,
  feeYuan: fenToYuan(w.feeFen),
  reminderDaysBefore: w.reminderDaysBefore,
  state: choiceWindow(w, today),
});

export interface WindowInput {
  opensOn: string;
  closesOn: string;
  feeYuan: string;
  reminderDaysBefore?: number[];
}

/** The chair or an admin opens (or, until it closes, changes) a year's window. */
export const putWindow = async (
  actor: Principal,
  rawYear: string,
  body: Input<WindowInput>,
  deps: MutualAidDeps,
) => {
  if (!hasAnyRole(actor, ...MANAGERS)) throw new Forbidden('仅主席、管理员 / The chair and admins only');
  const year = parseYear(rawYear);
  const input = body();
  const feeFen = yuanToFen(input.feeYuan);
  const problems: Array<{ field: string; message: string }> = [];
  if (feeFen === undefined || feeFen <= 0)
    problems.push({
      field: 'feeYuan',
      message: '请填写大于 0 的金额（元），最多两位小数 / yuan, up to 2 decimals, above 0',
    });
  if (input.opensOn > input.closesOn)
    problems.push({ field: 'closesOn', message: '登记截止日不能早于开始日 / before opensOn' });
  if (problems.length) throw new InvalidInput('请求内容有误 / The request is invalid', { errors: problems });
  const today = shanghaiDate(deps.now());
  const existing = await deps.store.window(year);
  if (existing && choiceWindow(existing, today) === 'closed')
    throw new Conflict(`${year} 年的登记已截止 / The ${year} window closed on ${existing.closesOn}`);
  const window: MutualAidWindow = {
    year,
    opensOn: input.opensOn,
    closesOn: input.closesOn,
    feeFen: feeFen!,
    reminderDaysBefore: [...new Set(input.reminderDaysBefore ?? DEFAULT_REMINDER_DAYS)].sort((a, b) => b - a),
    updatedBy: actor.sub,
    updatedAt: deps.now().toISOString(),
  };
  await deps.store.saveWindow(window);
  return windowView(window, today);
};

const loadWindow = async (year: number, deps: MutualAidDeps) => {
  const w = await deps.store.window(year);
  if (!w) throw new NotFound('该年度未开放医疗互助登记 / No mutual-aid window for this year');
  return w;
};

const choiceView = (c: MutualAidChoice) => ({ enrol: c.enrol, decidedAt: c.decidedAt, changes: c.changes });

/** Every year's window, the latest first: the chair's table of years (members read windows too). */
export const listWindows = async (_actor: Principal, deps: MutualAidDeps) => {
  const today = shanghaiDate(deps.now());
  const windows = await deps.store.windows();
  return { items: [...windows].sort((a, b) => b.year - a.year).map((w) => windowView(w, today)) };
};

/** The window and the caller's choice. */
export const getWindow = async (actor: Principal, rawYear: string, deps: MutualAidDeps) => {
  const year = parseYear(rawYear);
  const w = await loadWindow(year, deps);
  const mine = await deps.store.choice(year, actor.sub);
  return { ...windowView(w, shanghaiDate(deps.now())), mine: mine ? choiceView(mine) : null };
};

/** An active member opts in or out inside the window; a later choice replaces the earlier one. */
export const choose = async (
  actor: Principal,
  rawYear: string,
  body: Input<{ enrol: boolean }>,
  deps: MutualAidDeps,
) => {
  const member = (await deps.members.many([actor.sub])).get(actor.sub);
  if (!isActiveMember(member)) throw new Forbidden('仅在册会员 / Members only');
  const year = parseYear(rawYear);
  const w = await loadWindow(year, deps);
  const input = body();
  const today = shanghaiDate(deps.now());
  const state = choiceWindow(w, today);
  if (state !== 'open')
    throw new Conflict(
      state === 'not_open'
        ? `登记尚未开始（${w.opensOn}） / The window opens on ${w.opensOn}`
        : `登记已截止（${w.closesOn}） / The window closed on ${w.closesOn}`,
      { opensOn: w.opensOn, closesOn: w.closesOn },
    );
  const previous = await deps.store.choice(year, actor.sub);
  const at = deps.now().toISOString();
  const choice: MutualAidChoice = {
    year,
    employeeId: actor.sub,
    name: member.name ?? null,
    branch: member.branch ?? null,
    enrol: input.enrol,
    decidedAt: at,
    changes: (previous?.changes ?? 0) + 1,
  };
  const saved = await deps.store.saveChoice(choice, {
    source: MUTUAL_AID_SOURCE,
    detailType: 'MutualAidChosen',
    detail: {
      eventId: deps.newId(),
      occurredAt: at,
      version: 1,
      year,
      employeeId: actor.sub,
      enrol: input.enrol,
      feeFen: w.feeFen,
      closesOn: w.closesOn,
      recipient: recipientOf(member),
    },
  });
  if (saved === 'conflict')
    throw new Conflict('您的选择刚被修改，请重试 / Your choice just changed; try again');
  return choiceView(choice);
};

/** The insurer's list: every enrolled member with the fee, by branch and 工号 (chair, admin). */
export const enrolledRows = async (actor: Principal, rawYear: string, deps: MutualAidDeps) => {
  if (!hasAnyRole(actor, ...MANAGERS)) throw new Forbidden('仅主席、管理员 / The chair and admins only');
  const year = parseYear(rawYear);
  const w = await loadWindow(year, deps);
  const enrolled = (await deps.store.choices(year)).filter((c) => c.enrol);
  return enrolled
    .map((c) => ({
      name: c.name ?? '',
      employeeId: c.employeeId,
      branch: c.branch?.name ?? '',
      branchCode: c.branch?.code ?? '',
      feeYuan: fenToYuan(w.feeFen),
    }))
    .sort((a, b) => a.branchCode.localeCompare(b.branchCode) || a.employeeId.localeCompare(b.employeeId));
};

/**
 * The daily reminder: on a window's reminder days, every active member who has not decided gets
 * one reminder for that day (the event id is the year, the member and the day).
 */
export const remindUndecided = async (date: string, deps: MutualAidDeps) => {
  let reminded = 0;
  let skipped = 0;
  const years: number[] = [];
  for (const w of await deps.store.windows()) {
    if (!isReminderDay(w, date)) continue;
    years.push(w.year);
    const decided = new Set((await deps.store.choices(w.year)).map((c) => c.employeeId));
    const audience = undecided(await deps.roster.active(), decided);
    // Sixteen at a time: a union of 20,000 members is reminded within the job's time.
    for (let i = 0; i < audience.length; i += 16) {
      const results = await Promise.all(
        audience.slice(i, i + 16).map(async (m) => {
          const recipient = recipientOf(m);
          if (!recipient) return false;
          return deps.store.emitOnce({
            source: MUTUAL_AID_SOURCE,
            detailType: 'MutualAidReminderDue',
            detail: {
              eventId: `mutualaid-remind-${w.year}-${m.employeeId}-${date}`,
              occurredAt: deps.now().toISOString(),
              version: 1,
              year: w.year,
              employeeId: m.employeeId,
              feeFen: w.feeFen,
              closesOn: w.closesOn,
              date,
              recipient,
            },
          });
        }),
      );
      for (const r of results) r ? reminded++ : skipped++;
    }
  }
  return { date, years, reminded, skipped };
};
