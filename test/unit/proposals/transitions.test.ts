import { describe, expect, it } from 'vitest';
import { Conflict, Forbidden, InvalidInput } from '../../../shared/domain/errors.ts';
import type { Principal, Role } from '../../../shared/domain/principal.ts';
import type { Proposal } from '../../../shared/domain/proposals/proposal.ts';
import { type ActionInput, canView, transition } from '../../../shared/domain/proposals/transitions.ts';

const who = (sub: string, roles: Role[], department?: string): Principal => ({
  sub,
  roles: new Set(roles),
  ...(department ? { department } : {}),
});
const author = who('A1', ['delegate']);
const d2 = who('D2', ['delegate']);
const d3 = who('D3', ['delegate']);
const committee = who('C1', ['committee']);
const chair = who('CH', ['chair']);
const logistics = who('L1', ['department'], 'LOG');
const policy = { secondersRequired: 2, maxReassignments: 1 };
const now = new Date('2026-11-23T02:00:00Z');

const draft = (): Proposal => ({
  id: 'P1',
  number: null,
  session: '2026',
  state: 'draft',
  title: '食堂延长供餐时间',
  content: '建议……',
  category: null,
  author: { id: 'A1' },
  seconders: [],
  review: null,
  assignment: null,
  answer: null,
  feedback: null,
  ratings: [],
  withdrawal: null,
  submittedAt: null,
  closedAt: null,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  version: 1,
});

const run = (p: Proposal, steps: Array<[Principal, ActionInput]>) =>
  steps.reduce((acc, [actor, input]) => transition(acc, input, actor, policy, now).next, p);

const toAssigned = () =>
  run(draft(), [
    [author, { action: 'submit' }],
    [d2, { action: 'second' }],
    [d3, { action: 'second' }],
    [committee, { action: 'review', decision: 'register' }],
    [
      committee,
      { action: 'assign', department: 'LOG', supportingDepartments: ['FIN', 'LOG'], dueDate: '2026-12-23' },
    ],
  ]);

describe('proposal state machine', () => {
  it('goes from draft to closed along the happy path', () => {
    const assigned = toAssigned();
    expect(assigned.state).toBe('assigned');
    expect(assigned.assignment?.supportingDepartments).toEqual(['FIN']);
    const closed = run(assigned, [
      [logistics, { action: 'answer', content: '已延长至20:00' }],
      [author, { action: 'feedback', rating: 'satisfied' }],
    ]);
    expect(closed.state).toBe('closed');
    expect(closed.version).toBe(8);
  });

  it('needs N seconds from other delegates, once each, never the author', () => {
    const submitted = run(draft(), [[author, { action: 'submit' }]]);
    expect(() => transition(submitted, { action: 'second' }, author, policy, now)).toThrow(Forbidden);
    const once = run(submitted, [[d2, { action: 'second' }]]);
    expect(once.state).toBe('submitted');
    expect(() => transition(once, { action: 'second' }, d2, policy, now)).toThrow(Conflict);
    expect(() => transition(once, { action: 'second' }, committee, policy, now)).toThrow(Forbidden);
    expect(run(once, [[d3, { action: 'second' }]]).state).toBe('under_review');
  });

  it('registers with a number, merges, converts, and rejects only with a reason', () => {
    const review = run(draft(), [
      [author, { action: 'submit' }],
      [d2, { action: 'second' }],
      [d3, { action: 'second' }],
    ]);
    expect(
      transition(review, { action: 'review', decision: 'register' }, committee, policy, now).needsNumber,
    ).toBe(true);
    expect(
      transition(review, { action: 'review', decision: 'convert' }, committee, policy, now).next.state,
    ).toBe('converted');
    expect(
      transition(review, { action: 'review', decision: 'merge', mergeInto: 'P0' }, committee, policy, now)
        .next.state,
    ).toBe('merged');
    expect(() => transition(review, { action: 'review', decision: 'merge' }, committee, policy, now)).toThrow(
      InvalidInput,
    );
    expect(() =>
      transition(review, { action: 'review', decision: 'reject' }, committee, policy, now),
    ).toThrow(InvalidInput);
    const rejected = transition(
      review,
      { action: 'review', decision: 'reject', reason: '不属于提案范围' },
      committee,
      policy,
      now,
    );
    expect(rejected.next).toMatchObject({ state: 'not_registered', review: { reason: '不属于提案范围' } });
    expect(() => transition(review, { action: 'review', decision: 'register' }, chair, policy, now)).toThrow(
      Forbidden,
    );
  });

  it('sends a dissatisfied rating back to the department, then closes with the rating kept', () => {
    const answered = run(toAssigned(), [[logistics, { action: 'answer', content: '研究中' }]]);
    const again = transition(
      answered,
      { action: 'feedback', rating: 'dissatisfied' },
      author,
      policy,
      now,
    ).next;
    expect(again).toMatchObject({
      state: 'assigned',
      answer: null,
      assignment: { round: 2, dueDate: '2026-12-23' },
    });
    const closed = run(again, [
      [logistics, { action: 'answer', content: '仍在研究' }],
      [author, { action: 'feedback', rating: 'dissatisfied', comment: '不满意' }],
    ]);
    expect(closed.state).toBe('closed');
    expect(closed.ratings.map((r) => r.rating)).toEqual(['dissatisfied', 'dissatisfied']);
  });

  it('answers 409 with the current state for an action the state does not allow', () => {
    const assigned = toAssigned();
    try {
      transition(assigned, { action: 'withdraw', reason: 'x' }, author, policy, now);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Conflict);
      expect((error as Conflict).details).toMatchObject({ state: 'assigned' });
    }
  });

  it('keeps drafts private and shows a department only what is assigned to it', () => {
    const p = draft();
    expect(canView(author, p)).toBe(true);
    expect(canView(chair, p)).toBe(false);
    expect(() => transition(p, { action: 'submit' }, chair, policy, now)).toThrow(Forbidden);
    const assigned = toAssigned();
    expect(canView(logistics, assigned)).toBe(true);
    expect(canView(who('F1', ['department'], 'FIN'), assigned)).toBe(true);
    expect(canView(who('X1', ['department'], 'HR'), assigned)).toBe(false);
    expect(() =>
      transition(assigned, { action: 'answer', content: 'x' }, who('F1', ['department'], 'FIN'), policy, now),
    ).toThrow(Forbidden);
  });
});
