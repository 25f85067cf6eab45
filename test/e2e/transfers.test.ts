/**
 * A transfer HR announces ahead: the member stays in their branch until the effective date; the
 * daily apply-transfers job (fired here for that date) moves them, once, and the office hears of
 * it through MemberTransferred.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect, it } from 'vitest';
import { keys } from '../../shared/adapters/keys.ts';
import {
  db,
  hiredEvent,
  hrEvent,
  memberByEmployee,
  publish,
  runtime,
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
