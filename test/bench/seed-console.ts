/**
 * Bench data for the console: a union of N members (20,000 by default) in branches of a
 * university's sizes, and a year of its care ledger, written straight into the table in the
 * shapes the stores write (their own item builders), as a year of the real system would leave it:
 *
 * - members: 90% active, 7% retired, 3% left; half women; joined over ten years; each with its
 *   history and its care totals of the year, and the member census's tallies as their
 *   transactions would have written them (rolled up as compact-tallies does);
 * - the ledger: every holiday of the year for whom it was due (women on 妇女节, retirees on 重阳),
 *   a birthday each, a life event for 2%, within the caps; the grants' tallies written per 25
 *   grants as grant-care's transactions write them, and rolled up as compact-tallies does;
 * - a congress session of proposals (some overdue) and letters to the chair still unanswered.
 *
 * For the benches and for anyone who wants a full console to look at: the dashboard's latency
 * bench (dashboard.ts) uses it, and the web app's bench can use it the same way
 * (`seedConsole(db, tableName, { members: 20_000 })` against a started runtime).
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { grantItem } from '../../shared/adapters/care-store-dynamodb.ts';
import { dynamoTallyStore } from '../../shared/adapters/care-tally-dynamodb.ts';
import { censusTallyPut, dynamoCensusStore } from '../../shared/adapters/census-dynamodb.ts';
import { ENTITY, keys } from '../../shared/adapters/keys.ts';
import { letterItem } from '../../shared/adapters/letter-store-dynamodb.ts';
import { dynamoMemberDirectory } from '../../shared/adapters/member-directory-dynamodb.ts';
import { memberItem } from '../../shared/adapters/member-repository-dynamodb.ts';
import { proposalItem } from '../../shared/adapters/proposal-store-dynamodb.ts';
import type { GrantRecord } from '../../shared/domain/care/grants.ts';
import { calendarOf } from '../../shared/domain/care/planner.ts';
import { DEFAULT_CARE_POLICY, decideGrant, type LifeEventKind } from '../../shared/domain/care/policy.ts';
import { LIFE_EVENT_NAMES } from '../../shared/domain/care/requests.ts';
import { NO_SETTINGS } from '../../shared/domain/care/settings.ts';
import { compactTallies, TALLY_SETTLE_MS, tallyOf } from '../../shared/domain/care/tally.ts';
import { idTimePrefix, newId } from '../../shared/domain/ids.ts';
import { censusChange, compactCensus, sumCensus } from '../../shared/domain/members/census.ts';
import type { Member, MemberStatus } from '../../shared/domain/members/member.ts';
import type { Proposal } from '../../shared/domain/proposals/proposal.ts';
import type { Letter } from '../../shared/domain/voice/letters.ts';

/** Shares of the members per branch: four large colleges, then smaller ones (as the care bench). */
export const SEED_BRANCH_SHARES = [
  0.2, 0.15, 0.12, 0.1, 0.06, 0.06, 0.05, 0.05, 0.04, 0.04, 0.03, 0.03, 0.03, 0.02, 0.02,
];

export interface SeedOptions {
  /** Members (default 20,000). */
  members?: number;
  /** The ledger's year (default this year); holidays are granted up to `until`. */
  year?: number;
  /** The last day of the ledger (default today, Asia/Shanghai, or 31 December of a past year). */
  until?: string;
  /** The congress session of the proposals (default the runtime's, 2026 locally). */
  session?: string;
  proposals?: number;
  letters?: number;
  /**
   * Write the ledger's entries (default true). The dashboard reads only the tallies' rollup and the
   * members' totals, which are written either way: false seeds in a minute or two instead of half
   * an hour on a busy machine (20,000 members: ~150,000 entries).
   */
  ledgerEntries?: boolean;
}

