/**
 * voice-api: thin routes over the members' voice use cases: the chair's mailbox (主席信箱), the
 * members' survey of the union (会员评家) and suggestions (建言献策).
 */
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoLetterStore, dynamoPeople } from '../shared/adapters/letter-store-dynamodb.ts';
import { dynamoPeopleDirectory } from '../shared/adapters/people-directory-dynamodb.ts';
import { dynamoProposalStore } from '../shared/adapters/proposal-store-dynamodb.ts';
import { dynamoSuggestionStore, dynamoSurveyStore } from '../shared/adapters/survey-store-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { proposalDeps } from '../shared/config/proposal-deps.ts';
import { newId } from '../shared/domain/ids.ts';
import {
  answerLetter,
  closeLetter,
  delegateLetter,
  getLetter,
  type LetterDeps,
  letterReport,
  listLetters,
  mailboxSettings,
  saveMailboxSettings,
  writeLetter,
} from '../shared/domain/voice/letters.ts';
import {
  convertSuggestion,
  getSuggestion,
  listSuggestions,
  postSuggestion,
  type SuggestionDeps,
} from '../shared/domain/voice/suggestions.ts';
import {
  answerSurvey,
  closeSurvey,
  createSurvey,
  getSurvey,
  listSurveys,
  publishSurvey,
  readResults,
  type SurveyDeps,
} from '../shared/domain/voice/surveys.ts';
import { httpApi } from '../shared/http/api.ts';
import { csvResponse } from '../shared/http/csv.ts';
import { principalOf } from '../shared/http/principal.ts';
import { json } from '../shared/http/responses.ts';
import {
  answerLetterBody,
  closeLetterBody,
  convertSuggestionBody,
  delegateLetterBody,
  emptyBody,
  letterBody,
  letterListQuery,
  letterReportQuery,
  mailboxSettingsBody,
  suggestionBody,
  suggestionListQuery,
  surveyAnswerBody,
  surveyBody,
  surveyResultsQuery,
} from '../shared/http/voice-schemas.ts';

const db = dynamoDocumentClient();
const table = readEnv(ENV.tableName);
const letters: LetterDeps = {
  store: dynamoLetterStore(db, table),
  people: dynamoPeople(db, table),
  now: () => new Date(),
  newId,
};
const surveys: SurveyDeps = {
  store: dynamoSurveyStore(db, table),
  people: letters.people,
  now: letters.now,
  newId,
};
const suggestions: SuggestionDeps = {
  store: dynamoSuggestionStore(db, table),
  people: letters.people,
  // A suggestion becomes a proposal draft through the proposals context's own use case.
  proposals: proposalDeps({
    store: (t) => dynamoProposalStore(db, t),
    directory: (t) => dynamoPeopleDirectory(db, t),
    newId,
  }),
  now: letters.now,
  newId,
};

