/**
 * How union life shows days: YYYY-MM-DD in Asia/Shanghai, as the API's windows are. Money is
 * app/money.ts (yuan on every page, never fen).
 */

/** Today in Shanghai, YYYY-MM-DD: the API's windows are Shanghai days. */
export const todayInShanghai = (now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);

/** This year in Shanghai. */
export const yearInShanghai = (now = new Date()) => Number(todayInShanghai(now).slice(0, 4));

export type WindowState = 'not_open' | 'open' | 'closed';

/** Where today is relative to a window whose both days are included (as activity.ts decides). */
export const windowState = (w: { opensOn: string; closesOn: string }, today: string): WindowState =>
  today < w.opensOn ? 'not_open' : today > w.closesOn ? 'closed' : 'open';

/** A day for people: 2026年12月10日周四 / Thu, Dec 10, 2026. */
export const formatDay = (date: string, locale: string): string => {
  const d = new Date(`${date}T12:00:00+08:00`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(d);
};

/** A moment for people, in Shanghai time. */
export const formatMoment = (at: string, locale: string): string => {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
};

/** A day some days from another (YYYY-MM-DD). */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
