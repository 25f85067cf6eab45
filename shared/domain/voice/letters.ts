/**
 * The chair's mailbox (主席信箱): a member writes a letter to the union chair; the chair answers,
 * or hands it to one of the chair's delegates (people the chair names in the mailbox settings),
 * who answers. A letter may be for the chair alone (`chairOnly`): then nobody else sees it and it
 * is never handed on. The writer is mailed on every answer; a letter still unanswered after the
 * settings' number of days is reminded to the chair (and its delegate) once a day.
 *
 *   open ─answer→ answered ─answer→ answered …
 *   open | answered ─close→ closed
 */
import type { DomainEvent } from '../../../events/domain.ts';
import { VOICE_SOURCE } from '../../../events/voice.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { shanghaiDate, shanghaiYear } from '../time.ts';

export const LETTER_CATEGORIES = ['教学科研', '后勤保障', '薪酬福利', '工会工作', '其他'] as const;
export type LetterCategory = (typeof LETTER_CATEGORIES)[number];
export const LETTER_STATES = ['open', 'answered', 'closed'] as const;
export type LetterState = (typeof LETTER_STATES)[number];

/** Answers a letter may take: enough for a conversation, bounded so a letter stays one partition read. */
export const MAX_ANSWERS = 50;
export const DEFAULT_REMINDER_DAYS = 7;

export interface Letter {
  id: string;
  /** The writer's 工号. */
  writer: string;
  subject: string;
  text: string;
  category: LetterCategory;
  chairOnly: boolean;
  state: LetterState;
  /** The chair's delegate it was handed to (工号), if any. */
  delegatedTo: string | null;
  delegatedAt: string | null;
  answerCount: number;
  /** The year (Asia/Shanghai) it was written: the yearly report's key. */
  year: number;
  createdAt: string;
  firstAnsweredAt: string | null;
  lastAnsweredAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  closingNote: string | null;
  updatedAt: string;
  version: number;
}

export interface LetterAnswer {
  letterId: string;
  /** 1, 2, …: the order of the answers. */
  seq: number;
  text: string;
  by: string;
  at: string;
}

export interface MailboxSettings {
  /** The chair who saved the settings (工号): reminders go to their work email. */
  chair: string | null;
  /** The chair's delegates (工号): they read every letter but the chair-only ones, and answer those handed to them. */
  delegates: string[];
  /** Days a letter may wait for its first answer before the daily reminder. */
  reminderDays: number;
  updatedAt: string | null;
}

export const NO_MAILBOX_SETTINGS: MailboxSettings = {
  chair: null,
  delegates: [],
  reminderDays: DEFAULT_REMINDER_DAYS,
  updatedAt: null,
};

export interface LetterListQuery {
  /** Whose letters: one writer's (GSI by writer) or all of them. */
  writer?: string;
  /** Leave out chair-only letters (the chair's delegates). */
  excludeChairOnly?: boolean;
  delegatedTo?: string;
  year?: number;
  category?: LetterCategory;
  state?: LetterState;
  limit: number;
  cursor?: string;
}

export interface Recipient {
  id: string;
  email: string;
  name?: string;
}

export interface LetterStore {
  /** The letter and its answers (one partition). */
  get(id: string): Promise<{ letter: Letter; answers: LetterAnswer[] } | undefined>;
  save(write: { letter: Letter; answer?: LetterAnswer; event: DomainEvent }): Promise<'saved' | 'conflict'>;
  list(query: LetterListQuery): Promise<{ items: Letter[]; cursor?: string }>;
  /** Every letter written in a year (the report). */
  year(year: number): Promise<Letter[]>;
  /** Letters without an answer, open, written before an instant (the reminder). */
  unansweredBefore(instant: string): Promise<Letter[]>;
  settings(): Promise<MailboxSettings>;
  saveSettings(settings: MailboxSettings): Promise<void>;
  /** Stores an event alone, once per event id (reminders); false if it was stored before. */
  emitOnce(event: DomainEvent): Promise<boolean>;
}

export interface People {
  /** A member's status and work email, by 工号; undefined if not a member record. */
  member(
    employeeId: string,
  ): Promise<{ status: string; email?: string; name?: string; branch?: string } | undefined>;
}

export interface LetterDeps {
  store: LetterStore;
  people: People;
  now: () => Date;
  newId: () => string;
}

export type Input<T> = () => T;

const notFound = () => new NotFound('信件不存在 / No such letter');
const MEMBER_STATUSES = new Set(['active', 'retired']);

