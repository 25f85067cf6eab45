/**
 * What the officers' console reads of care, end to end: a life-event request filed by an officer
 * for a member of their branch says whom it is for and what the policy gives; the chair's
 * decisions (a reason to reject, once only); the ledger totals it per kind and filters by kind;
 * the occasions carry their next dispatch day. Every answer parses with the response schema the
 * web app's types are generated from.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  careRequestListResponse,
  careRequestResponse,
  ledgerResponse,
  occasionListResponse,
  workdaysResponse,
} from '../../shared/http/care-schemas.ts';
import { api, hiredEvent, memberByEmployee, publish, token, uniqueId, waitIdle } from './support.ts';

const today = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(new Date());

const dept = uniqueId('CRD');
const branch = `B${dept}`;
const people = { mine: uniqueId('CRM'), other: uniqueId('CRO') };
let officer: string;
let chair: string;
let memberId: string;
let otherMemberId: string;

beforeAll(async () => {
  chair = await token(uniqueId('CRCH'), 'chair');
  officer = await token(uniqueId('CROF'), 'officer', { branch });
  expect(
    (
      await api('PUT', `/departments/${dept}`, {
        token: chair,
        body: { departmentName: '护理学院', branch: { code: branch, name: '护理学院分工会' } },
      })
    ).status,
  ).toBe(200);
  await publish([
    hiredEvent(people.mine, { name: '陈晓梅', department: { code: dept, name: '护理学院' } }),
    hiredEvent(people.other, { name: '王建国' }),
  ]);
  await waitIdle();
  memberId = (await memberByEmployee(people.mine))!.memberId as string;
  otherMemberId = (await memberByEmployee(people.other))!.memberId as string;
});

describe('life-event requests for the console', () => {
  it('files for a member of the branch only, names whom it is for and what the policy gives; the chair decides once', async () => {
    const filed = await api('POST', '/care/requests', {
      token: officer,
      body: { memberId, kind: 'hospital', date: today(), note: '住院手术' },
    });
    expect(filed.status).toBe(201);
    expect(careRequestResponse.parse(filed.body)).toMatchObject({
      status: 'pending',
      branch,
      amountFen: null,
    });
    expect(
      (
        await api('POST', '/care/requests', {
          token: officer,
          body: { memberId: otherMemberId, kind: 'hospital', date: today() },
        })
      ).status,
    ).toBe(403);

    const listed = careRequestListResponse.parse(
      (await api('GET', '/care/requests?status=pending', { token: officer })).body,
    );
    expect(listed.items.find((r) => r.id === filed.body.id)).toMatchObject({
      kind: 'hospital',
      policyAmountFen: 100_000,
      member: { name: '陈晓梅', membershipNumber: expect.stringMatching(/^GLU-/) },
    });
    expect(listed.items.every((r) => r.branch === branch)).toBe(true);

    // Rejecting needs a reason; only the chair decides; a decided request is not decided again.
    const noReason = await api('POST', `/care/requests/${filed.body.id}/reject`, { token: chair, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect(
      (await api('POST', `/care/requests/${filed.body.id}/approve`, { token: officer, body: {} })).status,
    ).toBe(403);
    const approved = await api('POST', `/care/requests/${filed.body.id}/approve`, { token: chair, body: {} });
    expect(approved.status).toBe(200);
    expect(careRequestResponse.parse(approved.body)).toMatchObject({
      status: 'approved',
      amountFen: 100_000,
    });
    const again = await api('POST', `/care/requests/${filed.body.id}/reject`, {
      token: chair,
      body: { reason: '重复' },
    });
    expect(again.status).toBe(409);
    expect(again.body.state).toBe('approved');
    await waitIdle();
  });

  it('totals the ledger per life-event kind and filters by kind', async () => {
    const year = today().slice(0, 4);
    const ledger = ledgerResponse.parse(
      (await api('GET', `/care/ledger?year=${year}&branch=${branch}`, { token: officer })).body,
    );
    expect(ledger.entries).toEqual([
      expect.objectContaining({ occasion: expect.stringMatching(/^hospital:/), amountFen: 100_000 }),
    ]);
    expect(ledger.totals).toEqual([
      { branch, occasion: 'hospital', name: '住院慰问', entries: 1, amountFen: 100_000 },
    ]);
    const byKind = await api('GET', `/care/ledger?year=${year}&branch=${branch}&occasion=hospital`, {
      token: await token(uniqueId('CRAU'), 'auditor'),
    });
    expect(byKind.body.entries).toHaveLength(1);
    const byRequest = await api(
      'GET',
      `/care/ledger?year=${year}&branch=${branch}&occasion=${ledger.entries[0]!.occasion}`,
      { token: officer },
    );
    expect(byRequest.body.totalFen).toBe(100_000);
    for (const other of ['hospita', 'wedding', 'mid_autumn'])
      expect(
        (await api('GET', `/care/ledger?year=${year}&branch=${branch}&occasion=${other}`, { token: officer }))
          .body.entries,
      ).toEqual([]);
  });
});

describe('care settings as the console reads them', () => {
  it('gives each occasion its next date and dispatch day, and a year’s arrangement', async () => {
    const occasions = occasionListResponse.parse(
      (await api('GET', '/care/occasions', { token: chair })).body,
    );
    for (const o of occasions.items) {
      expect(o.next, o.occasion).not.toBeNull();
      expect(o.next!.dispatchDate >= today()).toBe(true);
      expect(o.next!.dispatchDate <= o.next!.date).toBe(true);
    }
    const year = Number(today().slice(0, 4));
    const workdays = workdaysResponse.parse(
      (await api('GET', `/care/workdays/${year}`, { token: chair })).body,
    );
    expect(workdays.year).toBe(year);
  });
});
