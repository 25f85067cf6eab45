/** The parts of lunar-javascript (6tail) Gonghui uses; the package ships no types. */
declare module 'lunar-javascript' {
  interface SolarDate {
    toYmd(): string;
    getWeek(): number;
  }
  interface LunarDate {
    getSolar(): SolarDate;
  }
  interface Holiday {
    getDay(): string;
    getName(): string;
    isWork(): boolean;
    getTarget(): string;
  }
  interface LunarMonthOfYear {
    /** Negative for the leap month. */
    getMonth(): number;
    getDayCount(): number;
    getFirstJulianDay(): number;
  }
  const lunar: {
    Lunar: { fromYmd(year: number, month: number, day: number): LunarDate };
    Solar: {
      fromYmd(year: number, month: number, day: number): SolarDate;
      fromJulianDay(julianDay: number): SolarDate;
    };
    HolidayUtil: { getHoliday(ymd: string): Holiday | null; getHolidays(year: number): Holiday[] };
    /** A lunar month (a negative month is the leap month); null if the year has no such month. */
    LunarMonth: { fromYm(year: number, month: number): { getDayCount(): number } | null };
    /** A lunar year: its months in order, the leap month right after its namesake. */
    LunarYear: {
      fromYear(year: number): { getMonthsInYear(): LunarMonthOfYear[]; getLeapMonth(): number };
    };
  };
  export default lunar;
}
