/**
 * Life-event care (结婚, 生育, 住院, 丧葬, 退休): a branch officer reports it, the chair approves
 * or rejects it, and an approval makes the grant (with its ledger entry and mail) exactly like a
 * holiday grant: once, within the year's cap for life events. A member's death reported by HR
 * opens a bereavement request by itself.
 */

import { CARE_SOURCE } from '../../../events/care.ts';
import type { DomainEvent } from '../../../events/domain.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.ts';
import type { Member } from '../members/member.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { type CareStore, type GrantRecord, grantedEvent } from './grants.ts';
import { decideGrant, type LifeEventKind, type OccasionPolicy, policyOn } from './policy.ts';

export const LIFE_EVENT_NAMES: Record<LifeEventKind, string> = {
  wedding: '结婚慰问',
  birth: '生育慰问',
  hospital: '住院慰问',
  bereavement: '会员逝世慰问',
  bereavement_relative: '直系亲属逝世慰问',
  retirement: '退休慰问',
};

export type RequestStatus = 'pending' | 'approved' | 'rejected';

export interface CareRequest {
  id: string;
  memberId: string;
  employeeId: string;
  branch: string;
  kind: LifeEventKind;
  date: string;
  note: string | null;
  status: RequestStatus;
  reportedBy: string;
  decidedBy: string | null;
  decisionReason: string | null;
  amountFen: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface RequestStore {
  get(id: string): Promise<CareRequest | undefined>;
  /** false if a request with this id exists already (idempotent opening). */
  create(r: CareRequest, event: DomainEvent): Promise<boolean>;
  /** Saves a decision under the request's previous version; false if it changed meanwhile. */
  decide(r: CareRequest): Promise<boolean>;
  list(status: RequestStatus | undefined, branch: string | undefined): Promise<CareRequest[]>;
  memberById(memberId: string): Promise<Member | undefined>;
  memberByEmployee(employeeId: string): Promise<Member | undefined>;
  /** Many members at once, by 工号 (a list of requests names who each is for). */
  membersByEmployee(employeeIds: string[]): Promise<Map<string, Member>>;
}

export interface RequestDeps {
  requests: RequestStore;
  care: CareStore;
  now: () => Date;
  newId: () => string;
}

const isManager = (p: Principal) => hasAnyRole(p, 'chair', 'admin');

const requestedEvent = (r: CareRequest, deps: RequestDeps): DomainEvent => ({
  source: CARE_SOURCE,
  detailType: 'CareRequested',
  detail: {
    eventId: deps.newId(),
    occurredAt: r.createdAt,
    version: 1,
    requestId: r.id,
    memberId: r.memberId,
    kind: r.kind,
    branch: r.branch,
  },
});

export const reportLifeEvent = async (
  actor: Principal,
  body: () => { memberId: string; kind: LifeEventKind; date: string; note?: string },
  deps: RequestDeps,
) => {
  if (!isManager(actor) && !(actor.roles.has('officer') && actor.branch))
    throw new Forbidden('仅工会干部可上报 / Officers report life events');
  const input = body();
  const member = await deps.requests.memberById(input.memberId);
  if (!member?.enrolled)
    throw new InvalidInput('会员不存在 / No such member', {
      errors: [{ field: 'memberId', message: 'no such member' }],
    });
  if (!isManager(actor) && member.branch?.code !== actor.branch)
    throw new Forbidden('只能为本分工会会员上报 / Officers report for their own branch');
  const at = deps.now().toISOString();
  const r: CareRequest = {
    id: deps.newId(),
    memberId: member.memberId,
    employeeId: member.employeeId,
    branch: member.branch?.code ?? 'SCHOOL',
    kind: input.kind,
    date: input.date,
    note: input.note ?? null,
    status: 'pending',
    reportedBy: actor.sub,
    decidedBy: null,
    decisionReason: null,
    amountFen: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await deps.requests.create(r, requestedEvent(r, deps));
  return r;
};

/** HR reported a member's death: open the bereavement request once, whatever the redeliveries. */
export const openBereavement = async (
  m: { memberId: string; employeeId: string; branch: string; date: string },
  deps: RequestDeps,
) => {
  const at = deps.now().toISOString();
  const r: CareRequest = {
    id: `bereavement-${m.memberId}`,
    memberId: m.memberId,
    employeeId: m.employeeId,
    branch: m.branch,
    kind: 'bereavement',
    date: m.date,
    note: '人事处通知 / reported by HR',
    status: 'pending',
    reportedBy: 'system',
    decidedBy: null,
    decisionReason: null,
    amountFen: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  return deps.requests.create(r, requestedEvent(r, deps));
};

/**
 * The filter is read only once the caller may list: someone without the role gets 403 whatever
 * they sent (seen: a member's `?status=x` got 400, telling them the route would serve an officer).
 */
export const listRequests = async (
  actor: Principal,
  status: () => RequestStatus | undefined,
  deps: RequestDeps,
) => {
  let items: CareRequest[];
  if (isManager(actor)) items = await deps.requests.list(status(), undefined);
  else if (actor.roles.has('officer') && actor.branch)
    items = await deps.requests.list(status(), actor.branch);
  else throw new Forbidden('仅工会干部可查看 / Officers only');
  if (items.length === 0) return { items: [] };
  // Who each request is for, so the page's table needs no request per row.
  const members = await deps.requests.membersByEmployee([...new Set(items.map((r) => r.employeeId))]);
  return {
    items: items.map((r) => {
      const m = members.get(r.employeeId);
      return {
        ...r,
        member: m ? { name: m.name ?? null, membershipNumber: m.membershipNumber ?? null } : null,
      };
    }),
  };
};

export const decideRequest = async (
  actor: Principal,
  id: string,
  decision: 'approve' | 'reject',
  body: () => { reason?: string },
  deps: RequestDeps,
) => {
  if (!actor.roles.has('chair')) throw new Forbidden('仅主席可审批 / Only the chair decides');
  const r = await deps.requests.get(id);
  if (!r) throw new NotFound('申请不存在 / No such request');
  const { reason } = body();
  if (r.status !== 'pending')
    throw new Conflict(`已${r.status === 'approved' ? '批准' : '驳回'} / The request is ${r.status}`, {
      state: r.status,
    });
  if (decision === 'reject' && !reason?.trim()) {
    throw new InvalidInput('驳回须说明理由 / A reason is required to reject', {
      errors: [{ field: 'reason', message: 'required' }],
    });
  }
  const now = deps.now();
  const next: CareRequest = {
    ...r,
    status: decision === 'approve' ? 'approved' : 'rejected',
    decidedBy: actor.sub,
    decisionReason: reason?.trim() || null,
    updatedAt: now.toISOString(),
    version: r.version + 1,
  };
  if (decision === 'approve') {
    const granted = await grantLifeEvent(r, deps);
    next.amountFen = granted;
  }
  if (!(await deps.requests.decide(next)))
    throw new Conflict('申请刚被处理 / The request changed meanwhile', { state: r.status });
  return next;
};

/** The grant of an approved request: the occasion is the request itself, so it is granted once. */
const grantLifeEvent = async (r: CareRequest, deps: RequestDeps): Promise<number> => {
  const policy = policyOn(r.date, await deps.care.policies());
  const year = Number(r.date.slice(0, 4));
  // Life events reach members whatever their status: a death makes a member 'left'.
  const rule: OccasionPolicy = {
    enabled: true,
    category: 'life',
    amountFen: policy.lifeEvents[r.kind].amountFen,
    workingDaysAhead: 0,
    statuses: ['active', 'retired', 'left'],
    minMembershipDays: 0,
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const member = await deps.care.member(r.employeeId);
    if (!member) throw new NotFound('会员不存在 / No such member');
    const spent = member.care?.[String(year)]?.life ?? 0;
    const decision = decideGrant(member, rule, 'all', r.date, spent, policy.caps.life);
    const record: GrantRecord = {
      employeeId: member.employeeId,
      memberId: member.memberId,
      membershipNumber: member.membershipNumber ?? '',
      branch: member.branch ?? { code: 'SCHOOL', name: '校工会直属' },
      occasion: `${r.kind}:${r.id}`,
      occasionName: LIFE_EVENT_NAMES[r.kind],
      category: 'life',
      year,
      date: r.date,
      amountFen: decision.amountFen,
      reason: decision.grant ? decision.reason : 'skipped_cap_reached',
      policyEffectiveFrom: policy.effectiveFrom,
      createdAt: deps.now().toISOString(),
    };
    // The deceased do not read mail: a bereavement grant goes to the family through the branch.
    const event = decision.grant && r.kind !== 'bereavement' ? grantedEvent(member, record, deps) : undefined;
    const outcome = await deps.care.grant(member, record, event);
    if (outcome !== 'conflict') return record.amountFen;
  }
  throw new Conflict('会员信息正在变更，请重试 / The member is changing; try again');
};
