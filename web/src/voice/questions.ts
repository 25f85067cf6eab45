/**
 * A survey's questions as the builder edits them, and the answers as the answer form keeps them:
 * the shapes the pages hold, and what the API is sent. Nothing here drops what the user typed:
 * a choice question turned into a rating question keeps its options until it is sent.
 */
import type { AnswerValue, NewQuestion, Question, QuestionKind } from './api';

export interface QuestionDraft {
  /** A stable key for the list (questions move up and down). */
  key: number;
  kind: QuestionKind;
  prompt: string;
  /** Kept whatever the kind; sent only for choice questions. */
  options: string[];
  required: boolean;
}

let nextKey = 1;
export const newQuestion = (kind: QuestionKind): QuestionDraft => ({
  key: nextKey++,
  kind,
  prompt: '',
  options: kind === 'choice' ? ['', ''] : [],
  required: kind !== 'text',
});

/** What the API takes: trimmed text, options only for choice questions. */
export const toNewQuestion = (q: QuestionDraft): NewQuestion => ({
  kind: q.kind,
  prompt: q.prompt.trim(),
  ...(q.kind === 'choice' ? { options: q.options.map((o) => o.trim()) } : {}),
  required: q.required,
});

export const move = <T>(list: T[], from: number, to: number) => {
  if (to < 0 || to >= list.length) return;
  const [item] = list.splice(from, 1);
  if (item !== undefined) list.splice(to, 0, item);
};

/** One question's answer as the form holds it: nothing chosen is undefined / ''. */
export interface AnswerDraft {
  rating: number | undefined;
  choice: string;
  text: string;
}

export const emptyAnswers = (questions: readonly Question[]): Record<string, AnswerDraft> =>
  Object.fromEntries(questions.map((q) => [q.id, { rating: undefined, choice: '', text: '' }]));

/**
 * The answers to send, in the survey's order: each answered question once, in the form its kind
 * takes; an unanswered question is left out (the API names the required ones that are missing).
 */
export const toAnswerValues = (
  questions: readonly Question[],
  drafts: Record<string, AnswerDraft>,
): AnswerValue[] =>
  questions.flatMap((q): AnswerValue[] => {
    const d = drafts[q.id];
    if (!d) return [];
    if (q.kind === 'rating') return d.rating === undefined ? [] : [{ question: q.id, rating: d.rating }];
    if (q.kind === 'choice') return d.choice === '' ? [] : [{ question: q.id, choice: d.choice }];
    return d.text.trim() === '' ? [] : [{ question: q.id, text: d.text.trim() }];
  });

/**
 * The API's failing fields of an answer (`answers.<i>…` names the i-th value sent; `answers` with
 * "q2 is required" names a question), by question id; and which fields that placed.
 */
export const answerErrorsByQuestion = (
  sent: readonly AnswerValue[],
  errors: ReadonlyArray<{ field: string; message: string }>,
): { byQuestion: Record<string, string>; placed: string[] } => {
  const byQuestion: Record<string, string> = {};
  const placed: string[] = [];
  for (const e of errors) {
    const at = /^answers\.(\d+)/.exec(e.field);
    const question = at ? sent[Number(at[1])]?.question : /\b(q\d+) is required/.exec(e.message)?.[1];
    if (!question) continue;
    byQuestion[question] ??= e.message;
    placed.push(e.field);
  }
  return { byQuestion, placed };
};
