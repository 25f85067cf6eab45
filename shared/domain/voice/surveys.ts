/**
 * Members rate the union (会员评家): the chair or an admin drafts a survey (rating 1–5, choice and
 * free-text questions, an open window of dates), publishes it, and each member answers once.
 *
 * Anonymity is the point. An answer is stored WITHOUT the member: one item keyed by a random id
 * (not a ULID, which carries the time) under its branch, holding only the branch and the answers;
 * beside it, in the same transaction, a marker "this member has answered" holding no answer id.
 * Neither carries a time, no event is emitted, and nothing is logged, so nothing ties the two.
 * Results are only aggregates per branch; a branch with fewer than MIN_BREAKDOWN answers shows no
 * breakdown (its answers are pooled with the other small branches when the pool is large enough,
 * and otherwise left out of the overall figures too, so that no subtraction recovers them).
 * Results are read once the survey is closed (its closing date passed, or closed early): two
 * readings while answers come in would tell one answer by their difference.
 */
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { shanghaiDate } from '../time.ts';
import type { People } from './letters.ts';

export const MIN_BREAKDOWN = 5;
export const QUESTION_KINDS = ['rating', 'choice', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const SURVEY_STATES = ['draft', 'published', 'closed'] as const;
export type SurveyState = (typeof SURVEY_STATES)[number];

export interface Question {
  /** q1, q2, … in the order given. */
  id: string;
  kind: QuestionKind;
  prompt: string;
  /** Choice questions: the options. */
  options?: string[];
  required: boolean;
}

export interface Survey {
  id: string;
  title: string;
  description: string | null;
  questions: Question[];
  /** The open window, dates in Asia/Shanghai, both days included. */
  opensOn: string;
  closesOn: string;
  state: SurveyState;
  createdBy: string;
  createdAt: string;
  publishedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  version: number;
}

export type AnswerValue =
  | { question: string; rating: number }
  | { question: string; choice: string }
  | {
      question: string;
      text: string;
    };

/** What is stored of one answer: its branch and the values. Nothing else. */
export interface StoredAnswer {
  branch: string;
  answers: AnswerValue[];
}

export interface SurveyStore {
  get(id: string): Promise<Survey | undefined>;
  save(survey: Survey): Promise<'saved' | 'conflict'>;
  list(): Promise<Survey[]>;
  hasAnswered(surveyId: string, employeeId: string): Promise<boolean>;
  /**
   * The answer and the member's marker in one transaction; 'answered' if the marker exists,
   * 'busy' if the same member's other request was being written at that moment.
   */
  addAnswer(
    surveyId: string,
    employeeId: string,
    answer: StoredAnswer,
  ): Promise<'saved' | 'answered' | 'busy'>;
  answers(surveyId: string, branch?: string): Promise<StoredAnswer[]>;
}

export interface SurveyDeps {
  store: SurveyStore;
  people: People;
  now: () => Date;
  newId: () => string;
}

export type Input<T> = () => T;

const MANAGERS = ['chair', 'admin'] as const;
const isManager = (p: Principal) => hasAnyRole(p, ...MANAGERS);
const notFound = () => new NotFound('问卷不存在 / No such survey');

// ---------------------------------------------------------------------------------------------
// Pure rules.

export type WindowState = 'not_open' | 'open' | 'closed';

/** Where a survey stands on a day (Shanghai date): a draft is never open, a closed one never again. */
export const surveyWindow = (
  s: Pick<Survey, 'state' | 'opensOn' | 'closesOn'>,
  today: string,
): WindowState => {
  if (s.state === 'closed' || today > s.closesOn) return 'closed';
  if (s.state === 'draft' || today < s.opensOn) return 'not_open';
  return 'open';
};

export interface QuestionInput {
  kind: QuestionKind;
  prompt: string;
  options?: string[];
  required?: boolean;
}

/** The questions as stored: ids given in order, options only for choice questions. */
export const buildQuestions = (input: QuestionInput[]): Question[] => {
  const errors: Array<{ field: string; message: string }> = [];
  const questions = input.map((q, i): Question => {
    if (q.kind === 'choice') {
      const options = q.options ?? [];
      if (options.length < 2)
        errors.push({ field: `questions.${i}.options`, message: 'at least two options' });
      if (new Set(options).size !== options.length)
        errors.push({ field: `questions.${i}.options`, message: 'options repeat' });
    } else if (q.options !== undefined) {
      errors.push({ field: `questions.${i}.options`, message: 'only choice questions have options' });
    }
    return {
      id: `q${i + 1}`,
      kind: q.kind,
      prompt: q.prompt,
      ...(q.kind === 'choice' ? { options: q.options ?? [] } : {}),
      required: q.required ?? true,
    };
  });
  if (errors.length) throw new InvalidInput('问题有误 / The questions are invalid', { errors });
  return questions;
};

/**
 * A member's answers checked against the survey: every value of its question's kind, a rating
 * 1–5, a choice among the options, each question at most once, every required one answered.
 */
export const checkAnswers = (survey: Survey, answers: AnswerValue[]): AnswerValue[] => {
  const errors: Array<{ field: string; message: string }> = [];
  const byId = new Map(survey.questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    const field = `answers.${i}`;
    const q = byId.get(a.question);
    if (!q) {
      errors.push({ field: `${field}.question`, message: 'no such question' });
      return;
    }
    if (seen.has(q.id)) errors.push({ field: `${field}.question`, message: 'answered twice' });
    seen.add(q.id);
    if (q.kind === 'rating') {
      if (!('rating' in a)) errors.push({ field, message: 'a rating question takes `rating` (1–5)' });
    } else if (q.kind === 'choice') {
      if (!('choice' in a)) errors.push({ field, message: 'a choice question takes `choice`' });
      else if (!q.options?.includes(a.choice))
        errors.push({ field: `${field}.choice`, message: 'not one of the options' });
    } else if (!('text' in a)) errors.push({ field, message: 'a text question takes `text`' });
  });
  for (const q of survey.questions)
    if (q.required && !seen.has(q.id)) errors.push({ field: 'answers', message: `${q.id} is required` });
  if (errors.length) throw new InvalidInput('回答有误 / The answers are invalid', { errors });
  // Stored in the survey's question order, whatever order they came in.
  const order = new Map(survey.questions.map((q, i) => [q.id, i]));
  return [...answers].sort((x, y) => order.get(x.question)! - order.get(y.question)!);
};

