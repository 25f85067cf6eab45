/**
 * A transfer HR announces ahead: the member stays in their branch until the effective date; the
 * daily apply-transfers job (fired here for that date) moves them, once, and the office hears of
 * it through MemberTransferred.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect, it } from 'vitest';
import { keys } from '../../shared/adapters/keys.ts';
import { gonghuiThroughPipes } from '../support/cli-pipe.ts';
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

const fire = async (at: string) => {
  const res = await fetch(`${runtime().controlUrl}/schedules/TransfersDaily/fire`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ at }),
  });
  expect(res.status).toBe(200);
  await waitIdle();
};

const marker = async (employeeId: string) =>
  (
    await db().send(
      new GetCommand({
        TableName: runtime().tableName,
        Key: keys.pendingTransfer(employeeId),
        ConsistentRead: true,
      }),
    )
  ).Item;

it('moves a member on the effective date of an announced transfer, not before, and once', async () => {
  const id = uniqueId('TRF');
  await publish([hiredEvent(id)]);
  await waitIdle();
  // Effective in the future of any day this test runs on.
  const effectiveDate = '2099-03-01';
  await publish([
    hrEvent('EmployeeTransferred', {
      eventId: `trf-${id}`,
      occurredAt: new Date().toISOString(),
      employeeId: id,
      department: { code: 'EE', name: '电气工程学院' },
      effectiveDate,
    }),
  ]);
  await waitIdle();
  expect(await memberByEmployee(id)).toMatchObject({
    department: { code: 'CS' },
    pendingPlacement: { department: { code: 'EE' }, effectiveDate },
  });
  expect(await marker(id)).toMatchObject({ effectiveDate });

  await fire('2099-02-27T16:10:00Z'); // 28 Feb 00:10 in Shanghai: not yet
  expect(await memberByEmployee(id)).toMatchObject({ department: { code: 'CS' } });

  await fire('2099-02-28T16:10:00Z'); // 1 Mar 00:10 in Shanghai
  const moved = await memberByEmployee(id);
  expect(moved).toMatchObject({ department: { code: 'EE' }, placementSince: effectiveDate });
  expect(moved?.pendingPlacement).toBeUndefined();
  expect(await marker(id)).toBeUndefined();

  const version = moved?.version;
  await fire('2099-02-28T16:10:00Z');
  expect((await memberByEmployee(id))?.version).toBe(version);
});

/** What each place an officer looks shows of a member's pending transfer. */
const pendingAsShown = async (employeeId: string, branch: string) => {
  const chair = await token('chair-1', 'chair');
  const memberId = (await memberByEmployee(employeeId))!.memberId as string;
  const one = await api('GET', `/members/${memberId}`, { token: chair });
  expect(one.status).toBe(200);
  const officer = await token('officer-pending', 'officer', { branch });
  const page = await api('GET', `/members?branch=${branch}&limit=200`, { token: officer });
  expect(page.status).toBe(200);
  const cli = await gonghuiThroughPipes(['members', 'list', '--json'], {
    env: { GONGHUI_DATA_DIR: runtime().dataDir },
  });
  expect(cli.code).toBe(0);
  const listed = (JSON.parse(cli.stdout.toString('utf8')) as Array<Record<string, unknown>>).find(
    (m) => m.employeeId === employeeId,
  );
  return {
    'GET /members/{id}': one.body.pendingTransfer,
    'GET /members': page.body.items.find((m: { employeeId: string }) => m.employeeId === employeeId)
      ?.pendingTransfer,
    'gonghui members list --json': listed?.pendingTransfer,
  };
};

it('shows a transfer announced ahead on the member, in the list and in the CLI, until a later placement overtakes it', async () => {
  const chair = await token('chair-1', 'chair');
  const from = uniqueId('FROM');
  const to = uniqueId('TO');
  const now = uniqueId('NOW');
  for (const [code, name] of [
    [from, '计算机学院'],
    [to, '电气工程学院'],
    [now, '材料学院'],
  ] as const) {
    const mapped = await api('PUT', `/departments/${code}`, {
      token: chair,
      body: { departmentName: name, branch: { code: `B${code}`, name: `${name}分工会` } },
    });
    expect(mapped.status).toBe(200);
  }
  const id = uniqueId('PEND');
  await publish([hiredEvent(id, { department: { code: from, name: '计算机学院' } })]);
  await waitIdle();
  await publish([
    hrEvent('EmployeeTransferred', {
      eventId: `pend-${id}`,
      occurredAt: new Date().toISOString(),
      employeeId: id,
      department: { code: to, name: '电气工程学院' },
      effectiveDate: '2099-07-01',
    }),
  ]);
  await waitIdle();
  // Still in the old branch (its officer lists them), with where and when they go.
  const shown = await pendingAsShown(id, `B${from}`);
  expect(shown).toEqual({
    'GET /members/{id}': {
      department: { code: to, name: '电气工程学院' },
      branch: { code: `B${to}`, name: '电气工程学院分工会' },
      effectiveDate: '2099-07-01',
    },
    'GET /members': {
      department: { code: to, name: '电气工程学院' },
      branch: { code: `B${to}`, name: '电气工程学院分工会' },
      effectiveDate: '2099-07-01',
    },
    'gonghui members list --json': {
      department: to,
      departmentName: '电气工程学院',
      branch: `B${to}`,
      branchName: '电气工程学院分工会',
      effectiveDate: '2099-07-01',
    },
  });

  // A later placement, effective now, overtakes it: the member moves and nothing is pending.
  await publish([
    hrEvent('EmployeeTransferred', {
      eventId: `pend-${id}-now`,
      occurredAt: new Date(Date.now() + 1_000).toISOString(),
      employeeId: id,
      department: { code: now, name: '材料学院' },
      effectiveDate: '2026-01-01',
    }),
  ]);
  await waitIdle();
  expect(await memberByEmployee(id)).toMatchObject({ branch: { code: `B${now}` } });
  expect(await pendingAsShown(id, `B${now}`)).toEqual({
    'GET /members/{id}': null,
    'GET /members': null,
    'gonghui members list --json': null,
  });
});
