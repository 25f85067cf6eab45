/**
 * How union life shows money and days. Money: the API speaks yuan as text ("30.50", kept in fen
 * behind it); the page shows yuan and never fen, and never does arithmetic in floating point.
 * Days: YYYY-MM-DD in Asia/Shanghai, as the API's windows are.
 */

/** What the API accepts as a fee: yuan with up to two decimals (mutual-aid-schemas.ts). */
export const YUAN_PATTERN = /^\d{1,7}(\.\d{1,2})?$/;

/**
 * What a person typed as yuan, in the API's form, or null when it is not an amount: full-width
 * digits (０-９, ．) and a trailing 元 or leading ¥/￥ are accepted, spaces and thousands
 * separators dropped; "30.5" stays "30.5" (the API keeps it as 3050 fen).
 */
export const parseYuan = (typed: string): string | null => {
  const plain = typed
    .normalize('NFKC')
    .replace(/[\s,，]/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '');
  return YUAN_PATTERN.test(plain) ? plain : null;
};

/** "30.5" → "30.50 元" (zh-CN) or "¥30.50" (en), thousands grouped; "" when it is not an amount. */
export const formatYuan = (yuan: string, locale = 'zh-CN'): string => {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!m) return '';
  const zh = locale.startsWith('zh');
  const whole = new Intl.NumberFormat(zh ? 'zh-CN' : 'en').format(Number(m[1]));
  const amount = `${whole}.${(m[2] ?? '').padEnd(2, '0')}`;
  return zh ? `${amount} 元` : `¥${amount}`;
};

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
