/**
 * The member census: how many members each branch has, by status, and what the dashboard needs
 * to know of them to count a holiday's reach and its cost under the caps, kept as counts instead
 * of being read member by member (20,000 members: 36 queries and 20,417 items per dashboard).
 *
 * Every write of a member item (the repository's save: hires, transfers, departures, retirements,
 * updates, leaves, invitations; a care grant: the member's yearly totals) also writes, in the same
 * transaction, a census tally: the difference between how the member was counted before and how
 * after (`censusChange`). A tally is a new item each time (a ULID key, as the care tallies), so no
 * counter is fought over and enrolment gains no contended write; it commits exactly when the
 * change does, so a redelivered or out-of-order HR event that changes nothing writes nothing, and
 * the tallies add up to the members as stored. `compact-tallies` rolls them into a rollup every
 * ten minutes, as it does the care tallies; the dashboard reads the rollup and the tallies after it.
 *
 * What is counted of a member (a group): branch, status, gender and joining day; and, per year and
 * care category, the members of each group at each yearly total (fen), so that a holiday's reach,
 * its estimated cost and the members the cap cuts are the same as counting member by member.
 * Joining days older than the rollup's floor (a month start some 400 days back) are counted
 * together: they only matter for a policy's `minMembershipDays`, and a member who joined before
 * the floor has more days than any policy up to a year asks for (the dashboard reads members
 * live in the rare case a policy asks for more).
 */
import type { CareCategory } from '../care/policy.ts';
import { TALLY_SETTLE_MS } from '../care/tally.ts';
import type { Member, MemberStatus } from './member.ts';

/** Members counted together. */
export interface CensusGroup {
  branch: string;
  status: MemberStatus | '';
  gender: 'female' | 'male' | '';
  /** The joining day; '' when unknown or before the floor (counted together). */
  joinedOn: string;
}

export interface CensusMembersRow extends CensusGroup {
  branchName: string;
  count: number;
}

/** Members of a group whose care of `year` in `category` came to `spentFen` (above 0). */
export interface CensusCareRow extends CensusGroup {
  year: number;
  category: CareCategory;
  spentFen: number;
  count: number;
}

export interface CensusRows {
  members: CensusMembersRow[];
  care: CensusCareRow[];
}

export const NO_CENSUS: CensusRows = { members: [], care: [] };

export const groupKey = (g: CensusGroup) => `${g.branch}|${g.status}|${g.gender}|${g.joinedOn}`;
const membersKey = (r: CensusMembersRow) => `${groupKey(r)}|${r.branchName}`;
const careKey = (r: CensusCareRow) => `${groupKey(r)}|${r.year}|${r.category}|${r.spentFen}`;

/** Counted are the members the branch index lists: enrolled, placed, numbered. */
const countedGroup = (m: Member | undefined): (CensusGroup & { branchName: string }) | undefined =>
  m?.enrolled && m.branch && m.membershipNumber
    ? {
        branch: m.branch.code,
        branchName: m.branch.name,
        status: m.status ?? '',
        gender: m.gender ?? '',
        joinedOn: m.joinedOn ?? '',
      }
    : undefined;

/** How one member is counted (each row with count 1, or `sign`). */
export const countedAs = (m: Member | undefined, sign = 1): CensusRows => {
  const g = countedGroup(m);
  if (!g) return { members: [], care: [] };
  const { branchName, ...group } = g;
  const care: CensusCareRow[] = [];
  for (const [year, totals] of Object.entries(m!.care ?? {}))
    for (const [category, spentFen] of Object.entries(totals ?? {}))
      if (spentFen && spentFen > 0)
        care.push({
          ...group,
          year: Number(year),
          category: category as CareCategory,
          spentFen,
          count: sign,
        });
  return { members: [{ ...group, branchName, count: sign }], care };
};

/**
 * Rows summed (a joining day before `floor` counted as ''), rows that come to 0 left out. The
 * floor only moves forward, and ''-ing a day is the same whichever floor did it first, so sums
 * taken at different floors add up.
 */
export const sumCensus = (parts: Iterable<CensusRows>, floor = ''): CensusRows => {
  const canon = (j: string) => (j !== '' && j < floor ? '' : j);
  const members = new Map<string, CensusMembersRow>();
  const care = new Map<string, CensusCareRow>();
  for (const part of parts) {
    for (const r of part.members) {
      const row = { ...r, joinedOn: canon(r.joinedOn) };
      const had = members.get(membersKey(row));
      if (had) had.count += row.count;
      else members.set(membersKey(row), row);
    }
    for (const r of part.care) {
      const row = { ...r, joinedOn: canon(r.joinedOn) };
      const had = care.get(careKey(row));
      if (had) had.count += row.count;
      else care.set(careKey(row), row);
    }
  }
  return {
    members: [...members.values()].filter((r) => r.count !== 0),
    care: [...care.values()].filter((r) => r.count !== 0),
  };
};

