import lunarJs from 'lunar-javascript';
import { describe, expect, it } from 'vitest';
import { occasionDate, unionCalendar } from '../../../shared/domain/care/calendar.ts';
import {
  arrangedWork,
  arrangementKnown,
  calendarLibraryLoaded,
  lunarMonthDays,
  lunarToSolar,
  prepareCalendar,
} from '../../../shared/domain/care/calendar-source.ts';
import { CALENDAR_TABLE } from '../../../shared/domain/care/calendar-table.ts';
import { DEFAULT_OCCASIONS } from '../../../shared/domain/care/occasions.ts';

const { HolidayUtil, Lunar, LunarMonth, LunarYear, Solar } = lunarJs;
const { firstYear, lastYear } = CALENDAR_TABLE;
const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);

describe('the generated calendar table', () => {
  it('was generated from the installed lunar-javascript', async () => {
    const { version } = (await import('lunar-javascript/package.json', { with: { type: 'json' } })).default;
    expect(CALENDAR_TABLE.source).toBe(`lunar-javascript@${version}`);
  });

  it(`gives every lunar month of ${firstYear}–${lastYear} the library's start, length and last day`, () => {
    for (const year of years) {
      const months = LunarYear.fromYear(year).getMonthsInYear();
      for (const m of months) {
        const month = m.getMonth();
        const days = m.getDayCount();
        expect(lunarMonthDays(year, month), `${year}/${month}`).toBe(days);
        expect(lunarToSolar(year, month, 1), `${year}/${month}/1`).toBe(
          Solar.fromJulianDay(m.getFirstJulianDay()).toYmd(),
        );
        expect(lunarToSolar(year, month, days), `${year}/${month}/${days}`).toBe(
          Lunar.fromYmd(year, month, days).getSolar().toYmd(),
        );
      }
      // Leap months the year does not have, as the library says.
      for (let month = -12; month <= -1; month++) {
        if (!months.some((m) => m.getMonth() === month)) {
          expect(lunarMonthDays(year, month), `${year}/${month}`).toBeUndefined();
          expect(LunarMonth.fromYm(year, month)).toBeNull();
        }
      }
    }
  });

  it(`places every default occasion where the library does, ${firstYear}–${lastYear}`, () => {
    const lunarOf = (o: (typeof DEFAULT_OCCASIONS)[number], year: number) => {
      const days = LunarMonth.fromYm(year, o.month)?.getDayCount() ?? 30;
      return Lunar.fromYmd(year, o.month, Math.min(o.day, days)).getSolar().toYmd();
    };
    for (const year of years)
      for (const o of DEFAULT_OCCASIONS.filter((d) => d.calendar === 'lunar'))
        expect(occasionDate(o, year), `${o.occasion} ${year}`).toBe(lunarOf(o, year));
    // 除夕 as a union's own occasion: lunar 12/30 falls on the 29th in a short twelfth month.
    const chuxi = { ...DEFAULT_OCCASIONS[1]!, occasion: 'chuxi', month: 12, day: 30 };
    for (const year of years) expect(occasionDate(chuxi, year), `chuxi ${year}`).toBe(lunarOf(chuxi, year));
  });

  it(`has the library's 调休 arrangement for every day of ${firstYear}–${lastYear}`, () => {
    for (const year of years) {
      expect(arrangementKnown(year), String(year)).toBe(HolidayUtil.getHolidays(year).length > 0);
      for (const h of HolidayUtil.getHolidays(year))
        expect(arrangedWork(h.getDay()), h.getDay()).toBe(HolidayUtil.getHoliday(h.getDay())!.isWork());
    }
    // Every day of the years the library knows, listed or not.
    for (const year of years.filter((y) => HolidayUtil.getHolidays(y).length > 0)) {
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const day = new Date(t).toISOString().slice(0, 10);
        expect(arrangedWork(day), day).toBe(HolidayUtil.getHoliday(day)?.isWork());
      }
    }
  });

  it('asks the library itself for a year outside the table, once prepared', async () => {
    const year = lastYear + 20;
    expect(calendarLibraryLoaded()).toBe(false);
    await prepareCalendar([2026, 2027]);
    expect(calendarLibraryLoaded()).toBe(false);
    expect(() => lunarToSolar(year, 8, 15)).toThrow(/prepareCalendar/);
    await prepareCalendar([year]);
    expect(calendarLibraryLoaded()).toBe(true);
    expect(lunarToSolar(year, 8, 15)).toBe(Lunar.fromYmd(year, 8, 15).getSolar().toYmd());
    expect(lunarMonthDays(year, 1)).toBe(LunarMonth.fromYm(year, 1)!.getDayCount());
    expect(arrangementKnown(year)).toBe(false);
    const midAutumn = unionCalendar(year).find((e) => e.occasion === 'mid_autumn')!;
    expect(midAutumn.date).toBe(Lunar.fromYmd(year, 8, 15).getSolar().toYmd());
  });
});
