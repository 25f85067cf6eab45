/** activities-api: thin routes over the union-life use cases (activities, mutual aid, awards). */
import { stringify } from 'csv-stringify/sync';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { unionLifeDeps } from '../shared/config/union-life-deps.ts';
import {
  cancel,
  createActivity,
  getActivity,
  listActivities,
  participants,
  register,
} from '../shared/domain/activities/activities-service.ts';
import {
  createAward,
  getAward,
  listAwards,
  listNominations,
  nominate,
  results,
  shortlist,
  vote,
} from '../shared/domain/awards/awards-service.ts';
import {
  choose,
  enrolledRows,
  getWindow,
  listWindows,
  putWindow,
} from '../shared/domain/mutual-aid/mutual-aid-service.ts';
import {
  cancelBody,
  createActivityBody,
  participantsQuery,
  registerBody,
} from '../shared/http/activities-schemas.ts';
import { httpApi } from '../shared/http/api.ts';
import { createAwardBody, nominationBody, shortlistBody, voteBody } from '../shared/http/awards-schemas.ts';
import { choiceBody, windowBody } from '../shared/http/mutual-aid-schemas.ts';
import { principalOf } from '../shared/http/principal.ts';
import { json } from '../shared/http/responses.ts';

const deps = unionLifeDeps(dynamoDocumentClient());

/** A CSV download with a BOM, so that spreadsheet programs read the Chinese text as UTF-8. */
export const csv = (filename: string, columns: string[], rows: Array<Record<string, unknown>>) => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  },
  body: `\uFEFF${stringify(rows, { header: true, columns })}`,
});

const PARTICIPANT_COLUMNS = [
  'status',
  'position',
  'employeeId',
  'name',
  'branch',
  'family',
  'familyMembers',
  'places',
  'registeredAt',
  'promoted',
];

export const handler = httpApi({
  'POST /activities': async (req) =>
    json(
      201,
      await createActivity(
        principalOf(req.event),
        () => createActivityBody.parse(req.json({})),
        deps.activities,
      ),
    ),
  'GET /activities': async (req) => json(200, await listActivities(principalOf(req.event), deps.activities)),
  'GET /activities/{id}': async (req) =>
    json(200, await getActivity(principalOf(req.event), req.path.id!, deps.activities)),
  'POST /activities/{id}/register': async (req) => {
    const principal = principalOf(req.event);
    const result = await register(
      principal,
      req.path.id!,
      () => registerBody.parse(req.json({})),
      deps.activities,
    );
    return json(201, result);
  },
  'POST /activities/{id}/cancel': async (req) =>
    json(
      200,
      await cancel(
        principalOf(req.event),
        req.path.id!,
        () => cancelBody.parse(req.json({})),
        deps.activities,
      ),
    ),
  'GET /activities/{id}/participants': async (req) => {
    const principal = principalOf(req.event);
    const list = await participants(principal, req.path.id!, deps.activities);
    const format = participantsQuery.parse(req.query).format ?? 'json';
    if (format === 'json') return json(200, list);
    const rows = [...list.confirmed, ...list.waiting].map((r) => ({
      ...r,
      position: r.position ?? '',
      // One cell: 张小明 (child); 李华 (spouse).
      familyMembers: r.familyMembers.map((f) => `${f.name} (${f.relation})`).join('; '),
    }));
    return csv(`activity-${list.activity.id}.csv`, PARTICIPANT_COLUMNS, rows);
  },
  'PUT /mutual-aid/{year}': async (req) =>
    json(
      200,
      await putWindow(
        principalOf(req.event),
        req.path.year!,
        () => windowBody.parse(req.json({})),
        deps.mutualAid,
      ),
    ),
  'GET /mutual-aid': async (req) => json(200, await listWindows(principalOf(req.event), deps.mutualAid)),
  'GET /mutual-aid/{year}': async (req) =>
    json(200, await getWindow(principalOf(req.event), req.path.year!, deps.mutualAid)),
  'POST /mutual-aid/{year}/choice': async (req) =>
    json(
      200,
      await choose(
        principalOf(req.event),
        req.path.year!,
        () => choiceBody.parse(req.json({})),
        deps.mutualAid,
      ),
    ),
  'GET /mutual-aid/{year}/enrolled.csv': async (req) => {
    const rows = await enrolledRows(principalOf(req.event), req.path.year!, deps.mutualAid);
    // Column names the insurer reads: 姓名, 工号, 分工会, 费用（元）.
    return csv(
      `mutual-aid-${req.path.year}.csv`,
      ['姓名', '工号', '分工会', '费用（元）'],
      rows.map((r) => ({ 姓名: r.name, 工号: r.employeeId, 分工会: r.branch, '费用（元）': r.feeYuan })),
    );
  },
  'POST /awards': async (req) =>
    json(
      201,
      await createAward(principalOf(req.event), () => createAwardBody.parse(req.json({})), deps.awards),
    ),
  'GET /awards': async (req) => json(200, await listAwards(principalOf(req.event), deps.awards)),
  'GET /awards/{id}': async (req) =>
    json(200, await getAward(principalOf(req.event), req.path.id!, deps.awards)),
  'POST /awards/{id}/nominations': async (req) =>
    json(
      201,
      await nominate(
        principalOf(req.event),
        req.path.id!,
        () => nominationBody.parse(req.json({})),
        deps.awards,
      ),
    ),
  'GET /awards/{id}/nominations': async (req) =>
    json(200, await listNominations(principalOf(req.event), req.path.id!, deps.awards)),
  'POST /awards/{id}/shortlist': async (req) =>
    json(
      200,
      await shortlist(
        principalOf(req.event),
        req.path.id!,
        () => shortlistBody.parse(req.json({})),
        deps.awards,
      ),
    ),
  'POST /awards/{id}/vote': async (req) =>
    json(
      201,
      await vote(principalOf(req.event), req.path.id!, () => voteBody.parse(req.json({})), deps.awards),
    ),
  'GET /awards/{id}/results': async (req) =>
    json(200, await results(principalOf(req.event), req.path.id!, deps.awards)),
});
