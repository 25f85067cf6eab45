/**
 * The policy version form, as data: what it is prefilled with and what it sends. The API's rule
 * (PUT /care/policy): a version dated D is based on the latest stored version effective before D
 * (else the shipped default), and whatever the body leaves out is carried over from that base. So
 * the form starts from the base (or from the version being replaced, when D has one), and sends
 * only what differs from the base: what the user left alone stays exactly as the base has it.
 */
import type { CarePolicy, LifeEventKind, OccasionRule, PolicyAnswer, PolicyChange } from './api';
import { parseYuan, yuanText } from './format';

export const CAP_CATEGORIES = ['holiday', 'birthday', 'life'] as const;
export type CapCategory = (typeof CAP_CATEGORIES)[number];

export interface OccasionRow {
  key: string;
  enabled: boolean;
  /** Yuan, as typed. */
  amount: string;
  gift: string;
  workingDaysAhead: number;
}

export interface PolicyModel {
  effectiveFrom: string;
  caps: Record<CapCategory, string>;
  lifeEvents: Record<LifeEventKind, string>;
  occasions: OccasionRow[];
}

/** The version a new one from `date` is based on: the latest stored one effective before it, else the default. */
export const baseFor = (answer: PolicyAnswer, date: string): CarePolicy =>
  [...answer.versions]
    .filter((v) => v.effectiveFrom < date)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0] ?? answer.default;

/** The stored version that takes effect exactly on `date` (PUT replaces it if it may still be replaced). */
export const versionOn = (answer: PolicyAnswer, date: string) =>
  answer.versions.find((v) => v.effectiveFrom === date);

/**
 * An occasion's rule in a policy; for one of the union's own occasions that the policy does not
 * name, the occasion's own rule (`fallback`, from GET /care/occasions), as the planner does.
 */
const ruleIn = (policy: CarePolicy, key: string, fallback: Record<string, OccasionRule>) =>
  policy.occasions[key] ?? fallback[key];

/** The form's values from a policy: amounts as yuan to edit. */
export const modelFrom = (
  policy: CarePolicy,
  effectiveFrom: string,
  occasionKeys: readonly string[],
  fallback: Record<string, OccasionRule> = {},
): PolicyModel => ({
  effectiveFrom,
  caps: {
    holiday: yuanText(policy.caps.holiday),
    birthday: yuanText(policy.caps.birthday),
    life: yuanText(policy.caps.life),
  },
  lifeEvents: Object.fromEntries(
    Object.entries(policy.lifeEvents).map(([k, v]) => [k, yuanText(v.amountFen)]),
  ) as Record<LifeEventKind, string>,
  occasions: occasionKeys.flatMap((key) => {
    const rule = ruleIn(policy, key, fallback);
    return rule
      ? [
          {
            key,
            enabled: rule.enabled,
            amount: yuanText(rule.amountFen),
            gift: rule.gift ?? '',
            workingDaysAhead: rule.workingDaysAhead,
          },
        ]
      : [];
  }),
});

export type FieldErrors = Record<string, 'amount' | 'gift'>;

/**
 * The body of PUT /care/policy: the date and what differs from `base`; or the fields that cannot
 * be sent (an amount that is not yuan; a gift emptied: holiday care is given in kind).
 */
export const policyChange = (
  model: PolicyModel,
  base: CarePolicy,
  fallback: Record<string, OccasionRule> = {},
): { body: PolicyChange; errors: FieldErrors } => {
  const errors: FieldErrors = {};
  const fen = (text: string, field: string) => {
    const v = parseYuan(text);
    if (v === null) errors[field] = 'amount';
    return v;
  };
  const caps: Partial<Record<CapCategory, number>> = {};
  for (const c of CAP_CATEGORIES) {
    const v = fen(model.caps[c], `caps.${c}`);
    if (v !== null && v !== base.caps[c]) caps[c] = v;
  }
  const lifeEvents: Partial<Record<LifeEventKind, { amountFen: number }>> = {};
  for (const [k, text] of Object.entries(model.lifeEvents) as Array<[LifeEventKind, string]>) {
    const v = fen(text, `lifeEvents.${k}.amountFen`);
    if (v !== null && v !== base.lifeEvents[k]?.amountFen) lifeEvents[k] = { amountFen: v };
  }
  const occasions: NonNullable<PolicyChange['occasions']> = {};
  for (const row of model.occasions) {
    const was = ruleIn(base, row.key, fallback);
    const change: NonNullable<PolicyChange['occasions']>[string] = {};
    const amount = fen(row.amount, `occasions.${row.key}.amountFen`);
    if (amount !== null && amount !== was?.amountFen) change.amountFen = amount;
    if (row.enabled !== was?.enabled) change.enabled = row.enabled;
    const gift = row.gift.trim();
    if (!gift && was?.gift) errors[`occasions.${row.key}.gift`] = 'gift';
    else if (gift && gift !== was?.gift) change.gift = gift;
    if (row.workingDaysAhead !== was?.workingDaysAhead) change.workingDaysAhead = row.workingDaysAhead;
    if (Object.keys(change).length) occasions[row.key] = change;
  }
  return {
    body: {
      effectiveFrom: model.effectiveFrom,
      ...(Object.keys(caps).length ? { caps } : {}),
      ...(Object.keys(lifeEvents).length ? { lifeEvents } : {}),
      ...(Object.keys(occasions).length ? { occasions } : {}),
    },
    errors,
  };
};

/**
 * The form moved to another date whose starting point differs (another base, or a version
 * dated that day): each value the user had not changed follows the new starting point; what they
 * typed stays.
 */
export const rebase = (model: PolicyModel, from: PolicyModel, to: PolicyModel): PolicyModel => {
  const pick = (mine: string, was: string, now: string) => (mine === was ? now : mine);
  const caps = { ...model.caps };
  for (const c of CAP_CATEGORIES) caps[c] = pick(model.caps[c], from.caps[c], to.caps[c]);
  const lifeEvents = { ...model.lifeEvents };
  for (const k of Object.keys(lifeEvents) as LifeEventKind[])
    lifeEvents[k] = pick(model.lifeEvents[k], from.lifeEvents[k], to.lifeEvents[k] ?? model.lifeEvents[k]);
  const occasions = model.occasions.map((row) => {
    const a = from.occasions.find((r) => r.key === row.key);
    const b = to.occasions.find((r) => r.key === row.key);
    if (!a || !b) return row;
    return {
      key: row.key,
      enabled: row.enabled === a.enabled ? b.enabled : row.enabled,
      amount: pick(row.amount, a.amount, b.amount),
      gift: pick(row.gift, a.gift, b.gift),
      workingDaysAhead:
        row.workingDaysAhead === a.workingDaysAhead ? b.workingDaysAhead : row.workingDaysAhead,
    };
  });
  return { ...model, caps, lifeEvents, occasions };
};
