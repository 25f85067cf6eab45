/** The daily care planner: what is due on a date, fanned out as tasks on the care queue. */
import { unionCalendar } from './calendar.ts';
import type { CareDeps, CareStore, CareTask } from './grants.ts';
import { policyOn } from './policy.ts';

/** What is due on a date: holidays whose dispatch date it is (this year's and next January's), and birthdays. */
export const dueOn = async (date: string, store: CareStore) => {
  const year = Number(date.slice(0, 4));
  const [policies, overrides] = await Promise.all([store.policies(), store.workdayOverrides()]);
  const policy = policyOn(date, policies);
  const ahead = (occasion: string) => policy.occasions[occasion]?.workingDaysAhead ?? 1;
  const entries = [year, year + 1].flatMap((y) =>
    unionCalendar(y, { overrides, workingDaysAhead: ahead }).map((e) => ({ ...e, year: y })),
  );
  const holidays = entries.filter((e) => e.dispatchDate === date && policy.occasions[e.occasion]?.enabled);
  const warnings = entries
    .filter((e) => e.year === year + 1 && !e.arrangementKnown)
    .slice(0, 1)
    .map(
      () =>
        `国务院 ${year + 1} 年节假日安排尚未录入 / The State Council's ${year + 1} holiday arrangement is missing: dispatch dates assume plain weekends`,
    );
  return { holidays, warnings };
};

/** The planner: enqueues one task per due holiday and branch, and one for the day's birthdays. */
export const planCare = async (date: string, deps: CareDeps) => {
  const { holidays, warnings } = await dueOn(date, deps.store);
  const branches = holidays.length ? await deps.store.branches() : [];
  const tasks: CareTask[] = [
    ...holidays.flatMap((h) =>
      branches.map(
        (branch): CareTask => ({ kind: 'holiday', occasion: h.occasion, year: h.year, date, branch }),
      ),
    ),
    { kind: 'birthday', date },
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
