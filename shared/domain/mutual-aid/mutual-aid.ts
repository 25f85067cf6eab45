/**
 * Mutual medical aid (职工医疗互助): each year the chair opens an opt-in window with the fee per
 * person; members opt in or out inside it (and may change their mind until it closes); the
 * insurer gets the enrolled members. Money is kept in fen (分); people read yuan.
 */
import { windowState } from '../activities/activity.ts';

export interface MutualAidWindow {
  year: number;
  opensOn: string;
  closesOn: string;
  feeFen: number;
  /** Days before closesOn on which members who have not decided are reminded. */
  reminderDaysBefore: number[];
  updatedBy: string;
  updatedAt: string;
}

export interface MutualAidChoice {
  year: number;
  employeeId: string;
  name: string | null;
  branch: { code: string; name: string } | null;
  enrol: boolean;
  decidedAt: string;
  /** How many times the member decided (1 = the first choice). */
  changes: number;
}

export const DEFAULT_REMINDER_DAYS = [7, 1];

/** "30", "30.5", "30.50" yuan → 3050 fen; anything else undefined. */
export const yuanToFen = (yuan: string): number | undefined => {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
};

export const fenToYuan = (fen: number): string =>
  `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

export const choiceWindow = (w: Pick<MutualAidWindow, 'opensOn' | 'closesOn'>, today: string) =>
  windowState(w, today);

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Whether `today` is one of the window's reminder days (inside the window). */
export const isReminderDay = (
  w: Pick<MutualAidWindow, 'opensOn' | 'closesOn' | 'reminderDaysBefore'>,
  today: string,
) => choiceWindow(w, today) === 'open' && w.reminderDaysBefore.some((d) => addDays(w.closesOn, -d) === today);

/** Active members who have not decided: the reminder's audience. */
export const undecided = <M extends { employeeId: string }>(members: M[], decided: ReadonlySet<string>) =>
  members.filter((m) => !decided.has(m.employeeId));