/** What a member's change does to the census: counted as after, no longer as before. */
export const censusChange = (before: Member | undefined, after: Member | undefined): CensusRows =>
  sumCensus([countedAs(before, -1), countedAs(after, 1)]);

export const isEmptyCensus = (r: CensusRows) => r.members.length === 0 && r.care.length === 0;

/** The census of members read one by one (the live count the rollup must equal). */
export const censusOf = (members: Iterable<Member | undefined>): CensusRows =>
  sumCensus([...members].map((m) => countedAs(m)));

const DAY_MS = 86_400_000;
/** How far back the floor sits: any policy asking up to a year of membership is counted exactly. */
export const CENSUS_FLOOR_DAYS = 400;

/** The floor for a day: the first of the month CENSUS_FLOOR_DAYS before it (moves once a month). */
export const censusFloor = (today: string): string =>
  `${new Date(Date.parse(today) - CENSUS_FLOOR_DAYS * DAY_MS).toISOString().slice(0, 7)}-01`;

/** Whether members who joined before `floor` all have `minDays` of membership on `date`. */
export const floorAnswers = (floor: string, date: string, minDays: number): boolean =>
  floor === '' || Date.parse(floor) <= Date.parse(date) - minDays * DAY_MS;

// ---------------------------------------------------------------------------------------------
// The rollup, as the care tallies' (tally.ts): the tallies up to `through`, summed; readers read it
// and the tallies after it, so each change counts once whatever a compaction does meanwhile.

export interface CensusRollup {
  /** The id of the last tally it holds; '' when none. */
  through: string;
  floor: string;
  rows: CensusRows;
  tallies: number;
  version: number;
  updatedAt: string;
}

export interface CensusStore {
  rollup(): Promise<CensusRollup | undefined>;
  /** Tallies with an id after `after` and before `before` (an id's time prefix), in id order, at most `limit`. */
  talliesBetween(
    after: string,
    before: string | undefined,
    limit: number,
  ): Promise<Array<{ id: string; rows: CensusRows }>>;
  /** Stores the rollup if the stored one is still `version - 1` (none for version 1). */
  saveRollup(rollup: CensusRollup): Promise<'saved' | 'conflict'>;
}

/** A tally's transaction commits within seconds of its id being made: older ones are settled. */
export const CENSUS_SETTLE_MS = TALLY_SETTLE_MS;

/** Rolls the settled census tallies into the rollup, a page at a time (as compactTallies). */
export const compactCensus = async (deps: {
  store: CensusStore;
  now: () => Date;
  idBefore: (instant: Date) => string;
  /** Today in Shanghai: sets the floor. */
  today: string;
  pageSize?: number;
}) => {
  const limit = deps.pageSize ?? 1000;
  const before = deps.idBefore(new Date(deps.now().getTime() - CENSUS_SETTLE_MS));
  const floor = censusFloor(deps.today);
  let added = 0;
  for (let conflicts = 0; conflicts < 20; ) {
    const current: CensusRollup = (await deps.store.rollup()) ?? {
      through: '',
      floor: '',
      rows: NO_CENSUS,
      tallies: 0,
      version: 0,
      updatedAt: '',
    };
    const page = await deps.store.talliesBetween(current.through, before, limit);
    // Dates as text: the later of the two (the floor never moves back).
    const nextFloor = [floor, current.floor].sort().at(-1)!;
    if (page.length === 0 && nextFloor === current.floor) return { added, through: current.through };
    const next: CensusRollup = {
      through: page.at(-1)?.id ?? current.through,
      floor: nextFloor,
      rows: sumCensus([current.rows, ...page.map((t) => t.rows)], nextFloor),
      tallies: current.tallies + page.length,
      version: current.version + 1,
      updatedAt: deps.now().toISOString(),
    };
    if ((await deps.store.saveRollup(next)) === 'conflict') {
      conflicts++;
      continue;
    }
    added += page.length;
    if (page.length < limit) return { added, through: next.through };
  }
  throw new Error('the census rollup kept conflicting');
};

/** The census now: the rollup and every tally after it, with the rollup's floor. */
export const readCensus = async (store: CensusStore): Promise<{ rows: CensusRows; floor: string }> => {
  const rollup = await store.rollup();
  const after = await store.talliesBetween(rollup?.through ?? '', undefined, Number.POSITIVE_INFINITY);
  const floor = rollup?.floor ?? '';
  return { rows: sumCensus([rollup?.rows ?? NO_CENSUS, ...after.map((t) => t.rows)], floor), floor };
};
