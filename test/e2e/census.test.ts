/**
 * The member census on DynamoDB Local through the real functions: after hires, transfers between
 * branches, leaves, retirements, departures, duplicates and HR events out of order, and a care
 * grant, the census (its rollup and the tallies after it) equals counting the members of those
 * branches one by one through the branch index, and the dashboard's figures are the live ones.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoCensusStore } from '../../shared/adapters/census-dynamodb.ts';
import { memberFromItem } from '../../shared/adapters/member-repository-dynamodb.ts';
import { idTimePrefix } from '../../shared/domain/ids.ts';
import {
  CENSUS_SETTLE_MS,
  type CensusRows,
  censusOf,
  compactCensus,
  readCensus,
  sumCensus,
} from '../../shared/domain/members/census.ts';
import {
  api,
  db,
  hiredEvent,
  hrEvent,
  memberByEmployee,
  publish,
  runtime,
  token,
  uniqueId,
  waitIdle,
} from './support.ts';

const run = uniqueId('CEN').slice(-6);
const branches = [`BC${run}1`, `BC${run}2`];
const depts = [`DC${run}1`, `DC${run}2`];
const at = (day: string) => `${day}T10:00:00+08:00`;
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
let chair: string;

/** The members of a branch read one by one through the branch index (what the census replaces). */
const live = async (branch: string) => {
  const members = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: runtime().tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': `BRANCH#${branch}` },
        ExclusiveStartKey: start,
      }),
    );
    members.push(...(out.Items ?? []).map(memberFromItem));
    start = out.LastEvaluatedKey;
  } while (start);
  return members;
};

const ours = (rows: CensusRows): CensusRows => {
  const mine = (r: { branch: string }) => branches.includes(r.branch);
  const key = (r: object) => JSON.stringify(r);
  return {
    members: rows.members.filter(mine).sort((a, b) => key(a).localeCompare(key(b))),
    care: rows.care.filter(mine).sort((a, b) => key(a).localeCompare(key(b))),
  };
};

const censusNow = async () => ours((await readCensus(dynamoCensusStore(db(), runtime().tableName))).rows);
const liveNow = async () => ours(censusOf([...(await live(branches[0]!)), ...(await live(branches[1]!))]));

beforeAll(async () => {
  chair = await token(uniqueId('CHAIR'), 'chair');
  for (const [i, dept] of depts.entries()) {
    const mapped = await api('PUT', `/departments/${dept}`, {
      token: chair,
      body: { departmentName: `普查学院${i + 1}`, branch: { code: branches[i], name: `普查分工会${i + 1}` } },
    });
    expect(mapped.status).toBe(200);
  }
});