export type QuestionResult =
  | {
      question: string;
      kind: 'rating';
      prompt: string;
      answered: number;
      mean: number | null;
      distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
    }
  | { question: string; kind: 'choice'; prompt: string; answered: number; counts: Record<string, number> }
  | { question: string; kind: 'text'; prompt: string; answered: number; texts: string[] };

/** Aggregates of a set of answers: means and distributions, counts, the texts sorted (no order of arrival). */
export const aggregate = (survey: Survey, answers: StoredAnswer[]): QuestionResult[] =>
  survey.questions.map((q): QuestionResult => {
    const values = answers.flatMap((a) => a.answers.filter((v) => v.question === q.id));
    if (q.kind === 'rating') {
      const ratings = values.flatMap((v) => ('rating' in v ? [v.rating] : []));
      const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
      for (const r of ratings) distribution[String(r) as keyof typeof distribution]++;
      const mean = ratings.length
        ? Math.round((ratings.reduce((s, r) => s + r, 0) / ratings.length) * 100) / 100
        : null;
      return {
        question: q.id,
        kind: 'rating',
        prompt: q.prompt,
        answered: ratings.length,
        mean,
        distribution,
      };
    }
    if (q.kind === 'choice') {
      const counts = Object.fromEntries((q.options ?? []).map((o) => [o, 0]));
      let answered = 0;
      for (const v of values)
        if ('choice' in v && v.choice in counts) {
          counts[v.choice]!++;
          answered++;
        }
      return { question: q.id, kind: 'choice', prompt: q.prompt, answered, counts };
    }
    const texts = values.flatMap((v) => ('text' in v ? [v.text] : [])).sort();
    return { question: q.id, kind: 'text', prompt: q.prompt, answered: texts.length, texts };
  });

const SUPPRESSED = `少于 ${MIN_BREAKDOWN} 份回答，不单独列出 / Fewer than ${MIN_BREAKDOWN} answers: no breakdown, to keep answers anonymous`;

