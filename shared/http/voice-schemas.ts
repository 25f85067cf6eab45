/** Request schemas of the members' voice API (mailbox, surveys, suggestions): validation and the OpenAPI document share them. */
import * as z from 'zod/mini';
import { LETTER_CATEGORIES, LETTER_STATES } from '../domain/voice/letters.ts';
import { QUESTION_KINDS } from '../domain/voice/surveys.ts';

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

export const letterResponse = z.object({
  id: z.string(),
  writer: z.string(),
  subject: z.string(),
  text: z.string(),
  category: z.enum(LETTER_CATEGORIES),
  chairOnly: z.boolean(),
  state: z.enum(LETTER_STATES),
  delegatedTo: z.nullable(z.string()),
  answerCount: z.number(),
  year: z.number(),
  createdAt: z.string(),
  firstAnsweredAt: z.nullable(z.string()),
  version: z.number(),
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
