/**
 * care-api: the care ledger, as JSON and as CSV with totals per branch and occasion; life-event
 * requests; and the care settings (policy versions, the union's own occasions, working days).
 */
import { stringify } from 'csv-stringify/sync';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoCareRequestStore } from '../shared/adapters/care-request-store-dynamodb.ts';
import { dynamoCareSettings } from '../shared/adapters/care-settings-dynamodb.ts';
import { dynamoCareStore, queryLedger, queryMemberGrants } from '../shared/adapters/care-store-dynamodb.ts';
import { dynamoMemberDirectory } from '../shared/adapters/member-directory-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { type LedgerReader, readLedger } from '../shared/domain/care/ledger.ts';
import { type MemberCareReader, memberCare } from '../shared/domain/care/member-care.ts';
import {
  decideRequest,
  listRequests,
  type RequestDeps,
  reportLifeEvent,
} from '../shared/domain/care/requests.ts';
import { newId } from '../shared/domain/ids.ts';
import { httpApi } from '../shared/http/api.ts';
import {
  careRequestBody,
  decisionBody,
  ledgerQuery,
  memberCareQuery,
  requestListQuery,
} from '../shared/http/care-schemas.ts';
import { careSettingsRoutes } from '../shared/http/care-settings-routes.ts';
import { principalOf } from '../shared/http/principal.ts';
import { json } from '../shared/http/responses.ts';

const tableName = readEnv(ENV.tableName);
const db = dynamoDocumentClient();
const store = dynamoCareStore(db, tableName);
const reader: LedgerReader = {
  branches: () => store.branches(),
  entries: (q) => queryLedger(db, tableName, q),
};

const requests: RequestDeps = {
  requests: dynamoCareRequestStore(db, tableName),
  care: store,
  now: () => new Date(),
  newId,
};

const settings = { settings: dynamoCareSettings(db, tableName), now: () => new Date() };

const directory = dynamoMemberDirectory(db, tableName);
const memberCareReader: MemberCareReader = {
  memberById: (id) => directory.byMemberId(id),
  grantsOf: (employeeId, year) => queryMemberGrants(db, tableName, employeeId, year),
  policies: () => store.policies(),
};

const yuan = (fen: number) => (fen / 100).toFixed(2);

export const handler = httpApi({
  ...careSettingsRoutes(settings),
  'POST /care/requests': async (req) =>
    json(
      201,
      await reportLifeEvent(principalOf(req.event), () => careRequestBody.parse(req.json({})), requests),
    ),
  'GET /care/requests': async (req) => {
    const principal = principalOf(req.event);
    return json(200, await listRequests(principal, () => requestListQuery.parse(req.query).status, requests));
  },
  'POST /care/requests/{id}/{decision}': async (req) => {
    const principal = principalOf(req.event);
    const decision = req.path.decision;
    if (decision !== 'approve' && decision !== 'reject') return json(404, { message: 'Not Found' });
    return json(
      200,
      await decideRequest(
        principal,
        req.path.id!,
        decision,
        () => decisionBody.parse(req.json({})),
        requests,
      ),
    );
  },
  'GET /members/{id}/care': async (req) =>
    json(
      200,
      await memberCare(principalOf(req.event), req.path.id!, () => memberCareQuery.parse(req.query).year, {
        reader: memberCareReader,
        now: () => new Date(),
      }),
    ),
  'GET /care/ledger': async (req) =>
    json(200, await readLedger(principalOf(req.event), () => ledgerQuery.parse(req.query), reader)),
  'GET /care/ledger.csv': async (req) => {
    const ledger = await readLedger(principalOf(req.event), () => ledgerQuery.parse(req.query), reader);
    const rows = ledger.entries.map((e) => ({
      年度_year: e.year,
      分工会_branch: e.branch,
      会员号_membershipNumber: e.membershipNumber,
      工号_employeeId: e.employeeId,
      项目_occasion: e.occasion,
      名称_name: e.occasionName,
      日期_date: e.date,
      金额元_amountYuan: yuan(e.amountFen),
      慰问品_gift: e.gift ?? '',
      说明_reason: e.reason,
    }));
    const totals = ledger.totals.map((t) => ({
      年度_year: ledger.year,
      分工会_branch: t.branch,
      会员号_membershipNumber: '',
      工号_employeeId: '',
      项目_occasion: t.occasion,
      名称_name: `小计 subtotal (${t.entries})`,
      日期_date: '',
      金额元_amountYuan: yuan(t.amountFen),
      慰问品_gift: '',
      说明_reason: 'total',
    }));
    const grand = {
      ...totals[0],
      分工会_branch: '',
      项目_occasion: '',
      名称_name: '合计 total',
      金额元_amountYuan: yuan(ledger.totalFen),
    };
    const body = `\uFEFF${stringify([...rows, ...totals, ...(rows.length ? [grand] : [])], { header: true, columns: Object.keys(rows[0] ?? { 年度_year: '' }) })}`;
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="care-ledger-${ledger.year}.csv"`,
      },
      body,
    };
  },
});
