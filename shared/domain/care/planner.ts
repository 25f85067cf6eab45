/** The daily care planner: what is due on a date, fanned out as tasks on the care queue. */
import { type CalendarEntry, prepareCalendar, unionCalendar, WorkCalendar } from './calendar.ts';
import { type CareDeps, type CareTask, planOf } from './grants.ts';
import { type CareSettings, careYear } from './settings.ts';

export const missingArrangementWarning = (year: number) =>
  `国务院 ${year} 年节假日安排尚未录入（PUT /care/workdays/${year}）/ The State Council's ${year} holiday arrangement is missing from the library and the overrides (PUT /care/workdays/${year}): dispatch dates assume plain weekends`;

/**
 * The union calendar of a year under the settings (the union's own occasions, working-day
 * overrides, each occasion's working days ahead from the policy in force on its date).
 */
export const calendarOf = (year: number, settings: CareSettings): CalendarEntry[] => {
  const y = careYear(settings);
  return unionCalendar(year, {
    occasions: y.occasions,
    overrides: y.overrides,
    workingDaysAhead: (occasion, date) => y.ruleFor(y.policyOn(date), occasion)?.workingDaysAhead ?? 1,
  });
};

/** A warning for each of these years whose 调休 arrangement neither the library nor the overrides know. */
export const arrangementWarnings = (years: number[], settings: CareSettings): string[] => {
  const calendar = new WorkCalendar(careYear(settings).overrides);
  return years.filter((y) => !calendar.knows(y)).map(missingArrangementWarning);
};

/** What is due on a date: holidays whose dispatch date it is (this year's and next January's), and birthdays. */
export const dueOn = (date: string, settings: CareSettings) => {
  const year = Number(date.slice(0, 4));
  const y = careYear(settings);
  const policy = y.policyOn(date);
  const entries = [year, year + 1].flatMap((yr) => calendarOf(yr, settings).map((e) => ({ ...e, year: yr })));
  const holidays = entries.filter((e) => e.dispatchDate === date && y.ruleFor(policy, e.occasion)?.enabled);
  return { holidays, warnings: arrangementWarnings([year + 1], settings) };
};

/**
 * The planner: reads the settings once, and enqueues one task per due holiday and branch and one
 * for the day's birthdays, each carrying what it grants (so the workers read no settings).
 */
export const planCare = async (date: string, deps: CareDeps) => {
  const year = Number(date.slice(0, 4));
  const [settings] = await Promise.all([deps.store.settings(), prepareCalendar([year, year + 1])]);
  const { holidays, warnings } = dueOn(date, settings);
  const branches = holidays.length ? await deps.store.branches() : [];
  const birthday = planOf('birthday', date, settings);
  const tasks: CareTask[] = [
    ...holidays.flatMap((h) => {
      const plan = planOf(h.occasion, date, settings);
      return plan
        ? branches.map(
            (branch): CareTask => ({
              kind: 'holiday',
              occasion: h.occasion,
              year: h.year,
              date,
              branch,
              plan,
            }),
          )
        : [];
    }),
    ...(birthday?.rule.enabled ? [{ kind: 'birthday' as const, date, plan: birthday }] : []),
  ];
  await deps.queue.enqueue(tasks);
  return {
    date,
    holidays: holidays.map((h) => h.occasion),
    branches: branches.length,
    tasks: tasks.length,
    warnings,
  };
};
