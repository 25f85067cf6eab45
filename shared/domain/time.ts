/**
 * Time is an input: use cases take `now` from their caller. The union lives in Asia/Shanghai
 * (UTC+8, no daylight saving), so "today" and "this year" are computed there.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** YYYY-MM-DD of an instant in Asia/Shanghai. */
export const shanghaiDate = (instant: Date): string =>
  new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

export const shanghaiYear = (instant: Date): number => Number(shanghaiDate(instant).slice(0, 4));