export interface SeedResult {
  run: string;
  branches: Array<{ code: string; name: string; members: number }>;
  members: number;
  grants: number;
  /** Whether the grants were written as ledger entries (or only counted in totals and tallies). */
  ledgerWritten: boolean;
  tallies: number;
  proposals: number;
  letters: number;
  items: number;
  seconds: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Items straight into the table: 25 per BatchWriteItem, eight in flight, unprocessed ones retried. */
export const writeItems = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  items: Array<Record<string, unknown>>,
) => {
  const chunks = Array.from({ length: Math.ceil(items.length / 25) }, (_, c) =>
    items.slice(c * 25, c * 25 + 25),
  );
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      for (let c = lane; c < chunks.length; c += 8) {
        let request: Record<string, unknown[]> | undefined = {
          [tableName]: chunks[c]!.map((Item) => ({ PutRequest: { Item } })),
        };
        for (let attempt = 0; request && Object.keys(request).length; attempt++) {
          if (attempt) await new Promise((r) => setTimeout(r, 50 * attempt));
          const out = await db.send(new BatchWriteCommand({ RequestItems: request as never }));
          request = out.UnprocessedItems as typeof request;
        }
      }
    }),
  );
};

/** Rolls a year's tallies up as compact-tallies would once they settled (ten minutes on). */
export const rollUpTallies = (db: DynamoDBDocumentClient, tableName: string, year: number) =>
  compactTallies(year, {
    store: dynamoTallyStore(db, tableName),
    now: () => new Date(Date.now() + TALLY_SETTLE_MS + 60_000),
    idBefore: idTimePrefix,
  });

/** Rolls the member census up as compact-tallies would once its tallies settled. */
export const rollUpCensus = (db: DynamoDBDocumentClient, tableName: string) =>
  compactCensus({
    store: dynamoCensusStore(db, tableName),
    now: () => new Date(Date.now() + TALLY_SETTLE_MS + 60_000),
    idBefore: idTimePrefix,
    today: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
  });

/**
 * The console's bench data, made but not written: the seeding below writes it, and the web app's
 * render bench (web-dashboard.ts) computes the dashboard of it in memory with the API's use case.
 */
