/**
 * The enrolment settings, on a runtime of their own (the shared one enrols automatically):
 * confirm mode (HR's hire invites; the person becomes a member through the link) and dispatched
 * staff skipped with the union office told.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMail } from '../../infra/cli/commands/mail.ts';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/adapters/keys.ts';
import { hiredEvent, hrEvent, uniqueId } from './support.ts';

let rt: Runtime;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gonghui-settings-'));
  rt = await startRuntime({
    dataDir,
    port: 0,
    sesMaxSendRate: 200,
    settings: { enrolmentMode: 'confirm', dispatchedStaff: 'skip' },
  });
});

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const publish = async (events: Array<ReturnType<typeof hiredEvent>>) => {
  const bus = new EventBridgeClient(localClientConfig(rt.info, rt.info.endpoints.eventbridge));
  await bus.send(
    new PutEventsCommand({
      Entries: events.map((e) => ({
        EventBusName: rt.info.busName,
        Source: e.source,
        DetailType: e['detail-type'],
        Detail: JSON.stringify(e.detail),
      })),
    }),
  );
  await waitForIdle(rt.info.controlUrl, 60_000);
};

const mailsTo = async (address: string) => (await listMail(rt.info)).filter((m) => m.to.includes(address));

const stored = async (employeeId: string) => {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(rt.info, rt.info.endpoints.dynamodb)),
  );
  const out = await db.send(
    new GetCommand({
      TableName: rt.info.tableName,
      Key: keys.memberByEmployee(employeeId),
      ConsistentRead: true,
    }),
  );
  return out.Item as Record<string, unknown> & {
    memberId: string;
    enrolled: boolean;
    invitation?: { tokenHash: string; expiresOn: string; acceptedAt?: string };
  };
};

const accept = (memberId: string, body: unknown) =>
  fetch(`${rt.info.apiUrl}/invitations/${memberId}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The link in an invitation mail (the text part carries it verbatim). */
const linkIn = (text: string) => new URL(/https?:\/\/\S+\/invitations\?\S+/.exec(text)![0]);

describe('confirm mode', () => {
  it('invites once, enrols only when the person confirms through the link, and welcomes once', async () => {
    const id = uniqueId('INV');
    const email = `${id.toLowerCase()}@example.edu.cn`;
    const hire = hiredEvent(id);
    await publish([hire, hire]);
    await publish([hire]);

    const invitations = await mailsTo(email);
    expect(invitations.map((m) => m.subject.split(' | ')[0])).toEqual(['诚邀您加入学校工会']);
    const before = await stored(id);
    expect(before.enrolled).toBe(false);
    expect(before.membershipNumber).toBeUndefined();
    const link = linkIn(invitations[0]!.text!);
    const token = link.searchParams.get('token')!;
    expect(link.searchParams.get('member')).toBe(before.memberId);
    // Only the token's hash is stored.
    expect(JSON.stringify(before)).not.toContain(token);

    // The page the link opens changes nothing, and does not echo the token.
    const page = await fetch(`${rt.info.apiUrl}/invitations${link.search}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).not.toContain(token);
    expect((await stored(id)).enrolled).toBe(false);

    // Wrong token, malformed body, unknown invitation.
    expect((await accept(before.memberId, { token: `${token.slice(0, -2)}xx` })).status).toBe(403);
    expect((await accept(before.memberId, { token: 'short' })).status).toBe(400);
    expect((await accept(before.memberId, {})).status).toBe(400);
    expect((await accept('NOSUCHMEMBER', { token })).status).toBe(404);
    expect((await stored(id)).enrolled).toBe(false);

    const joined = await accept(before.memberId, { token });
    expect(joined.status).toBe(200);
    const member = (await joined.json()) as { membershipNumber: string; joinedOn: string };
    expect(member.membershipNumber).toMatch(/^GLU-\d{4}-\d{6}$/);
    await waitForIdle(rt.info.controlUrl, 60_000);

    // A second click: the same membership, no second welcome.
    const again = await accept(before.memberId, { token });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { membershipNumber: string }).membershipNumber).toBe(
      member.membershipNumber,
    );
    await waitForIdle(rt.info.controlUrl, 60_000);
    expect((await mailsTo(email)).map((m) => m.subject.split(' | ')[0]).sort()).toEqual([
      '欢迎加入工会',
      '诚邀您加入学校工会',
    ]);
    const after = await stored(id);
    expect(after.enrolled).toBe(true);
    expect(after.invitation?.acceptedAt).toBeDefined();
  });

  it('refuses an invitation once HR says the person has left (409)', async () => {
    const id = uniqueId('INL');
    await publish([hiredEvent(id)]);
    const { memberId } = await stored(id);
    const token = linkIn((await mailsTo(`${id.toLowerCase()}@example.edu.cn`))[0]!.text!).searchParams.get(
      'token',
    )!;
    await publish([
      hrEvent('EmployeeDeparted', {
        eventId: `dep-${id}`,
        occurredAt: '2026-09-10T10:00:00+08:00',
        employeeId: id,
        reason: 'resigned',
        departureDate: '2026-09-10',
      }) as ReturnType<typeof hiredEvent>,
    ]);
    const res = await accept(memberId, { token });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { state: string }).state).toBe('left');
    expect((await stored(id)).enrolled).toBe(false);
  });
});

describe('dispatched staff under skip', () => {
  it('does not enrol or invite them, and tells the union office once', async () => {
    const id = uniqueId('DSP');
    const hire = hiredEvent(id, { employmentType: 'dispatched' });
    await publish([hire, hire]);
    expect(await mailsTo(`${id.toLowerCase()}@example.edu.cn`)).toEqual([]);
    const notices = (await mailsTo('union@gonghui.local')).filter((m) => m.text?.includes(id));
    expect(notices.map((m) => m.subject.split(' | ')[0])).toEqual(['派遣人员未自动入会']);
    const item = await stored(id);
    expect(item.enrolled).toBe(false);
    expect(item.notEnrolledReason).toBe('dispatched');
    expect(item.invitation).toBeUndefined();
  });
});
