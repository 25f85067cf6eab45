/**
 * Awards (最美家庭, 评先推优) end to end: branches nominate inside the nomination window, the
 * committee shortlists between the windows, members vote once inside the voting window (six at
 * once), and the results are published with the counts once it closes (and announced by the
 * daily job, once); the mails to nominees, the awarded and the union office.
 *
 * The windows are dates and the runtime's clock is the real one: to let days pass, the test moves
 * the award's stored windows back (straight in DynamoDB Local), as if the calendar had turned.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { awardResults } from '../../infra/cli/commands/union-life.ts';
import { LOCAL_UNION_CONTACT } from '../../infra/local/local-env.ts';
import { keys } from '../../shared/adapters/keys.ts';
import {
  awardDetailResponse,
  awardListResponse,
  nominationListResponse,
  resultsResponse,
} from '../../shared/http/awards-schemas.ts';
import { api, db, hiredEvent, mailsTo, publish, runtime, token, uniqueId, waitIdle } from './support.ts';

const day = (offset: number) =>
  new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const emailOf = (id: string) => `${id.toLowerCase()}@example.edu.cn`;

/** As if the calendar had turned: the award's windows moved relative to today. */
const moveAward = async (id: string, w: { nomination: [number, number]; voting: [number, number] }) => {
  await db().send(
    new UpdateCommand({
      TableName: runtime().tableName,
      Key: keys.award(id),
      UpdateExpression:
        'SET nominationOpensOn = :no, nominationClosesOn = :nc, votingOpensOn = :vo, votingClosesOn = :vc',
      ExpressionAttributeValues: {
        ':no': day(w.nomination[0]),
        ':nc': day(w.nomination[1]),
        ':vo': day(w.voting[0]),
        ':vc': day(w.voting[1]),
      },
    }),
  );
};

let chair: string;
let admin: string;
let committee: string;
let officer: string;
let officerOther: string;
let nominees: string[]; // n1…n4 in the branch
let other: string; // in the other branch
let voters: string[];
const tokens = new Map<string, string>();
let awardId: string;

beforeAll(async () => {
  chair = await token(uniqueId('AWCH'), 'chair');
  admin = await token(uniqueId('AWAD'), 'admin');
  committee = await token(uniqueId('AWCM'), 'committee');
  const dept = uniqueId('AWD');
  const deptOther = uniqueId('AWX');
  const branch = uniqueId('AWB');
  for (const [code, b] of [
    [dept, branch],
    [deptOther, `${branch}X`],
  ] as const) {
    expect(
      (
        await api('PUT', `/departments/${code}`, {
          token: chair,
          body: {
            departmentName: '评优学院',
            branch: { code: b, name: `评优分工会${b === branch ? '' : '二'}` },
          },
        })
      ).status,
    ).toBe(200);
  }
  officer = await token(uniqueId('AWOF'), 'officer', { branch });
  officerOther = await token(uniqueId('AWOO'), 'officer', { branch: `${branch}X` });
  nominees = [1, 2, 3, 4].map((i) => uniqueId(`AWN${i}`));
  other = uniqueId('AWO');
  voters = [1, 2, 3, 4, 5, 6].map((i) => uniqueId(`AWV${i}`));
  await publish([
    ...[...nominees, ...voters].map((id) => hiredEvent(id, { department: { code: dept, name: '评优学院' } })),
    hiredEvent(other, { department: { code: deptOther, name: '评优学院' } }),
  ]);
  for (const id of [...nominees, ...voters, other]) tokens.set(id, await token(id, 'member'));
  await waitIdle();
});

const nominate = (who: string, employeeId: string) =>
  api('POST', `/awards/${awardId}/nominations`, {
    token: who,
    body: { employeeId, citation: '家庭和睦，热心公益，带动邻里。' },
  });
const vote = (voter: string, nominationId: string) =>
  api('POST', `/awards/${awardId}/vote`, { token: tokens.get(voter)!, body: { nominationId } });

