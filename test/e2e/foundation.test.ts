/**
 * The foundation end to end, through the embedded runtime's real emulators: an HR event in,
 * state in DynamoDB Local, the welcome mail out through the runtime's mail transport (the SES
 * emulator, or the local SMTP server in the e2e-smtp project), exactly once; a poison
 * message in its DLQ with nothing else lost; the public routes.
 */
import { describe, expect, it } from 'vitest';
import { listDlq, redriveDlq } from '../../infra/cli/commands/dlq.ts';
import { hiredEvent, mailsTo, memberByEmployee, publish, runtime, uniqueId, waitIdle } from './support.ts';

describe('foundation', () => {
  it('answers the health check and serves the OpenAPI document without a token', async () => {
    const health = await fetch(`${runtime().apiUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const doc = await fetch(`${runtime().apiUrl}/openapi.json`);
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { paths: Record<string, unknown> }).paths['/health']).toBeDefined();
  });

  it('turns a hire into a member in DynamoDB and a welcome mail', async () => {
    const employeeId = uniqueId('E');
    const result = await publish([hiredEvent(employeeId)]);
    expect(result).toEqual({ published: 1, failed: [] });
    await waitIdle();

    const member = await memberByEmployee(employeeId);
    expect(member).toMatchObject({
      employeeId,
      status: 'active',
      womenFederation: true,
      branch: { code: 'SCHOOL' },
    });
    expect(member?.membershipNumber).toMatch(/^GLU-2026-\d{6}$/);

    const mails = await mailsTo(`${employeeId.toLowerCase()}@example.edu.cn`);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('欢迎加入工会 | Welcome to the trade union');
    expect(mails[0]!.text).toContain(member?.membershipNumber);
  });

  it('sends one mail and stores one member when the same hire arrives three times', async () => {
    const employeeId = uniqueId('E');
    const event = hiredEvent(employeeId);
    await publish([event]);
    await publish([event, event]);
    await waitIdle();
    const member = await memberByEmployee(employeeId);
    expect(member).toBeDefined();
    expect(await mailsTo(`${employeeId.toLowerCase()}@example.edu.cn`)).toHaveLength(1);
  });

  it('puts a poison message in the DLQ with its reason at once, and loses nothing else', async () => {
    const poison = hiredEvent(uniqueId('P'), { email: 'not-an-email', gender: 'unknown' });
    const good = hiredEvent(uniqueId('G'));
    await publish([poison, good]);
    await waitIdle(90_000);

    const dead = await listDlq({ queue: 'hr' });
    // EventBridge gives each event its own id: the message is found by HR's eventId, intact.
    const ours = dead.filter(
      (m) => (m.body as { detail?: { eventId?: string } }).detail?.eventId === poison.detail.eventId,
    );
    // Once (a copy more only if its batch outlived the tests' 2-s visibility timeout).
    expect(ours.length).toBeGreaterThanOrEqual(1);
    expect((ours[0]!.body as { detail: unknown }).detail).toEqual(poison.detail);
    // Why, and who refused it: field paths and messages, never the values sent.
    expect(ours[0]).toMatchObject({ queue: 'hr', in: 'hr-dlq', consumer: 'enrol-member' });
    expect(ours[0]!.reason).toContain('detail.email');
    expect(ours[0]!.reason).toContain('detail.gender');
    expect(ours[0]!.reason).not.toContain('not-an-email');
    expect(await memberByEmployee(poison.detail.employeeId)).toBeUndefined();
    expect(await memberByEmployee(good.detail.employeeId)).toBeDefined();
    expect(await mailsTo(good.detail.email)).toHaveLength(1);
  });
});

describe('dead letters', () => {
  it('moves dead letters back to their queue with `dlq redrive`', async () => {
    const poison = hiredEvent(uniqueId('R'), { birthDate: 'not-a-date' });
    await publish([poison]);
    await waitIdle(90_000);
    const isOurs = (m: { body: unknown }) =>
      (m.body as { detail?: { eventId?: string } }).detail?.eventId === poison.detail.eventId;
    expect((await listDlq({ queue: 'hr' })).filter(isOurs).length).toBeGreaterThanOrEqual(1);
    // The peek hides messages for a few seconds; the redrive takes whatever is visible.
    await new Promise((r) => setTimeout(r, 3500));
    const redriven = new Date().toISOString();
    const moved = await redriveDlq({ queue: 'hr' });
    expect(moved.hr).toBeGreaterThanOrEqual(1);
    // Still malformed: its consumer refuses it again at once, and it is back in the DLQ, intact,
    // with its reason, and not moved round again by the same redrive (it ended).
    await waitIdle(90_000);
    const back = (await listDlq({ queue: 'hr' })).filter(isOurs);
    expect(back.length).toBeGreaterThanOrEqual(1);
    expect(
      back.every((m) => m.sentAt >= redriven.slice(0, 19) && m.reason?.includes('detail.birthDate')),
    ).toBe(true);
  });
});