const isDelegate = (actor: Principal, s: MailboxSettings) => s.delegates.includes(actor.sub);
const isChair = (actor: Principal) => actor.roles.has('chair');

/** Who sees a letter: its writer, the chair, and the chair's delegates unless it is for the chair alone. */
export const canSeeLetter = (actor: Principal, letter: Letter, settings: MailboxSettings): boolean =>
  actor.sub === letter.writer || isChair(actor) || (!letter.chairOnly && isDelegate(actor, settings));

/** Who answers: the chair, or the delegate the letter was handed to. */
export const canAnswer = (actor: Principal, letter: Letter): boolean =>
  isChair(actor) || (letter.delegatedTo !== null && letter.delegatedTo === actor.sub);

const recipientOf = async (deps: LetterDeps, id: string | null): Promise<Recipient[]> => {
  if (!id) return [];
  const m = await deps.people.member(id);
  return m?.email ? [{ id, email: m.email, ...(m.name ? { name: m.name } : {}) }] : [];
};

const letterEvent = (
  detailType: string,
  letter: Letter,
  by: string,
  at: string,
  extra: Record<string, unknown>,
  deps: LetterDeps,
): DomainEvent => ({
  source: VOICE_SOURCE,
  detailType,
  detail: {
    eventId: deps.newId(),
    occurredAt: at,
    version: 1,
    letterId: letter.id,
    category: letter.category,
    chairOnly: letter.chairOnly,
    state: letter.state,
    by,
    ...extra,
  },
});

const saveOrConflict = async (deps: LetterDeps, write: Parameters<LetterStore['save']>[0]) => {
  if ((await deps.store.save(write)) !== 'saved')
    throw new Conflict('信件刚被修改，请重试 / The letter changed meanwhile; try again');
};

export const writeLetter = async (
  actor: Principal,
  body: Input<{ subject: string; text: string; category: LetterCategory; chairOnly?: boolean }>,
  deps: LetterDeps,
) => {
  const member = await deps.people.member(actor.sub);
  if (!member || !MEMBER_STATUSES.has(member.status))
    throw new Forbidden('仅会员可写信 / Only members write to the chair');
  const input = body();
  const now = deps.now();
  const at = now.toISOString();
  const letter: Letter = {
    id: deps.newId(),
    writer: actor.sub,
    subject: input.subject,
    text: input.text,
    category: input.category,
    chairOnly: input.chairOnly ?? false,
    state: 'open',
    delegatedTo: null,
    delegatedAt: null,
    answerCount: 0,
    year: shanghaiYear(now),
    createdAt: at,
    firstAnsweredAt: null,
    lastAnsweredAt: null,
    closedAt: null,
    closedBy: null,
    closingNote: null,
    updatedAt: at,
    version: 1,
  };
  await saveOrConflict(deps, {
    letter,
    event: letterEvent('LetterWritten', letter, actor.sub, at, {}, deps),
  });
  return { ...letter, answers: [] as LetterAnswer[] };
};

const loadVisible = async (actor: Principal, id: string, deps: LetterDeps) => {
  const [found, settings] = await Promise.all([deps.store.get(id), deps.store.settings()]);
  if (!found || !canSeeLetter(actor, found.letter, settings)) throw notFound();
  return { ...found, settings };
};

export const getLetter = async (actor: Principal, id: string, deps: LetterDeps) => {
  const { letter, answers } = await loadVisible(actor, id, deps);
  return { ...letter, answers };
};

export type LetterFilters = Pick<LetterListQuery, 'year' | 'category' | 'state' | 'limit' | 'cursor'> & {
  /** Only the caller's own letters (the chair and delegates may write too). */
  mine?: boolean;
  /** Only letters handed to the caller (a delegate's inbox). */
  assignedToMe?: boolean;
};

/**
 * The chair lists every letter, the chair's delegates every letter but the chair-only ones,
 * everyone else their own.
 */
export const listLetters = async (actor: Principal, filters: Input<LetterFilters>, deps: LetterDeps) => {
  const settings = await deps.store.settings();
  const f = filters();
  const { mine, assignedToMe, ...rest } = f;
  let query: LetterListQuery = rest;
  if (mine || (!isChair(actor) && !isDelegate(actor, settings))) query = { ...query, writer: actor.sub };
  else if (!isChair(actor)) query = { ...query, excludeChairOnly: true };
  if (assignedToMe) query = { ...query, delegatedTo: actor.sub };
  const page = await deps.store.list(query);
  return { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) };
};

type LetterWrite = Parameters<LetterStore['save']>[0];