describe('awards', () => {
  it('lets officers nominate members of their branch inside the nomination window', async () => {
    const body = {
      title: '2026年度“最美家庭”',
      kind: 'most_beautiful_family',
      nominationOpensOn: day(0),
      nominationClosesOn: day(2),
      votingOpensOn: day(4),
      votingClosesOn: day(6),
      places: 2,
    };
    expect((await api('POST', '/awards', { token: officer, body })).status).toBe(403);
    expect((await api('POST', '/awards', { token: tokens.get(voters[0]!)!, body })).status).toBe(403);
    const bad = await api('POST', '/awards', { token: admin, body: { ...body, places: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['places']);
    const overlap = await api('POST', '/awards', { token: admin, body: { ...body, votingOpensOn: day(2) } });
    expect(overlap.status).toBe(400);
    expect(overlap.body.errors.map((e: { field: string }) => e.field)).toEqual(['votingOpensOn']);
    const created = await api('POST', '/awards', { token: admin, body });
    expect(created.status).toBe(201);
    expect(created.body.phase).toBe('nominating');
    awardId = created.body.id;

    for (const n of nominees) expect((await nominate(officer, n)).status).toBe(201);
    expect((await nominate(officer, other)).status).toBe(403);
    expect((await nominate(officerOther, other)).status).toBe(201);
    expect((await nominate(officerOther, nominees[0]!)).status).toBe(403);
    expect((await nominate(officer, nominees[0]!)).status).toBe(409);
    const notMember = await nominate(officer, uniqueId('AWNM'));
    expect(notMember.status).toBe(400);
    expect(notMember.body.errors[0].field).toBe('employeeId');
    expect((await nominate(tokens.get(voters[0]!)!, nominees[0]!)).status).toBe(403);

    const seen = async (who: string) => api('GET', `/awards/${awardId}/nominations`, { token: who });
    expect((await seen(officer)).body.items).toHaveLength(4);
    expect((await seen(officerOther)).body.items.map((n: { employeeId: string }) => n.employeeId)).toEqual([
      other,
    ]);
    expect(nominationListResponse.parse((await seen(committee)).body).items).toHaveLength(5);
    expect((await seen(tokens.get(voters[0]!)!)).status).toBe(403);

    // Not yet: shortlisting, voting, results.
    expect(
      (
        await api('POST', `/awards/${awardId}/shortlist`, {
          token: committee,
          body: { nominationIds: nominees },
        })
      ).status,
    ).toBe(409);
    expect((await vote(voters[0]!, nominees[0]!)).status).toBe(409);
    expect((await api('GET', `/awards/${awardId}/results`, { token: chair })).status).toBe(409);
  });

  it('has the committee shortlist between the windows, and members vote once each inside the voting window', async () => {
    await moveAward(awardId, { nomination: [-3, -1], voting: [1, 3] });
    expect((await nominate(officer, voters[0]!)).status).toBe(409);
    const shortlist = (who: string, nominationIds: string[]) =>
      api('POST', `/awards/${awardId}/shortlist`, { token: who, body: { nominationIds } });
    expect((await shortlist(officer, nominees)).status).toBe(403);
    expect((await shortlist(admin, nominees)).status).toBe(403);
    const unknown = await shortlist(committee, [nominees[0]!, 'NOSUCH']);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('nominationIds');
    const [n1, n2, n3, n4] = nominees as [string, string, string, string];
    expect((await shortlist(committee, [n1, n2, other])).body).toEqual({ shortlisted: 3, changed: 3 });
    // The chair revises it before voting opens: `other` off, n3 on.
    expect((await shortlist(chair, [n1, n2, n3])).body).toEqual({ shortlisted: 3, changed: 2 });
    const award = await api('GET', `/awards/${awardId}`, { token: tokens.get(voters[0]!)! });
    expect(awardDetailResponse.parse(award.body)).toMatchObject({ phase: 'shortlisting', voted: false });
    expect(award.body.shortlist.map((s: { employeeId: string }) => s.employeeId).sort()).toEqual(
      [n1, n2, n3].sort(),
    );
    expect(award.body.shortlist[0]).not.toHaveProperty('votes');

    await moveAward(awardId, { nomination: [-5, -3], voting: [-1, 1] });
    expect((await shortlist(committee, [n1])).status).toBe(409);
    // Six members vote at once: three for n1, two for n2, one for n3.
    const ballots: Array<[string, string]> = [
      [voters[0]!, n1],
      [voters[1]!, n1],
      [voters[2]!, n1],
      [voters[3]!, n2],
      [voters[4]!, n2],
      [voters[5]!, n3],
    ];
    const cast = await Promise.all(ballots.map(([v, n]) => vote(v, n)));
    expect(cast.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    // Once per member and award, whoever it would be for.
    expect((await vote(voters[0]!, n2)).status).toBe(409);
    // n4 was nominated but is not on the shortlist.
    const off = await vote(n4, n4);
    expect(off.status).toBe(400);
    expect(off.body.errors[0].field).toBe('nominationId');
    const stranger = await token(uniqueId('AWST'), 'member');
    expect(
      (await api('POST', `/awards/${awardId}/vote`, { token: stranger, body: { nominationId: n1 } })).status,
    ).toBe(403);
    expect((await api('GET', `/awards/${awardId}`, { token: tokens.get(voters[0]!)! })).body.voted).toBe(
      true,
    );
    expect((await api('GET', `/awards/${awardId}/results`, { token: chair })).status).toBe(409);
  });

  it('publishes the results with the counts after the voting window, and mails the nominees', async () => {
    await moveAward(awardId, { nomination: [-6, -4], voting: [-2, -1] });
    expect((await vote(nominees[3]!, nominees[0]!)).status).toBe(409);
    const res = await api('GET', `/awards/${awardId}/results`, { token: tokens.get(voters[0]!)! });
    expect(res.status).toBe(200);
    const [n1, n2, n3, n4] = nominees as [string, string, string, string];
    expect(resultsResponse.parse(res.body)).toMatchObject({ totalVotes: 6, awarded: 2, tieAtCutoff: false });
    expect(
      res.body.results.map((r: { employeeId: string; votes: number; rank: number; awarded: boolean }) => [
        r.employeeId,
        r.votes,
        r.rank,
        r.awarded,
      ]),
    ).toEqual([
      [n1, 3, 1, true],
      [n2, 2, 2, true],
      [n3, 1, 3, false],
    ]);
    // The committee's command reads the same results.
    const cli = await awardResults({ id: awardId });
    expect(cli.results.map((r) => r.votes)).toEqual([3, 2, 1]);
    const listed = await api('GET', '/awards', { token: tokens.get(voters[0]!)! });
    expect(
      awardListResponse.parse(listed.body).items.find((a: { id: string }) => a.id === awardId),
    ).toMatchObject({
      phase: 'counting_closed',
    });

    await waitIdle();
    const subjects = async (id: string) =>
      (await mailsTo(emailOf(id)))
        .map((m) => m.subject.split(' | ')[0])
        .filter((s) => !s?.startsWith('欢迎'));
    const nominated = '您被推荐参加“2026年度“最美家庭””评选';
    const onList = '您已入围“2026年度“最美家庭””候选名单';
    expect((await subjects(n1)).sort()).toEqual([onList, nominated].sort());
    expect((await subjects(n3)).sort()).toEqual([onList, nominated].sort());
    expect(await subjects(n4)).toEqual([nominated]);
    expect(await subjects(voters[0]!)).toEqual([]);

    // The daily job announces the results once, however often it runs: the awarded and the office.
    const fire = () =>
      fetch(`${runtime().controlUrl}/schedules/UnionLifeRemindersDaily/fire`, {
        method: 'POST',
        body: JSON.stringify({ at: `${day(0)}T00:00:00Z` }),
      });
    expect((await fire()).status).toBe(200);
    expect((await fire()).status).toBe(200);
    await waitIdle();
    const congratulated = '祝贺您获评“2026年度“最美家庭””';
    expect((await subjects(n1)).filter((s) => s === congratulated)).toHaveLength(1);
    expect((await subjects(n2)).filter((s) => s === congratulated)).toHaveLength(1);
    expect((await subjects(n3)).filter((s) => s === congratulated)).toHaveLength(0);
    const office = (await mailsTo(LOCAL_UNION_CONTACT)).filter((m) =>
      m.subject.startsWith('“2026年度“最美家庭””投票结果'),
    );
    expect(office).toHaveLength(1);
    expect(office[0]!.text).toContain(`1. 黄丽萍（${n1}）3 票 ★获评`);
    expect(office[0]!.text).toContain(`3. 黄丽萍（${n3}）1 票`);
  });

  it('documents its routes in /openapi.json', async () => {
    const doc = await api('GET', '/openapi.json');
    for (const path of [
      '/awards',
      '/awards/{id}',
      '/awards/{id}/nominations',
      '/awards/{id}/shortlist',
      '/awards/{id}/vote',
      '/awards/{id}/results',
    ])
      expect(doc.body.paths[path], path).toBeDefined();
    expect(doc.body.paths['/awards/{id}/vote'].post.requestBody).toBeDefined();
  });
});
