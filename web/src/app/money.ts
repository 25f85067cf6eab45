/**
 * Money as people read it: yuan, never fen, and never floating-point arithmetic. The API speaks
 * yuan as text ("30.50", mutual aid) or fen as an integer (the care ledger): both become
 * "30.50 元" (zh-CN) or "¥30.50" (en) here.
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

/** Fen (an integer, as the ledger keeps money) → yuan as text: 3050 → "30.50". */
export const yuanFromFen = (fen: number): string => {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};