describe('the member census', () => {
  it('equals counting the members one by one, whatever HR sent and in whatever order', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `${run}${String(i).padStart(2, '0')}`);
    const dept = (i: number) => ({ code: depts[i]!, name: `普查学院${i + 1}` });
    const hire = (id: string, i: number, extra: Record<string, unknown> = {}) =>
      hiredEvent(id, {
        eventId: `hire-${id}`,
        department: dept(i % 2),
        gender: i % 3 ? 'male' : 'female',
        hireDate: i === 5 ? '2099-01-01' : '2026-03-01',
        ...extra,
      });
    // Hires, each twice (a duplicate changes nothing).
    const hires = ids.slice(0, 10).map((id, i) => hire(id, i));
    await publish([...hires, ...hires.slice(0, 4)]);
    // Out of order: a member whose departure arrives before the hire, another whose transfer does.
    await publish([
      hrEvent('EmployeeDeparted', {
        eventId: `dep-${ids[10]}`,
        occurredAt: at('2026-06-01'),
        employeeId: ids[10],
        departureDate: '2026-06-01',
        reason: 'resigned',
      }),
      hrEvent('EmployeeTransferred', {
        eventId: `tr-${ids[11]}`,
        occurredAt: at('2026-05-01'),
        employeeId: ids[11],
        department: dept(1),
        effectiveDate: '2026-05-01',
      }),
    ]);
    await waitIdle();
    await publish([hire(ids[10]!, 0), hire(ids[11]!, 0)]);
    await waitIdle();
    expect(await censusNow()).toEqual(await liveNow());

    // Transfers between the two branches (one of them twice, the older arriving last), a
    // retirement, a departure, a withdrawal through the API.
    await publish([
      hrEvent('EmployeeTransferred', {
        eventId: `tr2-${ids[0]}`,
        occurredAt: at('2026-10-02'),
        employeeId: ids[0],
        department: dept(0),
        effectiveDate: '2026-10-02',
      }),
      hrEvent('EmployeeTransferred', {
        eventId: `tr1-${ids[0]}`,
        occurredAt: at('2026-10-01'),
        employeeId: ids[0],
        department: dept(1),
        effectiveDate: '2026-10-01',
      }),
      hrEvent('EmployeeTransferred', {
        eventId: `tr-${ids[2]}`,
        occurredAt: at('2026-10-01'),
        employeeId: ids[2],
        department: dept(1),
        effectiveDate: '2026-10-01',
      }),
      hrEvent('EmployeeRetired', {
        eventId: `ret-${ids[3]}`,
        occurredAt: at('2026-11-30'),
        employeeId: ids[3],
        retirementDate: '2026-11-30',
      }),
      hrEvent('EmployeeDeparted', {
        eventId: `dep-${ids[4]}`,
        occurredAt: at('2026-11-01'),
        employeeId: ids[4],
        departureDate: '2026-11-01',
        reason: 'resigned',
      }),
    ]);
    await waitIdle();
    const m6 = await memberByEmployee(ids[6]!);
    const self = await token(ids[6]!, 'member');
    expect((await api('POST', `/members/${m6!.memberId}/leave`, { token: self, body: {} })).status).toBe(200);

    // A care grant (the member's yearly totals change: the census counts them by total).
    const m7 = await memberByEmployee(ids[7]!);
    const officer = await token(uniqueId('OFF'), 'officer', { branch: m7!.branch!.code });
    const request = await api('POST', '/care/requests', {
      token: officer,
      body: { memberId: m7!.memberId, kind: 'hospital', date: today(), note: '住院' },
    });
    expect(request.status).toBe(201);
    expect(
      (await api('POST', `/care/requests/${request.body.id}/approve`, { token: chair, body: {} })).status,
    ).toBe(200);
    await waitIdle();

    const census = await censusNow();
    expect(census).toEqual(await liveNow());
    const counted = (b: string) =>
      census.members.filter((r) => r.branch === b).reduce((n, r) => n + r.count, 0);
    expect(counted(branches[0]!) + counted(branches[1]!)).toBe(12);
    expect(census.care).toContainEqual(
      expect.objectContaining({
        year: Number(today().slice(0, 4)),
        category: 'life',
        spentFen: 100_000,
        count: 1,
      }),
    );

    // Rolled up (as compact-tallies would ten minutes on): the same census.
    await compactCensus({
      store: dynamoCensusStore(db(), runtime().tableName),
      now: () => new Date(Date.now() + CENSUS_SETTLE_MS + 60_000),
      idBefore: idTimePrefix,
      today: today(),
    });
    const rolled = await readCensus(dynamoCensusStore(db(), runtime().tableName));
    expect(ours(rolled.rows)).toEqual(ours(sumCensus([await liveNow()], rolled.floor)));

    // The dashboard's member figures for each branch are the live ones.
    for (const b of branches) {
      const d = await api('GET', `/reports/dashboard?branch=${b}`, { token: chair });
      expect(d.status).toBe(200);
      const members = await live(b);
      const count = (s: string) => members.filter((m) => m.status === s).length;
      expect(d.body.members.byBranch).toEqual([
        {
          branch: { code: b, name: `普查分工会${branches.indexOf(b) + 1}` },
          total: members.length,
          byStatus: {
            active: count('active'),
            retired: count('retired'),
            left: count('left'),
            transferred_out: count('transferred_out'),
            expelled: count('expelled'),
          },
        },
      ]);
    }
  });
});