export const generateConsole = (opts: SeedOptions = {}, tableName = 'gonghui') => {
  const total = opts.members ?? 20_000;
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const year = opts.year ?? Number(today.slice(0, 4));
  const until = opts.until ?? (String(year) === today.slice(0, 4) ? today : `${year}-12-31`);
  const run = randomUUID().slice(0, 4).toUpperCase();
  const at = new Date().toISOString();

  const branches = SEED_BRANCH_SHARES.map((share, b) => ({
    code: `SB${run}${b}`,
    name: `第${b + 1}分工会`,
    members: Math.round(share * total),
  }));
  const branchOf = (i: number) => {
    const p = (i + 0.5) / total;
    let sum = 0;
    for (let b = 0; b < SEED_BRANCH_SHARES.length; b++) {
      sum += SEED_BRANCH_SHARES[b]!;
      if (p < sum) return b;
    }
    return SEED_BRANCH_SHARES.length - 1;
  };

  const members: Member[] = Array.from({ length: total }, (_, i) => {
    const b = branchOf(i);
    const employeeId = `S${run}${pad(i, 6)}`;
    const status: MemberStatus = i % 100 < 90 ? 'active' : i % 100 < 97 ? 'retired' : 'left';
    const gender = i % 2 ? 'male' : 'female';
    const joinedOn = `${year - 1 - (i % 10)}-${pad(1 + (i % 12))}-01`;
    const department = { code: `SD${run}${b}`, name: `学院${b + 1}` };
    const branch = { code: branches[b]!.code, name: branches[b]!.name };
    return {
      memberId: newId(),
      employeeId,
      enrolled: true,
      membershipNumber: `GLU-${joinedOn.slice(0, 4)}-${pad(i + 1, 6)}`,
      name: `会员${i}`,
      gender,
      birthDate: `${1965 + (i % 35)}-${pad(1 + (i % 12))}-${pad(1 + (i % 28))}`,
      email: `${employeeId.toLowerCase()}@example.edu.cn`,
      department,
      branch,
      branchAssignedByDefault: false,
      placementSince: joinedOn,
      womenFederation: gender === 'female',
      status,
      statusSince: status === 'active' ? joinedOn : `${year}-03-01`,
      category: 'teaching',
      employmentType: 'permanent',
      hireDate: joinedOn,
      joinedOn,
      history: [
        { kind: 'status', on: joinedOn, at, status: 'active' },
        { kind: 'placement', on: joinedOn, at, department, branch },
        { kind: 'enrolled', on: joinedOn, at, reason: 'import' },
        ...(status === 'active' ? [] : [{ kind: 'status' as const, on: `${year}-03-01`, at, status }]),
      ],
      stamps: {},
      care: {},
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
  });

  // A year of care, decided as grant-care decides it (the default policy, the caps).
  const policy = DEFAULT_CARE_POLICY;
  const holidays = calendarOf(year, NO_SETTINGS).filter((h) => h.dispatchDate <= until);
  const grants: GrantRecord[] = [];
  const give = (m: Member, occasion: string, name: string, date: string) => {
    const life = LIFE_EVENT_NAMES[occasion.split(':')[0] as LifeEventKind] !== undefined;
    const rule = life
      ? {
          ...policy.occasions.birthday!,
          category: 'life' as const,
          amountFen: 100_000,
          statuses: m.status ? [m.status] : [],
        }
      : policy.occasions[occasion]!;
    const audience = holidays.find((h) => h.occasion === occasion)?.audience ?? 'all';
    const spent = m.care?.[String(year)]?.[rule.category] ?? 0;
    const d = decideGrant(m, rule, audience, date, spent, policy.caps[rule.category]);
    if (d.reason === 'not_eligible') return;
    const care = m.care ?? {};
    care[String(year)] = { ...care[String(year)], [rule.category]: spent + d.amountFen };
    m.care = care;
    grants.push({
      employeeId: m.employeeId,
      memberId: m.memberId,
      membershipNumber: m.membershipNumber!,
      branch: m.branch!,
      occasion,
      occasionName: name,
      category: rule.category,
      year,
      date,
      amountFen: d.amountFen,
      ...(rule.gift ? { gift: rule.gift } : {}),
      reason: d.reason,
      policyEffectiveFrom: policy.effectiveFrom,
      createdAt: `${date}T01:00:00.000Z`,
    });
  };
  for (const m of members) {
    // Those who left did so on 1 March: they had the holidays before it.
    const active = (date: string) => m.status !== 'left' || date < `${year}-03-01`;
    for (const h of holidays) if (active(h.dispatchDate)) give(m, h.occasion, h.name, h.dispatchDate);
    const birthday = `${year}-${m.birthDate!.slice(5)}`;
    if (birthday <= until && active(birthday)) give(m, 'birthday', '生日', birthday);
  }
  for (let i = 0; i < members.length; i += 50) {
    const kinds: LifeEventKind[] = ['wedding', 'birth', 'hospital', 'retirement'];
    const kind = kinds[(i / 50) % kinds.length]!;
    const date = `${year}-${pad(1 + ((i / 50) % 12))}-15`;
    if (date <= until) give(members[i]!, `${kind}:seed-${run}-${i}`, LIFE_EVENT_NAMES[kind], date);
  }
  // Tallies as grant-care's transactions write them: per 25 grants of a branch's run.
  const tallyItems: Array<Record<string, unknown>> = [];
  for (let i = 0; i < grants.length; i += 25) {
    for (const [y, rows] of tallyOf(grants.slice(i, i + 25)))
      tallyItems.push({
        ...keys.careTally(y, newId()),
        entity: ENTITY.careTally,
        year: y,
        rows,
        createdAt: at,
      });
  }

  // The member census as enrolment's and grant-care's transactions leave it: a tally per 25
  // members (each counted as it stands at the end of the seeded year).
  const censusItems: Array<Record<string, unknown>> = [];
  for (let i = 0; i < members.length; i += 25) {
    const put = censusTallyPut(
      tableName,
      sumCensus(members.slice(i, i + 25).map((m) => censusChange(undefined, m))),
      new Date(),
    );
    censusItems.push(...put.map((p) => p.Put.Item));
  }

  // A session's proposals (one in ten assigned and overdue) and letters waiting for an answer.
  const session = opts.session ?? String(year);
  const proposalCount = opts.proposals ?? 300;
  const states: Proposal['state'][] = [
    'submitted',
    'under_review',
    'registered',
    'assigned',
    'answered',
    'closed',
  ];
  const proposals = Array.from({ length: proposalCount }, (_, i): Proposal => {
    const state = states[i % states.length]!;
    const assigned = ['assigned', 'answered', 'closed'].includes(state);
    return {
      id: newId(),
      number: `${session}-${pad(i + 1, 3)}`,
      session,
      state,
      title: `提案${i + 1}`,
      content: '内容',
      category: null,
      author: { id: members[i % members.length]!.employeeId },
      seconders: [],
      review: null,
      assignment: assigned
        ? {
            department: `SD${run}${i % branches.length}`,
            supportingDepartments: [],
            dueDate: i % 10 === 3 ? `${year}-01-15` : `${year + 1}-06-30`,
            assignedAt: `${year}-01-01T00:00:00.000Z`,
            round: 1,
          }
        : null,
      answer: null,
      feedback: null,
      ratings: [],
      withdrawal: null,
      submittedAt: at,
      closedAt: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
  });
  const letterCount = opts.letters ?? 100;
  const letters = Array.from({ length: letterCount }, (_, i): Letter => {
    const createdAt = new Date(Date.now() - (i % 40) * 86_400_000).toISOString();
    return {
      id: newId(),
      writer: members[i % members.length]!.employeeId,
      subject: `来信${i}`,
      text: '内容',
      category: '其他',
      chairOnly: i % 7 === 0,
      state: 'open',
      delegatedTo: null,
      delegatedAt: null,
      answerCount: 0,
      year: Number(createdAt.slice(0, 4)),
      createdAt,
      firstAnsweredAt: null,
      lastAnsweredAt: null,
      closedAt: null,
      closedBy: null,
      closingNote: null,
      updatedAt: createdAt,
      version: 1,
    };
  });

  return { run, year, at, branches, members, grants, tallyItems, censusItems, proposals, letters };
};

export const seedConsole = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  opts: SeedOptions = {},
): Promise<SeedResult> => {
  const started = Date.now();
  const { run, year, at, branches, members, grants, tallyItems, censusItems, proposals, letters } =
    generateConsole(opts, tableName);
  // Departments mapped to their branches (this also registers each branch for the care fan-out).
  const directory = dynamoMemberDirectory(db, tableName);
  for (const [b, branch] of branches.entries()) {
    await directory.putDepartment({
      departmentCode: `SD${run}${b}`,
      departmentName: `学院${b + 1}`,
      branch: { code: branch.code, name: branch.name },
      updatedAt: at,
      updatedBy: 'seed',
    });
  }
  const items = [
    ...members.map(memberItem),
    ...(opts.ledgerEntries === false ? [] : grants.map(grantItem)),
    ...tallyItems,
    ...censusItems,
    ...proposals.map(proposalItem),
    ...letters.map(letterItem),
  ] as Array<Record<string, unknown>>;
  await writeItems(db, tableName, items);
  // What compact-tallies (every ten minutes) leaves: the year's tallies and the census rolled up.
  await rollUpTallies(db, tableName, year);
  await rollUpCensus(db, tableName);
  return {
    run,
    branches,
    members: members.length,
    grants: grants.length,
    ledgerWritten: opts.ledgerEntries !== false,
    tallies: tallyItems.length,
    proposals: proposals.length,
    letters: letters.length,
    items: items.length,
    seconds: (Date.now() - started) / 1000,
  };
};