export type BranchResult =
  | { branch: string; answers: number; suppressed: false; questions: QuestionResult[] }
  | { branch: string; answers: number; suppressed: true; note: string };

const byBranch = (survey: Survey, answers: StoredAnswer[]): BranchResult[] => {
  const groups = new Map<string, StoredAnswer[]>();
  for (const a of answers) groups.set(a.branch, [...(groups.get(a.branch) ?? []), a]);
  return [...groups.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([branch, list]) =>
      list.length >= MIN_BREAKDOWN
        ? { branch, answers: list.length, suppressed: false, questions: aggregate(survey, list) }
        : { branch, answers: list.length, suppressed: true, note: SUPPRESSED },
    );
};

/** One branch's results (an officer's view, or the chair asking for one branch). */
export const branchResults = (survey: Survey, answers: StoredAnswer[], branch: string) => {
  const of = answers.filter((a) => a.branch === branch);
  const [result] = byBranch(survey, of);
  return {
    surveyId: survey.id,
    title: survey.title,
    minimumForBreakdown: MIN_BREAKDOWN,
    branches: [result ?? { branch, answers: 0, suppressed: true as const, note: SUPPRESSED }],
  };
};

/**
 * Results of every branch, the small ones pooled when the pool reaches the minimum, and the
 * overall figures over what is shown: answers in a pool below the minimum are counted but in no
 * figure, so that the overall minus the branches shown never recovers them.
 */
export const surveyResults = (survey: Survey, answers: StoredAnswer[]) => {
  const branches = byBranch(survey, answers);
  const small = new Set(branches.filter((b) => b.suppressed).map((b) => b.branch));
  const pooled = answers.filter((a) => small.has(a.branch));
  const pool =
    pooled.length >= MIN_BREAKDOWN
      ? { branches: [...small], answers: pooled.length, questions: aggregate(survey, pooled) }
      : null;
  const shown = pool ? answers : answers.filter((a) => !small.has(a.branch));
  const unreported = answers.length - shown.length;
  return {
    surveyId: survey.id,
    title: survey.title,
    minimumForBreakdown: MIN_BREAKDOWN,
    branches,
    total: answers.length,
    /** Branches below the minimum, together, when they reach it. */
    smallBranchesPooled: pool,
    overall:
      shown.length >= MIN_BREAKDOWN ? { answers: shown.length, questions: aggregate(survey, shown) } : null,
    /** Answers in no figure: small branches whose pool is still below the minimum. */
    unreported,
    ...(unreported > 0 || shown.length < MIN_BREAKDOWN ? { note: SUPPRESSED } : {}),
  };
};

// ---------------------------------------------------------------------------------------------
// Use cases.

export interface SurveyInput {
  title: string;
  description?: string;
  questions: QuestionInput[];
  opensOn: string;
  closesOn: string;
}

export const createSurvey = async (actor: Principal, body: Input<SurveyInput>, deps: SurveyDeps) => {
  if (!isManager(actor)) throw new Forbidden('仅主席、管理员 / Chair and admins only');
  const input = body();
  if (input.closesOn < input.opensOn)
    throw new InvalidInput('截止日期早于开始日期 / closesOn is before opensOn', {
      errors: [{ field: 'closesOn', message: 'before opensOn' }],
    });
  const questions = buildQuestions(input.questions);
  const at = deps.now().toISOString();
  const survey: Survey = {
    id: deps.newId(),
    title: input.title,
    description: input.description ?? null,
    questions,
    opensOn: input.opensOn,
    closesOn: input.closesOn,
    state: 'draft',
    createdBy: actor.sub,
    createdAt: at,
    publishedAt: null,
    closedAt: null,
    updatedAt: at,
    version: 1,
  };
  if ((await deps.store.save(survey)) !== 'saved') throw new Conflict('请重试 / Try again');
  return survey;
};

const load = async (actor: Principal, id: string, deps: SurveyDeps) => {
  const s = await deps.store.get(id);
  // A draft exists for the chair and admins alone.
  if (!s || (s.state === 'draft' && !isManager(actor))) throw notFound();
  return s;
};

const view = (s: Survey, today: string) => ({ ...s, window: surveyWindow(s, today) });

