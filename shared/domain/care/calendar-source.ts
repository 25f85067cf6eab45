/**
 * What the union calendar asks of the Chinese calendar: where a lunar month starts and how long
 * it is, and the State Council's yearly 调休 arrangement. Answered from a table generated from
 * lunar-javascript at build time (calendar-table.ts, years 1900–2199), so that the functions
 * that plan care start without loading the library (~20 ms of every cold start, BENCHMARKS.md).
 * A year outside the table is answered by the library itself, loaded on that rare path only:
 * `await prepareCalendar(years)` first (the use cases that read the calendar do).
 */
import { CALENDAR_TABLE } from './calendar-table.ts';

type Library = typeof import('lunar-javascript')['default'];

let library: Library | undefined;

const inTable = (year: number) => year >= CALENDAR_TABLE.firstYear && year <= CALENDAR_TABLE.lastYear;

/**
 * Loads lunar-javascript if any of these years (or the years either side of one: a dispatch
 * date can fall in the year before) is outside the table. Cheap when they are all inside.
 */
export const prepareCalendar = async (years: Iterable<number>): Promise<void> => {
  if (library) return;
  if ([...years].every((y) => inTable(y - 1) && inTable(y + 1))) return;
  library = (await import('lunar-javascript')).default;
};

/** Whether a year outside the table can be answered now (tests). */
export const calendarLibraryLoaded = () => library !== undefined;

const fallback = (year: number): Library => {
  if (library) return library;
  throw new Error(
    `The calendar table covers ${CALENDAR_TABLE.firstYear}–${CALENDAR_TABLE.lastYear}; for ${year}, await prepareCalendar([${year}]) first`,
  );
};

const DAY_MS = 86_400_000;
const dayNumber = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / DAY_MS;
const ymdOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

interface LunarYearRow {
  firstDay: number;
  /** Month numbers in order, the leap month negative. */
  months: number[];
  lengths: number[];
}

const lunarRows = new Map<number, LunarYearRow>();

const lunarRow = (year: number): LunarYearRow => {
  let row = lunarRows.get(year);
  if (!row) {
    const [start, leap, bits] = CALENDAR_TABLE.lunarYears[year - CALENDAR_TABLE.firstYear]!.split(' ');
    const leapMonth = Number(leap);
    const months = Array.from({ length: 12 }, (_, i) => i + 1).flatMap((m) =>
      m === leapMonth ? [m, -m] : [m],
    );
    row = { firstDay: dayNumber(start!), months, lengths: [...bits!].map((b) => (b === '1' ? 30 : 29)) };
    lunarRows.set(year, row);
  }
  return row;
};

/** Days in a lunar month (a negative month is the leap month); undefined if the year has no such month. */
export const lunarMonthDays = (year: number, month: number): number | undefined => {
  if (!inTable(year)) return fallback(year).LunarMonth.fromYm(year, month)?.getDayCount();
  const row = lunarRow(year);
  const i = row.months.indexOf(month);
  return i < 0 ? undefined : row.lengths[i];
};

/** The solar date (YYYY-MM-DD) of a lunar date; throws if the year has no such month or day. */
export const lunarToSolar = (year: number, month: number, day: number): string => {
  if (!inTable(year)) return fallback(year).Lunar.fromYmd(year, month, day).getSolar().toYmd();
  const row = lunarRow(year);
  const i = row.months.indexOf(month);
  if (i < 0 || !Number.isInteger(day) || day < 1 || day > row.lengths[i]!)
    throw new Error(`No lunar date ${year}-${month}-${day}`);
  const offset = row.lengths.slice(0, i).reduce((sum, n) => sum + n, 0);
  return ymdOf(row.firstDay + offset + day - 1);
};

const arrangements = new Map<number, Map<string, boolean>>();

const arrangementOf = (year: number): Map<string, boolean> => {
  let days = arrangements.get(year);
  if (!days) {
    const listed = CALENDAR_TABLE.holidays[year]?.split(' ') ?? [];
    days = new Map(
      listed.map((d) => [`${year}-${d.slice(0, 2)}-${d.slice(2, 4)}`, d.slice(4) === 'w'] as const),
    );
    arrangements.set(year, days);
  }
  return days;
};

/** True or false for a day the year's arrangement names (a working or a rest day), undefined otherwise. */
export const arrangedWork = (date: string): boolean | undefined => {
  const year = Number(date.slice(0, 4));
  if (!inTable(year)) return fallback(year).HolidayUtil.getHoliday(date)?.isWork();
  return arrangementOf(year).get(date);
};

/** Whether the State Council's arrangement of a year is known. */
export const arrangementKnown = (year: number): boolean => {
  if (!inTable(year)) return fallback(year).HolidayUtil.getHolidays(year).length > 0;
  return arrangementOf(year).size > 0;
};