/**
 * Loads the letter, decides the change and stores it; when someone else changed the letter
 * meanwhile (two answers at once), decides again on what they stored, up to five times.
 */
const changeLetter = async (
  actor: Principal,
  id: string,
  deps: LetterDeps,
  decide: (letter: Letter, settings: MailboxSettings) => Promise<LetterWrite>,
) => {
  for (let attempt = 1; ; attempt++) {
    const { letter, settings } = await loadVisible(actor, id, deps);
    const write = await decide(letter, settings);
    if ((await deps.store.save(write)) === 'saved') return write.letter;
    if (attempt >= 5) throw new Conflict('信件正被频繁修改，请重试 / The letter is busy; try again');
  }
};

const closed = (letter: Letter) => new Conflict('信件已关闭 / The letter is closed', { state: letter.state });

export const delegateLetter = async (
  actor: Principal,
  id: string,
  body: Input<{ to: string }>,
  deps: LetterDeps,
) => {
  if (!isChair(actor)) throw new Forbidden('仅主席可转交 / Only the chair hands letters on');
  let input: { to: string } | undefined;
  return changeLetter(actor, id, deps, async (letter, settings) => {
    input ??= body();
    if (!settings.delegates.includes(input.to))
      throw new InvalidInput('不是主席委托人 / Not one of the chair’s delegates', {
        errors: [{ field: 'to', message: 'not a delegate of the chair (PUT /letters/settings)' }],
      });
    if (letter.chairOnly)
      throw new Conflict('此信仅主席可阅，不能转交 / A letter for the chair alone is never handed on', {
        state: letter.state,
      });
    if (letter.state === 'closed') throw closed(letter);
    const at = deps.now().toISOString();
    const next: Letter = {
      ...letter,
      delegatedTo: input.to,
      delegatedAt: at,
      updatedAt: at,
      version: letter.version + 1,
    };
    const delegate = (await recipientOf(deps, input.to))[0] ?? null;
    const extra = { subject: next.subject, delegate };
    return { letter: next, event: letterEvent('LetterDelegated', next, actor.sub, at, extra, deps) };
  });
};

export const answerLetter = async (
  actor: Principal,
  id: string,
  body: Input<{ text: string }>,
  deps: LetterDeps,
) => {
  let input: { text: string } | undefined;
  return changeLetter(actor, id, deps, async (letter) => {
    if (!canAnswer(actor, letter))
      throw new Forbidden('仅主席或受托人可答复 / Only the chair or the delegate it was handed to answers');
    input ??= body();
    if (letter.state === 'closed') throw closed(letter);
    if (letter.answerCount >= MAX_ANSWERS)
      throw new Conflict(`答复已达上限 ${MAX_ANSWERS} / At most ${MAX_ANSWERS} answers`, {
        state: letter.state,
      });
    const at = deps.now().toISOString();
    const seq = letter.answerCount + 1;
    const next: Letter = {
      ...letter,
      state: 'answered',
      answerCount: seq,
      firstAnsweredAt: letter.firstAnsweredAt ?? at,
      lastAnsweredAt: at,
      updatedAt: at,
      version: letter.version + 1,
    };
    const answer: LetterAnswer = { letterId: letter.id, seq, text: input.text, by: actor.sub, at };
    const writer = (await recipientOf(deps, letter.writer))[0] ?? null;
    const extra = { subject: next.subject, seq, answer: input.text, writer };
    return { letter: next, answer, event: letterEvent('LetterAnswered', next, actor.sub, at, extra, deps) };
  });
};

/** The writer closes their letter, or the chair, or the delegate it was handed to. */
export const closeLetter = async (
  actor: Principal,
  id: string,
  body: Input<{ note?: string }>,
  deps: LetterDeps,
) => {
  let input: { note?: string } | undefined;
  return changeLetter(actor, id, deps, async (letter) => {
    if (actor.sub !== letter.writer && !canAnswer(actor, letter))
      throw new Forbidden('无权关闭此信 / You may not close this letter');
    input ??= body();
    if (letter.state === 'closed') throw closed(letter);
    const at = deps.now().toISOString();
    const next: Letter = {
      ...letter,
      state: 'closed',
      closedAt: at,
      closedBy: actor.sub,
      closingNote: input.note ?? null,
      updatedAt: at,
      version: letter.version + 1,
    };
    return { letter: next, event: letterEvent('LetterClosed', next, actor.sub, at, {}, deps) };
  });
};

