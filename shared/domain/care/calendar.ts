/**
 * The union calendar: which occasions fall on which date in a year, and on which working day
 * their gifts go out. Lunar dates come from lunar-javascript; which days are working days comes
 * from the State Council's yearly arrangement (调休), which the same library carries for the
 * years it knows, with an override table (a setting) for the years it does not know yet.
 */
import lunarJs from 'lunar-javascript';

const { HolidayUtil, Lunar } = lunarJs;

export type Audience = 'all' | 'women' | 'retirees';

export interface OccasionDefinition {
  /** Stable English key, used in grant keys and the ledger. */
  occasion: string;
  /** Chinese name, shown to people. */
  name: string;
  calendar: 'solar' | 'lunar';
  month: number;
  day: number;
  audience: Audience;
}

/** The occasions of a university union's year; a union adds its own in settings (e.g. 三月三). */
export const DEFAULT_OCCASIONS: OccasionDefinition[] = [
  { occasion: 'new_year', name: '元旦', calendar: 'solar', month: 1, day: 1, audience: 'all' },
  { occasion: 'spring_festival', name: '春节', calendar: 'lunar', month: 1, day: 1, audience: 'all' },
  { occasion: 'womens_day', name: '三八妇女节', calendar: 'solar', month: 3, day: 8, audience: 'women' },
  { occasion: 'labour_day', name: '劳动节', calendar: 'solar', month: 5, day: 1, audience: 'all' },
  { occasion: 'dragon_boat', name: '端午节', calendar: 'lunar', month: 5, day: 5, audience: 'all' },
  { occasion: 'teachers_day', name: '教师节', calendar: 'solar', month: 9, day: 10, audience: 'all' },
  { occasion: 'mid_autumn', name: '中秋节', calendar: 'lunar', month: 8, day: 15, audience: 'all' },
  { occasion: 'national_day', name: '国庆节', calendar: 'solar', month: 10, day: 1, audience: 'all' },
  { occasion: 'double_ninth', name: '重阳节', calendar: 'lunar', month: 9, day: 9, audience: 'retirees' },
];

/** A day the State Council's arrangement makes a rest day or a working day, for a year the library lacks. */
export interface WorkdayOverride {
  date: string;
  work: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
export const addDays = (date: string, days: number) =>
  ymd(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));

export const occasionDate = (o: OccasionDefinition, year: number): string =>
  o.calendar === 'solar'
    ? `${year}-${pad(o.month)}-${pad(o.day)}`
    : Lunar.fromYmd(year, o.month, o.day).getSolar().toYmd();

export class WorkCalendar {
  private readonly overrides: Map<string, boolean>;
  private readonly overrideYears: Set<number>;

  constructor(overrides: WorkdayOverride[] = []) {
    this.overrides = new Map(overrides.map((o) => [o.date, o.work]));
    this.overrideYears = new Set(overrides.map((o) => Number(o.date.slice(0, 4))));
  }

  /** Whether the year's arrangement is known (from the library or the override table). */
  knows(year: number): boolean {
    return this.overrideYears.has(year) || HolidayUtil.getHolidays(year).length > 0;
  }

  isWorkingDay(date: string): boolean {
    const override = this.overrides.get(date);
    if (override !== undefined) return override;
    const holiday = HolidayUtil.getHoliday(date);
    if (holiday) return holiday.isWork();
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
    workingDaysAhead?: (occasion: string) => number;
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
        dispatchDate: calendar.dispatchDate(date, opts.workingDaysAhead?.(o.occasion) ?? 1),
        audience: o.audience,
        arrangementKnown: known,
      };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
};
