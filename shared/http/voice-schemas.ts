/** Request schemas of the members' voice API (mailbox, surveys, suggestions): validation and the OpenAPI document share them. */
import * as z from 'zod/mini';
import { LETTER_CATEGORIES, LETTER_STATES } from '../domain/voice/letters.ts';
import { QUESTION_KINDS, SURVEY_STATES } from '../domain/voice/surveys.ts';
import { proposalResponse } from './proposals-schemas.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const employeeId = z.string().check(z.regex(/^[\w.-]{1,64}$/));
const year = z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100));
const limit = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200));
const cursor = z.string().check(z.maxLength(2048));
const flag = z.enum(['true', 'false']);

export const letterBody = z.strictObject({
  subject: text(200),
  text: text(5000),
  category: z.enum(LETTER_CATEGORIES),
  chairOnly: z.optional(z.boolean()),
});

export const letterListQuery = z.strictObject({
  year: z.optional(year),
  category: z.optional(z.enum(LETTER_CATEGORIES)),
  state: z.optional(z.enum(LETTER_STATES)),
  mine: z.optional(flag),
  assignedToMe: z.optional(flag),
  limit: z.optional(limit),
  cursor: z.optional(cursor),
});

export const delegateLetterBody = z.strictObject({ to: employeeId });
export const answerLetterBody = z.strictObject({ text: text(5000) });
/** Closing takes an optional note for the record (e.g. why it is closed without an answer). */
export const closeLetterBody = z.strictObject({ note: z.optional(text(1000)) });

export const mailboxSettingsBody = z.strictObject({
  delegates: z.array(employeeId).check(z.maxLength(50)),
  reminderDays: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(90))),
});

export const letterReportQuery = z.strictObject({ year });

/** A letter as the API shows it (shared/domain/voice/letters.ts), for the OpenAPI document. */
export const letterResponse = z.object({
  id: z.string(),
  writer: z.string(),
  subject: z.string(),
  text: z.string(),
  category: z.enum(LETTER_CATEGORIES),
  chairOnly: z.boolean(),
  state: z.enum(LETTER_STATES),
  delegatedTo: z.nullable(z.string()),
  delegatedAt: z.nullable(z.string()),
  answerCount: z.number(),
  year: z.number(),
  createdAt: z.string(),
  firstAnsweredAt: z.nullable(z.string()),
  lastAnsweredAt: z.nullable(z.string()),
  closedAt: z.nullable(z.string()),
  closedBy: z.nullable(z.string()),
  closingNote: z.nullable(z.string()),
  updatedAt: z.string(),
  version: z.number(),
});

export const letterWithAnswersResponse = z.object({
  ...letterResponse.shape,
  answers: z.array(
    z.object({ letterId: z.string(), seq: z.number(), text: z.string(), by: z.string(), at: z.string() }),
  ),
});

export const letterListResponse = z.object({
  items: z.array(letterResponse),
  cursor: z.optional(z.string()),
  /** Which reader the caller is: the chair (every letter), a delegate of the chair, or a writer (their own). */
  reader: z.enum(['chair', 'delegate', 'writer']),
});

export const mailboxSettingsResponse = z.object({
  chair: z.nullable(z.string()),
  delegates: z.array(z.string()),
  reminderDays: z.number(),
  updatedAt: z.nullable(z.string()),
});

const categoryFigures = {
  count: z.number(),
  answered: z.number(),
  medianDaysToFirstAnswer: z.nullable(z.number()),
  maxDaysToFirstAnswer: z.nullable(z.number()),
};
export const letterReportResponse = z.object({
  year: z.number(),
  categories: z.array(z.object({ category: z.enum(LETTER_CATEGORIES), ...categoryFigures })),
  total: z.object(categoryFigures),
});

// --- Surveys (会员评家) -------------------------------------------------------------------------

const question = z.strictObject({
  kind: z.enum(QUESTION_KINDS),
  prompt: text(500),
  options: z.optional(z.array(text(100)).check(z.minLength(2), z.maxLength(20))),
  required: z.optional(z.boolean()),
});

export const surveyBody = z.strictObject({
  title: text(200),
  description: z.optional(text(2000)),
  questions: z.array(question).check(z.minLength(1), z.maxLength(50)),
  opensOn: z.iso.date(),
  closesOn: z.iso.date(),
});

/** Publishing and closing take no fields. */
export const emptyBody = z.strictObject({});

const questionId = z.string().check(z.regex(/^q\d{1,2}$/));
export const surveyAnswerBody = z.strictObject({
  answers: z
    .array(
      z.union([
        z.strictObject({
          question: questionId,
          rating: z.number().check(z.int(), z.minimum(1), z.maximum(5)),
        }),
        z.strictObject({ question: questionId, choice: text(100) }),
        z.strictObject({ question: questionId, text: text(2000) }),
      ]),
    )
    .check(z.minLength(1), z.maxLength(50)),
});