export const handler = httpApi({
  'POST /letters': async (req) => {
    const l = await writeLetter(principalOf(req.event), () => letterBody.parse(req.json({})), letters);
    return json(201, l, { location: `/letters/${l.id}` });
  },
  'GET /letters': async (req) => {
    const filters = () => {
      const { limit, mine, assignedToMe, ...rest } = letterListQuery.parse(req.query);
      return { ...rest, limit: limit ?? 50, mine: mine === 'true', assignedToMe: assignedToMe === 'true' };
    };
    return json(200, await listLetters(principalOf(req.event), filters, letters));
  },
  'GET /letters/settings': async (req) => json(200, await mailboxSettings(principalOf(req.event), letters)),
  'PUT /letters/settings': async (req) =>
    json(
      200,
      await saveMailboxSettings(
        principalOf(req.event),
        () => mailboxSettingsBody.parse(req.json({})),
        letters,
      ),
    ),
  'GET /letters/{id}': async (req) =>
    json(200, await getLetter(principalOf(req.event), req.path.id!, letters)),
  'POST /letters/{id}/delegate': async (req) =>
    json(
      200,
      await delegateLetter(
        principalOf(req.event),
        req.path.id!,
        () => delegateLetterBody.parse(req.json({})),
        letters,
      ),
    ),
  'POST /letters/{id}/answer': async (req) =>
    json(
      200,
      await answerLetter(
        principalOf(req.event),
        req.path.id!,
        () => answerLetterBody.parse(req.json({})),
        letters,
      ),
    ),
  'POST /letters/{id}/close': async (req) =>
    json(
      200,
      await closeLetter(
        principalOf(req.event),
        req.path.id!,
        () => closeLetterBody.parse(req.json({})),
        letters,
      ),
    ),
  'GET /reports/letters.csv': async (req) => {
    const r = await letterReport(
      principalOf(req.event),
      () => letterReportQuery.parse(req.query).year,
      letters,
    );
    const row = (category: string, f: typeof r.total) => ({
      年度_year: r.year,
      类别_category: category,
      来信_count: f.count,
      已答复_answered: f.answered,
      首次答复天数中位数_medianDaysToFirstAnswer: f.medianDaysToFirstAnswer ?? '',
      首次答复最长天数_maxDaysToFirstAnswer: f.maxDaysToFirstAnswer ?? '',
    });
    return csvResponse(`letters-report-${r.year}.csv`, [
      ...r.categories.map((c) => row(c.category, c)),
      row('合计 total', r.total),
    ]);
  },
  'GET /reports/letters': async (req) =>
    json(
      200,
      await letterReport(principalOf(req.event), () => letterReportQuery.parse(req.query).year, letters),
    ),

  'POST /surveys': async (req) => {
    const s = await createSurvey(principalOf(req.event), () => surveyBody.parse(req.json({})), surveys);
    return json(201, s, { location: `/surveys/${s.id}` });
  },
  'GET /surveys': async (req) => json(200, await listSurveys(principalOf(req.event), surveys)),
  'GET /surveys/{id}': async (req) =>
    json(200, await getSurvey(principalOf(req.event), req.path.id!, surveys)),
  'POST /surveys/{id}/publish': async (req) =>
    json(
      200,
      await publishSurvey(principalOf(req.event), req.path.id!, () => emptyBody.parse(req.json({})), surveys),
    ),
  'POST /surveys/{id}/close': async (req) =>
    json(
      200,
      await closeSurvey(principalOf(req.event), req.path.id!, () => emptyBody.parse(req.json({})), surveys),
    ),
  'POST /surveys/{id}/answers': async (req) =>
    json(
      201,
      await answerSurvey(
        principalOf(req.event),
        req.path.id!,
        () => surveyAnswerBody.parse(req.json({})),
        surveys,
      ),
    ),
  'GET /surveys/{id}/results': async (req) =>
    json(
      200,
      await readResults(
        principalOf(req.event),
        req.path.id!,
        () => surveyResultsQuery.parse(req.query),
        surveys,
      ),
    ),

  'POST /suggestions': async (req) => {
    const s = await postSuggestion(
      principalOf(req.event),
      () => suggestionBody.parse(req.json({})),
      suggestions,
    );
    return json(201, s, { location: `/suggestions/${s.id}` });
  },
  'GET /suggestions': async (req) => {
    const query = () => {
      const { limit, mine, ...rest } = suggestionListQuery.parse(req.query);
      return { ...rest, limit: limit ?? 50, mine: mine === 'true' };
    };
    return json(200, await listSuggestions(principalOf(req.event), query, suggestions));
  },
  'GET /suggestions/{id}': async (req) =>
    json(200, await getSuggestion(principalOf(req.event), req.path.id!, suggestions)),
  'POST /suggestions/{id}/convert': async (req) =>
    json(
      201,
      await convertSuggestion(
        principalOf(req.event),
        req.path.id!,
        () => convertSuggestionBody.parse(req.json({})),
        suggestions,
      ),
    ),
});
