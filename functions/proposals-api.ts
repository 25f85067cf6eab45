/** proposals-api: thin routes over the proposals use cases. */
import { stringify } from 'csv-stringify/sync';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoPeopleDirectory } from '../shared/adapters/people-directory-dynamodb.ts';
import { dynamoProposalStore } from '../shared/adapters/proposal-store-dynamodb.ts';
import { proposalDeps } from '../shared/config/proposal-deps.ts';
import { newId } from '../shared/domain/ids.ts';
import { ACTIONS, type ProposalAction } from '../shared/domain/proposals/proposal.ts';
import {
  actOnProposal,
  createProposal,
  editDraft,
  etagOf,
  exportRows,
  getProposal,
  listProposals,
  type ProposalFilters,
  proposalHistory,
  proposalReport,
} from '../shared/domain/proposals/proposals-service.ts';
import type { ActionInput } from '../shared/domain/proposals/transitions.ts';
import { httpApi } from '../shared/http/api.ts';
import { principalOf } from '../shared/http/principal.ts';
import {
  actionBodies,
  createProposalBody,
  editProposalBody,
  exportQuery,
  proposalListQuery,
  sessionQuery,
} from '../shared/http/proposals-schemas.ts';
import { json } from '../shared/http/responses.ts';

const db = dynamoDocumentClient();
const deps = proposalDeps({
  store: (table) => dynamoProposalStore(db, table),
  directory: (table) => dynamoPeopleDirectory(db, table),
  newId,
});

const isAction = (a: string | undefined): a is ProposalAction =>
  (ACTIONS as readonly string[]).includes(a ?? '');

export const handler = httpApi({
  'POST /proposals': async (req) => {
    const p = await createProposal(
      principalOf(req.event),
      () => createProposalBody.parse(req.json({})),
      deps,
    );
    return json(201, p, { etag: etagOf(p), location: `/proposals/${p.id}` });
  },
  'GET /proposals': async (req) => {
    const query = () => {
      const q = proposalListQuery.parse(req.query);
      const { limit, ...filters } = q;
      return { ...filters, limit: limit ?? 50 } satisfies ProposalFilters;
    };
    return json(200, await listProposals(principalOf(req.event), query, deps));
  },
  'GET /proposals/{id}': async (req) => {
    const p = await getProposal(principalOf(req.event), req.path.id!, deps);
    return json(200, p, { etag: etagOf(p) });
  },
  'PATCH /proposals/{id}': async (req) => {
    const body = () => editProposalBody.parse(req.json({}));
    const p = await editDraft(principalOf(req.event), req.path.id!, body, req.headers['if-match'], deps);
    return json(200, p, { etag: etagOf(p) });
  },
  'GET /proposals/{id}/history': async (req) =>
    json(200, await proposalHistory(principalOf(req.event), req.path.id!, deps)),
  'POST /proposals/{id}/{action}': async (req) => {
    const principal = principalOf(req.event);
    const action = req.path.action;
    if (!isAction(action)) return json(404, { message: 'Not Found' });
    const body = () => ({ action, ...actionBodies[action].parse(req.json({})) }) as ActionInput;
    const p = await actOnProposal(principal, req.path.id!, action, body, req.headers['if-match'], deps);
    return json(200, p, { etag: etagOf(p) });
  },
  'GET /reports/proposals': async (req) => {
    const session = () => sessionQuery.parse(req.query).session;
    return json(200, await proposalReport(principalOf(req.event), session, deps));
  },
  'GET /proposals/export.csv': async (req) => {
    const session = () => exportQuery.parse(req.query).session;
    const rows = await exportRows(principalOf(req.event), session, deps);
    const header = Object.keys(rows[0] ?? EMPTY_ROW);
    // A BOM so that spreadsheet programs read the Chinese text as UTF-8.
    const body = `\uFEFF${stringify(rows, { header: true, columns: header })}`;
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="proposals.csv"',
        'cache-control': 'no-store',
      },
      body,
    };
  },
});

const EMPTY_ROW = {
  number: '',
  id: '',
  session: '',
  state: '',
  title: '',
  category: '',
  author: '',
  seconders: '',
  department: '',
  supportingDepartments: '',
  dueDate: '',
  answeredAt: '',
  rating: '',
  submittedAt: '',
  closedAt: '',
};