export const surveyResultsQuery = z.strictObject({
  branch: z.optional(z.string().check(z.regex(/^[\w.-]{1,64}$/))),
});

// --- Suggestions (建言献策) ---------------------------------------------------------------------

export const suggestionBody = z.strictObject({ title: text(200), text: text(5000) });
export const suggestionListQuery = z.strictObject({
  mine: z.optional(flag),
  limit: z.optional(limit),
  cursor: z.optional(cursor),
});
/** What the draft takes over from the suggestion unless given here. */
export const convertSuggestionBody = z.strictObject({
  title: z.optional(text(200)),
  content: z.optional(text(20_000)),
  category: z.optional(text(64)),
});

// --- Responses of the surveys and suggestions, for the OpenAPI document -------------------------

const surveyQuestion = z.object({
  id: z.string(),
  kind: z.enum(QUESTION_KINDS),
  prompt: z.string(),
  options: z.optional(z.array(z.string())),
  required: z.boolean(),
});
const surveyFields = {
  id: z.string(),
  title: z.string(),
  description: z.nullable(z.string()),
  questions: z.array(surveyQuestion),
  opensOn: z.string(),
  closesOn: z.string(),
  state: z.enum(SURVEY_STATES),
  createdBy: z.string(),
  createdAt: z.string(),
  publishedAt: z.nullable(z.string()),
  closedAt: z.nullable(z.string()),
  updatedAt: z.string(),
  version: z.number(),
};
export const surveyResponse = z.object(surveyFields);
/** With where its window stands today (Asia/Shanghai). */
const surveyWindowField = { window: z.enum(['not_open', 'open', 'closed']) };
export const surveyViewResponse = z.object({ ...surveyFields, ...surveyWindowField });
export const surveyListResponse = z.object({ items: z.array(surveyViewResponse) });
export const surveyOfMineResponse = z.object({
  ...surveyFields,
  ...surveyWindowField,
  /** Whether the caller has answered it (the marker; never their answer). */
  answeredByMe: z.boolean(),
});
export const surveyAnsweredResponse = z.object({ surveyId: z.string(), answered: z.boolean() });

const questionResult = z.union([
  z.object({
    question: z.string(),
    kind: z.literal('rating'),
    prompt: z.string(),
    answered: z.number(),
    mean: z.nullable(z.number()),
    distribution: z.object({ 1: z.number(), 2: z.number(), 3: z.number(), 4: z.number(), 5: z.number() }),
  }),
  z.object({
    question: z.string(),
    kind: z.literal('choice'),
    prompt: z.string(),
    answered: z.number(),
    counts: z.record(z.string(), z.number()),
  }),
  z.object({
    question: z.string(),
    kind: z.literal('text'),
    prompt: z.string(),
    answered: z.number(),
    texts: z.array(z.string()),
  }),
]);
const branchResult = z.object({
  branch: z.string(),
  answers: z.number(),
  suppressed: z.boolean(),
  /** Present when the branch has the minimum of answers. */
  questions: z.optional(z.array(questionResult)),
  /** Present when it has not: why nothing is broken down. */
  note: z.optional(z.string()),
});
/** Every branch's results (the chair, admins), or one branch's (an officer, or `?branch=`): then only `branches`. */
export const surveyResultsResponse = z.object({
  surveyId: z.string(),
  title: z.string(),
  minimumForBreakdown: z.number(),
  branches: z.array(branchResult),
  total: z.optional(z.number()),
  smallBranchesPooled: z.optional(
    z.nullable(
      z.object({ branches: z.array(z.string()), answers: z.number(), questions: z.array(questionResult) }),
    ),
  ),
  overall: z.optional(z.nullable(z.object({ answers: z.number(), questions: z.array(questionResult) }))),
  unreported: z.optional(z.number()),
  note: z.optional(z.string()),
});

export const suggestionResponse = z.object({
  id: z.string(),
  author: z.string(),
  title: z.string(),
  text: z.string(),
  createdAt: z.string(),
  proposalId: z.nullable(z.string()),
  convertedBy: z.nullable(z.string()),
  convertedAt: z.nullable(z.string()),
});
export const suggestionListResponse = z.object({
  items: z.array(suggestionResponse),
  cursor: z.optional(z.string()),
});
/** A suggestion turned into a proposal draft: both, as they now stand. */
export const convertedSuggestionResponse = z.object({
  suggestion: suggestionResponse,
  proposal: proposalResponse,
});