export const mailboxSettings = async (actor: Principal, deps: LetterDeps) => {
  if (!hasAnyRole(actor, 'chair', 'admin')) throw new Forbidden('仅主席、管理员 / Chair and admins only');
  return deps.store.settings();
};

export const saveMailboxSettings = async (
  actor: Principal,
  body: Input<{ delegates: string[]; reminderDays?: number }>,
  deps: LetterDeps,
) => {
  if (!isChair(actor)) throw new Forbidden('仅主席可设置 / Only the chair names the delegates');
  const input = body();
  const settings: MailboxSettings = {
    chair: actor.sub,
    delegates: [...new Set(input.delegates)],
    reminderDays: input.reminderDays ?? DEFAULT_REMINDER_DAYS,
    updatedAt: deps.now().toISOString(),
  };
  await deps.store.saveSettings(settings);
  return settings;
};

// ---------------------------------------------------------------------------------------------
// The yearly report: pure statistics over a year's letters.

const DAY_MS = 86_400_000;

export const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Days from writing to the first answer, to a tenth of a day. */
export const daysToFirstAnswer = (l: Pick<Letter, 'createdAt' | 'firstAnsweredAt'>): number | null =>
  l.firstAnsweredAt === null
    ? null
    : Math.round(((Date.parse(l.firstAnsweredAt) - Date.parse(l.createdAt)) / DAY_MS) * 10) / 10;

export interface CategoryFigures {
  category: LetterCategory;
  count: number;
  answered: number;
  medianDaysToFirstAnswer: number | null;
  maxDaysToFirstAnswer: number | null;
}

export const letterStatistics = (year: number, letters: Letter[]) => {
  const figures = (category: LetterCategory | null): Omit<CategoryFigures, 'category'> => {
    const of = letters.filter((l) => category === null || l.category === category);
    const days = of.map(daysToFirstAnswer).filter((d): d is number => d !== null);
    return {
      count: of.length,
      answered: days.length,
      medianDaysToFirstAnswer: median(days),
      maxDaysToFirstAnswer: days.length ? Math.max(...days) : null,
    };
  };
  return {
    year,
    categories: LETTER_CATEGORIES.map((category) => ({ category, ...figures(category) })),
    total: figures(null),
  };
};

export const letterReport = async (actor: Principal, year: Input<number>, deps: LetterDeps) => {
  // The auditor (经审) reads reports too: counts and days, no letter's text.
  if (!hasAnyRole(actor, 'chair', 'admin', 'auditor'))
    throw new Forbidden('仅主席、管理员、经审 / Chair, admins and auditors only');
  const y = year();
  return letterStatistics(y, await deps.store.year(y));
};

// ---------------------------------------------------------------------------------------------
// The daily reminder.

/**
 * Start of the day (Asia/Shanghai) `days - 1` days before `date`, as an ISO instant: a letter
 * written before it has waited `days` days or more on `date`.
 */
export const reminderCutoff = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00+08:00`) - (days - 1) * DAY_MS).toISOString();

/** Whole days (Shanghai calendar) from a letter's writing to `date`. */
export const daysWaiting = (createdAt: string, date: string): number =>
  Math.round((Date.parse(date) - Date.parse(shanghaiDate(new Date(createdAt)))) / DAY_MS);

/**
 * Every letter without an answer for the settings' days or more gets one reminder a day, to the
 * chair (the office's mailbox when no chair has saved the settings) and to its delegate.
 */
export const remindLetters = async (date: string, deps: LetterDeps) => {
  const settings = await deps.store.settings();
  const chair = await recipientOf(deps, settings.chair);
  let reminded = 0;
  let skipped = 0;
  for (const letter of await deps.store.unansweredBefore(reminderCutoff(date, settings.reminderDays))) {
    const stored = await deps.store.emitOnce({
      source: VOICE_SOURCE,
      detailType: 'LetterReminderDue',
      detail: {
        eventId: `remind-letter-${letter.id}-${date}`,
        occurredAt: deps.now().toISOString(),
        version: 1,
        letterId: letter.id,
        subject: letter.subject,
        category: letter.category,
        chairOnly: letter.chairOnly,
        writtenOn: shanghaiDate(new Date(letter.createdAt)),
        daysWaiting: daysWaiting(letter.createdAt, date),
        date,
        chair: chair[0] ?? null,
        delegate: (await recipientOf(deps, letter.delegatedTo))[0] ?? null,
      },
    });
    if (stored) reminded++;
    else skipped++;
  }
  return { date, reminderDays: settings.reminderDays, reminded, skipped };
};
