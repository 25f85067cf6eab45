/**
 * The members' voice API, typed from the OpenAPI document: the chair's mailbox (主席信箱), the
 * survey (会员评家) and suggestions (建言献策). Letters and surveys carry no ETag: their changes
 * are transitions the API refuses with a 409 when the state no longer allows them.
 */
import { api, call } from '../app/api/client';
import type { paths } from '../app/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Body<T> = T extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Letter = Json<paths['/letters/{id}']['get']['responses'][200]>;
export type LetterSummary = Json<paths['/letters']['get']['responses'][200]>['items'][number];
export type LetterReader = Json<paths['/letters']['get']['responses'][200]>['reader'];
export type LetterState = Letter['state'];
export type LetterCategory = Letter['category'];
export type NewLetter = Body<paths['/letters']['post']>;
export type MailboxSettings = Json<paths['/letters/settings']['get']['responses'][200]>;
export type LetterReport = Json<paths['/reports/letters']['get']['responses'][200]>;

export type Survey = Json<paths['/surveys/{id}']['get']['responses'][200]>;
export type SurveyView = Json<paths['/surveys']['get']['responses'][200]>['items'][number];
export type Question = Survey['questions'][number];
export type QuestionKind = Question['kind'];
export type NewSurvey = Body<paths['/surveys']['post']>;
export type NewQuestion = NewSurvey['questions'][number];
export type AnswerValue = Body<paths['/surveys/{id}/answers']['post']>['answers'][number];
export type SurveyResults = Json<paths['/surveys/{id}/results']['get']['responses'][200]>;
export type BranchResult = SurveyResults['branches'][number];
export type QuestionResult = NonNullable<BranchResult['questions']>[number];

export type Suggestion = Json<paths['/suggestions/{id}']['get']['responses'][200]>;
export type ConvertBody = Body<paths['/suggestions/{id}/convert']['post']>;

/** The API's categories, in its order; the pages name them through `voice.category.<key>`. */
export const LETTER_CATEGORIES: ReadonlyArray<{ value: LetterCategory; key: string }> = [
  { value: '教学科研', key: 'teaching' },
  { value: '后勤保障', key: 'services' },
  { value: '薪酬福利', key: 'pay' },
  { value: '工会工作', key: 'union' },
  { value: '其他', key: 'other' },
];
export const categoryKey = (value: string) =>
  LETTER_CATEGORIES.find((c) => c.value === value)?.key ?? 'other';
export const LETTER_STATES: readonly LetterState[] = ['open', 'answered', 'closed'];
export const QUESTION_KINDS: readonly QuestionKind[] = ['rating', 'choice', 'text'];
/** Who reads every suggestion (the others read their own): shared/domain/voice/suggestions.ts. */
export const SUGGESTION_READERS = ['officer', 'chair', 'admin', 'delegate'] as const;
/** Who drafts, publishes and closes surveys, and reads the mailbox settings. */
export const SURVEY_MANAGERS = ['chair', 'admin'] as const;
/** Who reads the letters report (counts and days, no letter's text): shared/domain/voice/letters.ts. */
export const REPORT_READERS = ['chair', 'admin', 'auditor'] as const;
/** Below this many answers a branch shows no breakdown (shared/domain/voice/surveys.ts). */
export const MIN_BREAKDOWN = 5;

/** Query values without the empty ones (the API refuses `year=`). */
const compact = <T extends Record<string, string | undefined>>(q: T) =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;

// --- Letters -----------------------------------------------------------------------------------

export interface LetterFilters {
  year?: string | undefined;
  category?: string | undefined;
  state?: string | undefined;
  mine?: 'true' | undefined;
  assignedToMe?: 'true' | undefined;
  limit?: string | undefined;
  cursor?: string | undefined;
}

export const listLetters = (filters: LetterFilters) =>
  call(api.GET('/letters', { params: { query: compact({ ...filters }) } }));
export const getLetter = (id: string) => call(api.GET('/letters/{id}', { params: { path: { id } } }));
export const writeLetter = (body: NewLetter) => call(api.POST('/letters', { body }));
export const delegateLetter = (id: string, to: string) =>
  call(api.POST('/letters/{id}/delegate', { params: { path: { id } }, body: { to } }));
export const answerLetter = (id: string, text: string) =>
  call(api.POST('/letters/{id}/answer', { params: { path: { id } }, body: { text } }));
export const closeLetter = (id: string, note?: string) =>
  call(api.POST('/letters/{id}/close', { params: { path: { id } }, body: note ? { note } : {} }));
export const getMailboxSettings = () => call(api.GET('/letters/settings'));
export const saveMailboxSettings = (body: { delegates: string[]; reminderDays?: number }) =>
  call(api.PUT('/letters/settings', { body }));
export const letterReport = (year: string) =>
  call(api.GET('/reports/letters', { params: { query: { year } } }));
/** The same report as CSV, through the client (it carries the token a plain link would not). */
export const letterReportCsv = async (year: string) =>
  (await call(api.GET('/reports/letters.csv', { params: { query: { year } }, parseAs: 'blob' })))
    .data as unknown as Blob;

// --- Surveys -----------------------------------------------------------------------------------

export const listSurveys = () => call(api.GET('/surveys'));
export const getSurvey = (id: string) => call(api.GET('/surveys/{id}', { params: { path: { id } } }));
export const createSurvey = (body: NewSurvey) => call(api.POST('/surveys', { body }));
export const publishSurvey = (id: string) =>
  call(api.POST('/surveys/{id}/publish', { params: { path: { id } }, body: {} }));
export const closeSurvey = (id: string) =>
  call(api.POST('/surveys/{id}/close', { params: { path: { id } }, body: {} }));
export const answerSurvey = (id: string, answers: AnswerValue[]) =>
  call(api.POST('/surveys/{id}/answers', { params: { path: { id } }, body: { answers } }));
export const surveyResults = (id: string, branch?: string) =>
  call(
    api.GET('/surveys/{id}/results', {
      params: { path: { id }, query: compact({ branch }) },
    }),
  );

// --- Suggestions -------------------------------------------------------------------------------

export const listSuggestions = (q: { mine?: 'true' | undefined; cursor?: string | undefined }) =>
  call(api.GET('/suggestions', { params: { query: compact({ ...q }) } }));
export const getSuggestion = (id: string) => call(api.GET('/suggestions/{id}', { params: { path: { id } } }));
export const postSuggestion = (body: { title: string; text: string }) =>
  call(api.POST('/suggestions', { body }));
export const convertSuggestion = (id: string, body: ConvertBody) =>
  call(api.POST('/suggestions/{id}/convert', { params: { path: { id } }, body }));

// --- Dates -------------------------------------------------------------------------------------

/** Today in Shanghai, YYYY-MM-DD: the survey's window and the letters' years are Shanghai days. */
export const todayInShanghai = (now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);

export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** An instant as the user's language writes it, in Shanghai time. */
export const formatInstant = (at: string, locale: string, withTime = true) =>
  new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'Asia/Shanghai',
  }).format(new Date(at));
