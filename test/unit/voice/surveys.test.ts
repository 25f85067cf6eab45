/** The survey's pure rules: the window, the questions, a member's answers, and the anonymous aggregation. */
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../../shared/domain/errors.ts';
import {
  aggregate,
  branchResults,
  buildQuestions,
  checkAnswers,
  MIN_BREAKDOWN,
  type StoredAnswer,
  type Survey,
  surveyResults,
  surveyWindow,
} from '../../../shared/domain/voice/surveys.ts';

const survey: Survey = {
  id: 'S1',
  title: '会员评家',
  description: null,
  questions: buildQuestions([
    { kind: 'rating', prompt: '满意度' },
    { kind: 'choice', prompt: '加强', options: ['文体', '帮扶'] },
    { kind: 'text', prompt: '建议', required: false },
  ]),
  opensOn: '2026-12-01',
  closesOn: '2026-12-10',
  state: 'published',
  createdBy: 'C1',
  createdAt: '2026-11-30T00:00:00Z',
  publishedAt: '2026-11-30T00:00:00Z',
  closedAt: null,
  updatedAt: '2026-11-30T00:00:00Z',
  version: 2,
};

const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInput);
    return ((e as InvalidInput).details as { errors: Array<{ field: string }> }).errors.map((x) => x.field);
  }
  throw new Error('no error');
};

describe('the window', () => {
  it('is open from opensOn to closesOn inclusive, and only while published', () => {
    expect(surveyWindow(survey, '2026-11-30')).toBe('not_open');
    expect(surveyWindow(survey, '2026-12-01')).toBe('open');
    expect(surveyWindow(survey, '2026-12-10')).toBe('open');
    expect(surveyWindow(survey, '2026-12-11')).toBe('closed');
    expect(surveyWindow({ ...survey, state: 'draft' }, '2026-12-05')).toBe('not_open');
    expect(surveyWindow({ ...survey, state: 'closed' }, '2026-12-05')).toBe('closed');
    expect(surveyWindow({ ...survey, state: 'draft' }, '2026-12-11')).toBe('closed');
  });
});

describe('questions and answers', () => {
  it('numbers the questions and keeps options for choice questions only', () => {
    expect(survey.questions.map((q) => [q.id, q.required, q.options])).toEqual([
      ['q1', true, undefined],
      ['q2', true, ['文体', '帮扶']],
      ['q3', false, undefined],
    ]);
    expect(fieldsOf(() => buildQuestions([{ kind: 'choice', prompt: 'p', options: ['a', 'a'] }]))).toEqual([
      'questions.0.options',
    ]);
    expect(fieldsOf(() => buildQuestions([{ kind: 'text', prompt: 'p', options: ['a', 'b'] }]))).toEqual([
      'questions.0.options',
    ]);
  });

  it('checks each answer against its question and stores them in question order', () => {
    expect(
      checkAnswers(survey, [
        { question: 'q2', choice: '帮扶' },
        { question: 'q1', rating: 4 },
      ]),
    ).toEqual([
      { question: 'q1', rating: 4 },
      { question: 'q2', choice: '帮扶' },
    ]);
    expect(
      fieldsOf(() =>
        checkAnswers(survey, [
          { question: 'q1', choice: '文体' },
          { question: 'q2', choice: '唱歌' },
          { question: 'q9', text: 'x' },
          { question: 'q2', choice: '文体' },
        ]),
      ),
    ).toEqual(['answers.0', 'answers.1.choice', 'answers.2.question', 'answers.3.question']);
    expect(fieldsOf(() => checkAnswers(survey, [{ question: 'q3', text: '好' }]))).toEqual([
      'answers',
      'answers',
    ]);
  });
});

const answer = (branch: string, rating: number, choice = '文体', text?: string): StoredAnswer => ({
  branch,
  answers: [
    { question: 'q1', rating },
    { question: 'q2', choice },
    ...(text ? [{ question: 'q3', text }] : []),
  ],
});

describe('aggregation', () => {
  it('gives the rating mean and distribution, choice counts, and the texts sorted without authors', () => {
    const [rating, choice, text] = aggregate(survey, [
      answer('A', 5, '文体', '乙'),
      answer('A', 4, '帮扶'),
      answer('A', 4, '文体', '甲'),
    ]);
    expect(rating).toEqual({
      question: 'q1',
      kind: 'rating',
      prompt: '满意度',
      answered: 3,
      mean: 4.33,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 2, '5': 1 },
    });
    expect(choice).toMatchObject({ answered: 3, counts: { 文体: 2, 帮扶: 1 } });
    expect(text).toMatchObject({ answered: 2, texts: ['乙', '甲'].sort() });
    expect(aggregate(survey, [])[0]).toMatchObject({ answered: 0, mean: null });
  });

  const many = (branch: string, n: number, rating = 3) =>
    Array.from({ length: n }, () => answer(branch, rating));

  it(`breaks down only branches with ${MIN_BREAKDOWN} answers or more, and keeps small ones out of every figure while their pool is small`, () => {
    const r = surveyResults(survey, [...many('A', 5, 4), ...many('B', 2, 1), ...many('C', 1, 1)]);
    expect(r.branches.map((b) => [b.branch, b.answers, b.suppressed])).toEqual([
      ['A', 5, false],
      ['B', 2, true],
      ['C', 1, true],
    ]);
    expect(r.smallBranchesPooled).toBeNull();
    expect(r.overall?.answers).toBe(5);
    expect(r.overall?.questions[0]).toMatchObject({ mean: 4, distribution: { '1': 0, '4': 5 } });
    expect(r.unreported).toBe(3);
    expect(r.total).toBe(8);
    expect('note' in r && r.note).toContain('少于');
  });

  it('pools the small branches once together they reach the minimum, and then counts every answer', () => {
    const r = surveyResults(survey, [...many('A', 6, 4), ...many('B', 3, 1), ...many('C', 2, 2)]);
    expect(r.smallBranchesPooled).toMatchObject({ branches: ['B', 'C'], answers: 5 });
    expect(r.smallBranchesPooled?.questions[0]).toMatchObject({ distribution: { '1': 3, '2': 2 } });
    expect(r.overall?.answers).toBe(11);
    expect(r.unreported).toBe(0);
  });

  it('shows no overall figure under the minimum, and an officer only their branch', () => {
    const r = surveyResults(survey, many('A', 4));
    expect(r.overall).toBeNull();
    const officer = branchResults(survey, [...many('A', 5), ...many('B', 7)], 'A');
    expect(officer.branches).toEqual([
      expect.objectContaining({ branch: 'A', answers: 5, suppressed: false }),
    ]);
    expect('overall' in officer).toBe(false);
    expect(branchResults(survey, [], 'Z').branches).toEqual([
      expect.objectContaining({ branch: 'Z', answers: 0, suppressed: true }),
    ]);
  });
});
