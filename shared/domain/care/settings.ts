/**
 * Care settings, as data: policy versions with the date they take effect, the union's own
 * occasions (Guangxi's 三月三, a school's founding day), and the State Council's working-day
 * arrangement (调休) for years the lunar library does not know yet. The chair and admins manage
 * them (settings-admin.ts); the planner resolves them here. No lunar library in this module: the
 * grant workers load it.
 */

import { DEFAULT_OCCASIONS, type OccasionDefinition } from './occasions.ts';
import { type CarePolicy, type OccasionPolicy, policyOn } from './policy.ts';

/** A day the State Council's arrangement makes a rest day or a working day, for a year the library lacks. */
export interface WorkdayOverride {
  date: string;
  work: boolean;
}

/** An occasion a union adds, with what it grants unless a policy version says otherwise. */
export interface CustomOccasion extends OccasionDefinition {
  rule: OccasionPolicy;
  createdAt: string;
  createdBy: string;
}

export interface StoredPolicy extends CarePolicy {
  updatedAt: string;
  updatedBy: string;
}

/** A year's working-day arrangement, as the State Council published it: only the days that differ from plain weekends. */
export interface WorkdayYear {
  year: number;
  days: WorkdayOverride[];
  updatedAt: string;
  updatedBy: string;
}

export interface CareSettings {
  policies: StoredPolicy[];
  occasions: CustomOccasion[];
  workdays: WorkdayYear[];
}

export const NO_SETTINGS: CareSettings = { policies: [], occasions: [], workdays: [] };

export interface CareSettingsStore {
  /** Every care setting at once: one small partition, read once per planner run. */
  settings(): Promise<CareSettings>;
  putPolicy(p: StoredPolicy): Promise<void>;
  /** false if an occasion with this key exists already. */
  addOccasion(o: CustomOccasion): Promise<boolean>;
  /** false if there was none. */
  deleteOccasion(occasion: string): Promise<boolean>;
  putWorkdays(y: WorkdayYear): Promise<void>;
}

/** The resolved settings: every occasion, the working-day overrides, the policy of a date, an occasion's rule. */
export const careYear = (s: CareSettings) => {
  const occasions: OccasionDefinition[] = [
    ...DEFAULT_OCCASIONS,
    ...s.occasions.map(({ occasion, name, calendar, month, day, audience }) => ({
      occasion,
      name,
      calendar,
      month,
      day,
      audience,
    })),
  ];
  const overrides = s.workdays.flatMap((y) => y.days);
  const custom = new Map(s.occasions.map((o) => [o.occasion, o]));
  return {
    occasions,
    overrides,
    policyOn: (date: string): CarePolicy => policyOn(date, s.policies),
    /** The policy's rule for an occasion, else the rule the union gave its own occasion. */
    ruleFor: (policy: CarePolicy, occasion: string): OccasionPolicy | undefined =>
      policy.occasions[occasion] ?? custom.get(occasion)?.rule,
    occasion: (key: string) => occasions.find((o) => o.occasion === key),
  };
};
