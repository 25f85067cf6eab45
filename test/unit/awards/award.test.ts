/** The pure rules of awards: the phases of the calendar, its checks, and the count. */
import { describe, expect, it } from 'vitest';
import {
  type Award,
  awardPhase,
  awardProblems,
  type Nomination,
  tally,
} from '../../../shared/domain/awards/award.ts';

const award: Award = {
  id: 'A',
  title: '最美家庭',
  kind: 'most_beautiful_family',
  description: null,
  nominationOpensOn: '2026-12-01',
  nominationClosesOn: '2026-12-05',
  votingOpensOn: '2026-12-10',
  votingClosesOn: '2026-12-15',
  places: 2,
  createdBy: 'c',
  createdAt: '2026-11-30T00:00:00Z',
  shortlistedAt: null,
  shortlistedBy: null,
  version: 1,
};

const nom = (employeeId: string, votes: number, shortlisted = true): Nomination => ({
  id: employeeId,
  awardId: 'A',
  employeeId,
  name: null,
  branch: 'B',
  branchName: null,
  citation: 'x',
  nominatedBy: 'o',
  nominatedAt: '2026-12-01T00:00:00Z',
  shortlisted,
  votes,
});

describe('the award calendar', () => {
  it('goes from nominating to shortlisting to voting to closed, both days of each window included', () => {
    expect(awardPhase(award, '2026-11-30')).toBe('before');
    expect(awardPhase(award, '2026-12-01')).toBe('nominating');
    expect(awardPhase(award, '2026-12-05')).toBe('nominating');
    expect(awardPhase(award, '2026-12-06')).toBe('shortlisting');
    expect(awardPhase(award, '2026-12-09')).toBe('shortlisting');
    expect(awardPhase(award, '2026-12-10')).toBe('voting');
    expect(awardPhase(award, '2026-12-15')).toBe('voting');
    expect(awardPhase(award, '2026-12-16')).toBe('counting_closed');
  });

  it('wants voting to open after nominations close, windows in order, and a place', () => {
    expect(awardProblems(award)).toEqual([]);
    expect(awardProblems({ ...award, votingOpensOn: '2026-12-05' }).map((p) => p.field)).toEqual([
      'votingOpensOn',
    ]);
    expect(awardProblems({ ...award, nominationClosesOn: '2026-11-30' }).map((p) => p.field)).toEqual([
      'nominationClosesOn',
    ]);
    expect(awardProblems({ ...award, votingClosesOn: '2026-12-09' }).map((p) => p.field)).toEqual([
      'votingClosesOn',
    ]);
    expect(awardProblems({ ...award, places: 0 }).map((p) => p.field)).toEqual(['places']);
  });
});

describe('the count', () => {
  it('ranks the shortlisted by votes and awards the places', () => {
    const t = tally([nom('C', 1), nom('A', 3), nom('B', 2), nom('D', 9, false)], 2);
    expect(t.results.map((r) => [r.employeeId, r.votes, r.rank, r.awarded])).toEqual([
      ['A', 3, 1, true],
      ['B', 2, 2, true],
      ['C', 1, 3, false],
    ]);
    expect(t).toMatchObject({ totalVotes: 6, awarded: 2, tieAtCutoff: false });
  });

  it('shares ranks on ties and says when a tie crosses the last place', () => {
    const t = tally([nom('A', 5), nom('B', 3), nom('C', 3), nom('D', 1)], 2);
    expect(t.results.map((r) => [r.employeeId, r.rank, r.awarded])).toEqual([
      ['A', 1, true],
      ['B', 2, true],
      ['C', 2, true],
      ['D', 4, false],
    ]);
    expect(t).toMatchObject({ awarded: 3, tieAtCutoff: true });
    expect(tally([nom('A', 0), nom('B', 0)], 1)).toMatchObject({
      awarded: 2,
      tieAtCutoff: true,
      totalVotes: 0,
    });
    expect(tally([], 3)).toEqual({ totalVotes: 0, results: [], awarded: 0, tieAtCutoff: false });
  });
});