export const getSurvey = async (actor: Principal, id: string, deps: SurveyDeps) => {
  const s = await load(actor, id, deps);
  return {
    ...view(s, shanghaiDate(deps.now())),
    answeredByMe: await deps.store.hasAnswered(s.id, actor.sub),
  };
};

export const listSurveys = async (actor: Principal, deps: SurveyDeps) => {
  const today = shanghaiDate(deps.now());
  const all = await deps.store.list();
  return { items: all.filter((s) => s.state !== 'draft' || isManager(actor)).map((s) => view(s, today)) };
};

const change = async (
  actor: Principal,
  id: string,
  from: SurveyState,
  to: SurveyState,
  body: Input<unknown>,
  deps: SurveyDeps,
) => {
  if (!isManager(actor)) throw new Forbidden('仅主席、管理员 / Chair and admins only');
  const s = await load(actor, id, deps);
  body();
  if (s.state !== from)
    throw new Conflict(`问卷当前状态为 ${s.state} / The survey is ${s.state}`, { state: s.state });
  const at = deps.now().toISOString();
  const next: Survey = {
    ...s,
    state: to,
    ...(to === 'published' ? { publishedAt: at } : { closedAt: at }),
    updatedAt: at,
    version: s.version + 1,
  };
  if ((await deps.store.save(next)) !== 'saved') throw new Conflict('请重试 / Try again');
  return view(next, shanghaiDate(deps.now()));
};

export const publishSurvey = (actor: Principal, id: string, body: Input<unknown>, deps: SurveyDeps) =>
  change(actor, id, 'draft', 'published', body, deps);
/** Ends the window before its closing date; the results can then be read. */
export const closeSurvey = (actor: Principal, id: string, body: Input<unknown>, deps: SurveyDeps) =>
  change(actor, id, 'published', 'closed', body, deps);

const MEMBER_STATUSES = new Set(['active', 'retired']);

export const answerSurvey = async (
  actor: Principal,
  id: string,
  body: Input<{ answers: AnswerValue[] }>,
  deps: SurveyDeps,
) => {
  const member = await deps.people.member(actor.sub);
  if (!member || !MEMBER_STATUSES.has(member.status))
    throw new Forbidden('仅会员可参加评议 / Only members answer the survey');
  const s = await load(actor, id, deps);
  const input = body();
  const window = surveyWindow(s, shanghaiDate(deps.now()));
  if (window !== 'open')
    throw new Conflict(
      window === 'not_open'
        ? '问卷尚未开放 / The survey is not open yet'
        : '问卷已截止 / The survey is closed',
      { window, opensOn: s.opensOn, closesOn: s.closesOn },
    );
  const answers = checkAnswers(s, input.answers);
  const branch = member.branch ?? '-';
  const outcome = await deps.store.addAnswer(s.id, actor.sub, { branch, answers });
  if (outcome === 'answered')
    throw new Conflict('您已参加过本次评议 / You have answered this survey already');
  if (outcome === 'busy')
    throw new Conflict(
      '您的另一份回答正在提交，请稍后查看 / Another answer of yours is being saved; check again shortly',
    );
  // Nothing about the stored answer comes back: not even its id.
  return { surveyId: s.id, answered: true };
};

export const readResults = async (
  actor: Principal,
  id: string,
  query: Input<{ branch?: string }>,
  deps: SurveyDeps,
) => {
  if (!hasAnyRole(actor, 'chair', 'admin', 'officer'))
    throw new Forbidden('仅主席、管理员、分工会干部 / Chair, admins and branch officers only');
  const q = query();
  const officerOnly = !isManager(actor);
  if (officerOnly && (!actor.branch || (q.branch !== undefined && q.branch !== actor.branch)))
    throw new Forbidden('只能查看本分工会 / Officers see their own branch');
  const s = await deps.store.get(id);
  if (!s || s.state === 'draft') throw notFound();
  if (surveyWindow(s, shanghaiDate(deps.now())) !== 'closed')
    throw new Conflict(
      '问卷截止后方可查看结果 / Results are read once the survey is closed (two readings while answers come in would tell one answer)',
      { state: s.state, closesOn: s.closesOn },
    );
  const only = officerOnly ? actor.branch : q.branch;
  if (only !== undefined) return branchResults(s, await deps.store.answers(s.id, only), only);
  return surveyResults(s, await deps.store.answers(s.id));
};
