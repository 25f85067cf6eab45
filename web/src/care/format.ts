/**
 * Money and days as people read them. The API counts money in fen (分, integers, so sums are
 * exact); a person reads and types yuan (元). Nothing on a page shows fen.
 */

const yuanFormat = new Map<string, Intl.NumberFormat>();

/** 100000 → "¥1,000.00" (the yuan sign in both languages; two decimals, as on a voucher). */
export const formatYuan = (fen: number, locale = 'zh-CN'): string => {
  let f = yuanFormat.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: 'CNY',
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    yuanFormat.set(locale, f);
  }
  return f.format(fen / 100);
};

/** Fen as a form shows yuan to edit: 150000 → "1500", 8850 → "88.5", 5 → "0.05". */
export const yuanText = (fen: number): string => {
  const whole = Math.trunc(fen / 100);
  const cents = Math.abs(fen % 100);
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
};

/**
 * What a person typed as yuan, in fen: "1,000", "1000.5", "¥88.00", "２００" (full-width digits,
 * from a Chinese IME) are all fine; null if it is not an amount of at most two decimals, or is
 * negative.
 */
export const parseYuan = (text: string): number | null => {
  const t = text
    .replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[,，\s¥￥元]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  const [whole, cents = ''] = t.split('.');
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
};

/** Today in Shanghai, YYYY-MM-DD: the API's days are Shanghai days. */
export const todayInShanghai = (now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);

/** The first day of the month after `today` (the usual start of a new policy version). */
export const firstOfNextMonth = (today: string) => {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

/** A date with its weekday: "2027-04-08（周四）" / "2027-04-08 (Thu)". */
export const dayWithWeekday = (date: string, locale: string) => {
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
  return locale.startsWith('zh') ? `${date}（${weekday}）` : `${date} (${weekday})`;
};

/** A moment as a Shanghai date and time. */
export const when = (at: string, locale: string) =>
  new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(new Date(at));

const LUNAR_MONTHS = ['正', '二', '三', '四', '五', '六', '七', '八', '九', '十', '冬', '腊'];
const LUNAR_DAY_TENS = ['初', '十', '廿', '三'];
const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** A lunar day as in a Chinese calendar: 3 → 初三, 15 → 十五, 20 → 二十, 30 → 三十. */
export const lunarDayName = (day: number) => {
  if (day === 10) return '初十';
  if (day === 20) return '二十';
  if (day === 30) return '三十';
  return `${LUNAR_DAY_TENS[Math.floor(day / 10)]}${DIGITS[day % 10]}`;
};

/** A lunar month's name: 1 → 正月, 11 → 冬月, 12 → 腊月. */
export const lunarMonthName = (month: number) => `${LUNAR_MONTHS[month - 1]}月`;

/** An occasion's day in its calendar: "农历三月初三" / "lunar 3/3"; "公历3月8日" / "3/8". */
export const occasionDay = (
  o: { calendar: 'solar' | 'lunar'; month: number; day: number },
  locale: string,
) => {
  const zh = locale.startsWith('zh');
  if (o.calendar === 'lunar')
    return zh ? `农历${lunarMonthName(o.month)}${lunarDayName(o.day)}` : `lunar ${o.month}/${o.day}`;
  return zh ? `公历${o.month}月${o.day}日` : `${o.month}/${o.day}`;
};
