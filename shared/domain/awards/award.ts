/**
 * An award (最美家庭, 评先推优) and its pure rules: branches nominate inside the nomination
 * window, the committee shortlists between the nomination and the voting windows, members vote
 * once inside the voting window, and once it closes the results are published with the counts.
 */
import { windowState } from '../activities/activity.ts';

export const AWARD_KINDS = ['most_beautiful_family', 'advanced_individual', 'model_worker', 'other'] as const;
export type AwardKind = (typeof AWARD_KINDS)[number];

export interface Award {
  id: string;
  title: string;
  kind: AwardKind;
  description: string | null;
  nominationOpensOn: string;
  nominationClosesOn: string;
  votingOpensOn: string;
  votingClosesOn: string;
  /** How many are awarded. */
  places: number;
  createdBy: string;
  createdAt: string;
  shortlistedAt: string | null;
  shortlistedBy: string | null;
  version: number;
}

export interface Nomination {
  /** The nominee's 工号: a member is nominated once per award. */
  id: string;
  awardId: string;
  employeeId: string;
  name: string | null;
  /** The nominee's branch (the nominating officer's). */
  branch: string;
  branchName: string | null;
  citation: string;
  nominatedBy: string;
  nominatedAt: string;
  shortlisted: boolean;
  votes: number;
}

export type AwardPhase = 'before' | 'nominating' | 'shortlisting' | 'voting' | 'counting_closed';

/** Where `today` is in the award's calendar. Between the windows is the committee's shortlisting time. */
export const awardPhase = (a: Award, today: string): AwardPhase => {
  const nomination = windowState({ opensOn: a.nominationOpensOn, closesOn: a.nominationClosesOn }, today);
  if (nomination === 'not_open') return 'before';
  if (nomination === 'open') return 'nominating';
  const voting = windowState({ opensOn: a.votingOpensOn, closesOn: a.votingClosesOn }, today);
  if (voting === 'not_open') return 'shortlisting';
  if (voting === 'open') return 'voting';
  return 'counting_closed';
};

/** What is wrong with an award's calendar and places, as failing fields (empty: nothing). */
export const awardProblems = (a: {
  nominationOpensOn: string;
  nominationClosesOn: string;
  votingOpensOn: string;
  votingClosesOn: string;
  places: number;
}): Array<{ field: string; message: string }> => {
  const problems: Array<{ field: string; message: string }> = [];
  if (a.nominationOpensOn > a.nominationClosesOn)
    problems.push({
      field: 'nominationClosesOn',
      message: '提名截止日不能早于开始日 / before nominationOpensOn',
    });
  if (a.votingOpensOn <= a.nominationClosesOn)
    problems.push({
      field: 'votingOpensOn',
      message: '投票须在提名截止后开始 / not after nominationClosesOn',
    });
  if (a.votingOpensOn > a.votingClosesOn)
    problems.push({ field: 'votingClosesOn', message: '投票截止日不能早于开始日 / before votingOpensOn' });
  if (!Number.isInteger(a.places) || a.places < 1)
    problems.push({ field: 'places', message: '名额至少为 1 / at least 1' });
  return problems;
};

export interface ResultRow {
  nominationId: string;
  employeeId: string;
  name: string | null;
  branch: string;
  votes: number;
  /** 1 + how many got more votes (ties share a rank: 1, 1, 3). */
  rank: number;
  awarded: boolean;
}

/**
 * The results: shortlisted nominations by votes (ties by 工号, for a stable order), ranked; those
 * ranked within the places are awarded. A tie across the last place awards every tied nominee
 * and says so (`tieAtCutoff`): the committee decides, the count does not hide it.
 */
export const tally = (nominations: Nomination[], places: number) => {
  const rows = nominations
    .filter((n) => n.shortlisted)
    .sort((x, y) => y.votes - x.votes || x.employeeId.localeCompare(y.employeeId));
  const ranked: ResultRow[] = rows.map((n) => {
    const rank = 1 + rows.filter((o) => o.votes > n.votes).length;
    return {
      nominationId: n.id,
      employeeId: n.employeeId,
      name: n.name,
      branch: n.branch,
      votes: n.votes,
      rank,
      awarded: rank <= places,
    };
  });
  const awarded = ranked.filter((r) => r.awarded).length;
  return {
    totalVotes: rows.reduce((s, n) => s + n.votes, 0),
    results: ranked,
    awarded,
    tieAtCutoff: awarded > places,
  };
};
