/**
 * The occasions of the union's year, as data. Kept apart from the calendar arithmetic so that
 * code which only needs an occasion's name or audience does not load the lunar library.
 */
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
