/**
 * The union calendar: which occasions fall on which date in a year, and on which working day
 * their gifts go out. Lunar dates come from lunar-javascript; which days are working days comes
 * from the State Council's yearly arrangement (调休), which the same library carries for the
 * years it knows, with an override table (a setting) for the years it does not know yet. Both
 * through calendar-source.ts, which answers from a table generated from the library.
 */
import { arrangedWork, arrangementKnown, lunarMonthDays, lunarToSolar } from './calendar-source.ts';
import { type Audience, DEFAULT_OCCASIONS, type OccasionDefinition } from './occasions.ts';
import type { WorkdayOverride } from './settings.ts';

export { prepareCalendar } from './calendar-source.ts';
export { type Audience, DEFAULT_OCCASIONS, type OccasionDefinition, type WorkdayOverride };

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
export const addDays = (date: string, days: number) =>
  ymd(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));

/** The solar date of an occasion in a year; a lunar 30th falls on the 29th in a month of 29 days (as 除夕 does). */
export const occasionDate = (o: OccasionDefinition, year: number): string => {
  if (o.calendar === 'solar') return `${year}-${pad(o.month)}-${pad(o.day)}`;
  const days = lunarMonthDays(year, o.month) ?? 30;
  return lunarToSolar(year, o.month, Math.min(o.day, days));
};

export class WorkCalendar {
  private readonly overrides: Map<string, boolean>;
  private readonly overrideYears: Set<number>;

  constructor(overrides: WorkdayOverride[] = []) {
    this.overrides = new Map(overrides.map((o) => [o.date, o.work]));
    this.overrideYears = new Set(overrides.map((o) => Number(o.date.slice(0, 4))));
  }

  /** Whether the year's arrangement is known (from the library or the override table). */
  knows(year: number): boolean {
    return this.overrideYears.has(year) || arrangementKnown(year);
  }

  isWorkingDay(date: string): boolean {
    const override = this.overrides.get(date);
    if (override !== undefined) return override;
    const arranged = arrangedWork(date);
    if (arranged !== undefined) return arranged;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The first day of the run of rest days that holds `date`, or `date` itself on a working day. */
  restStart(date: string): string {
    let start = date;
    if (this.isWorkingDay(date)) return date;
    while (!this.isWorkingDay(addDays(start, -1))) start = addDays(start, -1);
    return start;
  }

  /** The `workingDaysAhead`-th working day before the occasion's rest days begin. */
  dispatchDate(date: string, workingDaysAhead = 1): string {
    let day = this.restStart(date);
    for (let found = 0; found < Math.max(1, workingDaysAhead); ) {
      day = addDays(day, -1);
      if (this.isWorkingDay(day)) found++;
    }
    return day;
  }
}

export interface CalendarEntry {
  occasion: string;
  name: string;
  date: string;
  dispatchDate: string;
  audience: Audience;
  /** False when the year's 调休 arrangement is unknown: dispatch dates assume plain weekends. */
  arrangementKnown: boolean;
}

export const unionCalendar = (
  year: number,
  opts: {
    occasions?: OccasionDefinition[];
    overrides?: WorkdayOverride[];
    /** Working days ahead for an occasion falling on a date (the policy in force on it decides). */
    workingDaysAhead?: (occasion: string, date: string) => number;
  } = {},
): CalendarEntry[] => {
  const calendar = new WorkCalendar(opts.overrides);
  const known = calendar.knows(year);
  return (opts.occasions ?? DEFAULT_OCCASIONS)
    .map((o) => {
      const date = occasionDate(o, year);
      return {
        occasion: o.occasion,
        name: o.name,
        date,
        dispatchDate: calendar.dispatchDate(date, opts.workingDaysAhead?.(o.occasion, date) ?? 1),
        audience: o.audience,
        arrangementKnown: known,
      };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
};
