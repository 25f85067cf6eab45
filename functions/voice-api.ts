/** voice-api: thin routes over the members' voice use cases: the chair's mailbox (主席信箱). */
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoLetterStore, dynamoPeople } from '../shared/adapters/letter-store-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
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
import { httpApi } from '../shared/http/api.ts';
import { principalOf } from '../shared/http/principal.ts';
import { json } from '../shared/http/responses.ts';
import {
  answerLetterBody,
  closeLetterBody,
  delegateLetterBody,
  letterBody,
  letterListQuery,
  letterReportQuery,
  mailboxSettingsBody,
} from '../shared/http/voice-schemas.ts';

const db = dynamoDocumentClient();
const table = readEnv(ENV.tableName);
const letters: LetterDeps = {
  store: dynamoLetterStore(db, table),
  people: dynamoPeople(db, table),
  now: () => new Date(),
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
  'GET /reports/letters': async (req) =>
    json(
      200,
      await letterReport(principalOf(req.event), () => letterReportQuery.parse(req.query).year, letters),
    ),
});
