/**
 * The members API's use cases. Roles and object-level checks live here, not in the handler:
 * a member sees themself; a branch officer sees and manages their branch; the chair and admins
 * see everyone and manage the department → branch mapping.
 */

import type { DomainEvent } from '../../../events/domain.ts';
import type { EmployeeHired, HrEvent } from '../../../events/hr.ts';
import { MEMBERS_SOURCE } from '../../../events/members.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { type ApplyDeps, applyHrEvents, type MemberRepository } from './apply-hr-events.ts';
import {
  addHistory,
  type Branch,
  branchOfDepartment,
  type Member,
  type MemberStatus,
  stampOf,
} from './member.ts';

export interface DepartmentMapping {
  departmentCode: string;
  departmentName: string;
  branch: Branch;
  /** The department's mailbox (proposals assigned to it, reminders). */
  contactEmail?: string;
  updatedAt: string;
  updatedBy: string;
}

export interface MemberQuery {
  branch?: string;
  status?: MemberStatus;
  text?: string;
  limit: number;
  cursor?: string;
}

export interface MemberDirectory {
  byEmployee(employeeId: string): Promise<Member | undefined>;
  byMemberId(memberId: string): Promise<Member | undefined>;
  list(query: MemberQuery): Promise<{ items: Member[]; cursor?: string }>;
  departments(): Promise<DepartmentMapping[]>;
  /**
   * Departments of current members (active, retired) whom no mapping placed: they sit under the
   * school union by default. Read from the school union's own members, not the whole table.
   */
  placedByDefault(): Promise<Array<{ code: string; name: string; members: number }>>;
  putDepartment(mapping: DepartmentMapping): Promise<void>;
}

export interface MembersDeps extends ApplyDeps {
  directory: MemberDirectory;
}

/**
 * Where a transfer HR announced ahead will place the member on its effective date: the new
 * department, the branch that department maps to (as apply-transfers will map it, were the date
 * today), and the date. Null when none is pending: a later placement or the transfer itself
 * settles it.
 */
export const pendingTransferOf = (m: Member, branches: ReadonlyMap<string, Branch>) =>
  m.pendingPlacement
    ? {
        department: m.pendingPlacement.department,
        branch: branchOfDepartment(m.pendingPlacement.department.code, branches),
        effectiveDate: m.pendingPlacement.effectiveDate,
      }
    : null;

/** The branches of the departments announced transfers lead to, in one read (none when none). */
export const pendingBranches = async (
  members: readonly Member[],
  repo: Pick<MemberRepository, 'branchesFor'>,
): Promise<ReadonlyMap<string, Branch>> => {
  const codes = [
    ...new Set(members.flatMap((m) => (m.pendingPlacement ? [m.pendingPlacement.department.code] : []))),
  ];
  return codes.length > 0 ? repo.branchesFor(codes) : new Map();
};

/**
 * What the API shows of a member: no internal stamps or keys. `branches` maps the department of
 * a pending transfer (pendingBranches).
 */
export const memberView = (m: Member, branches: ReadonlyMap<string, Branch>) => ({
  memberId: m.memberId,
  employeeId: m.employeeId,
  membershipNumber: m.membershipNumber ?? null,
  name: m.name ?? null,
  gender: m.gender ?? null,
  birthDate: m.birthDate ?? null,
  email: m.email ?? null,
  mobile: m.mobile ?? null,
  status: m.status ?? null,
  statusSince: m.statusSince ?? null,
  department: m.department ?? null,
  branch: m.branch ?? null,
  womenFederation: m.womenFederation ?? false,
  hireDate: m.hireDate ?? null,
  joinedOn: m.joinedOn ?? null,
  pendingTransfer: pendingTransferOf(m, branches),
  version: m.version,
});
export type MemberView = ReturnType<typeof memberView>;

/** The view of one member, with its pending transfer's branch read. */
export const viewOf = async (m: Member, deps: Pick<MembersDeps, 'repo'>) =>
  memberView(m, await pendingBranches([m], deps.repo));

const isManager = (p: Principal) => hasAnyRole(p, 'chair', 'admin');
const isOfficerOf = (p: Principal, branch: string | undefined) =>
  p.roles.has('officer') && p.branch !== undefined && p.branch === branch;

const canSee = (p: Principal, m: Member) =>
  isManager(p) || m.employeeId === p.sub || isOfficerOf(p, m.branch?.code);

/** The member the caller is (the token's subject is the 工号). */
export const myMembership = async (p: Principal, deps: MembersDeps) => {
  const m = await deps.directory.byEmployee(p.sub);
  if (!m?.enrolled) throw new NotFound('您还不是工会会员 / You are not a member of the union');
  return viewOf(m, deps);
};

export const getMember = async (p: Principal, memberId: string, deps: MembersDeps) => {
  const m = await deps.directory.byMemberId(memberId);
  if (!m?.enrolled) throw new NotFound('会员不存在 / No such member');
  if (!canSee(p, m)) throw new Forbidden('无权查看该会员 / You may not see this member');
  return viewOf(m, deps);
};

/**
 * A member's history of status and placement, oldest first, with where they stand now. Members
 * stored before the history was kept have only the facts that arrived since: `current` still
 * says since when the status and the placement hold.
 */
export const memberHistory = async (p: Principal, memberId: string, deps: MembersDeps) => {
  const m = await deps.directory.byMemberId(memberId);
  if (!m?.enrolled) throw new NotFound('会员不存在 / No such member');
  if (!canSee(p, m)) throw new Forbidden('无权查看该会员 / You may not see this member');
  return {
    memberId: m.memberId,
    current: {
      status: m.status ?? null,
      statusSince: m.statusSince ?? null,
      department: m.department ?? null,
      branch: m.branch ?? null,
      placementSince: m.placementSince ?? null,
      joinedOn: m.joinedOn ?? null,
    },
    items: (m.history ?? []).map((e) => ({
      kind: e.kind,
      on: e.on,
      at: e.at,
      status: e.status ?? null,
      department: e.department ?? null,
      branch: e.branch ?? null,
      reason: e.reason ?? null,
      note: e.note ?? null,
    })),
  };
};

/**
 * Inputs arrive as thunks that validate when called: the role check comes first, so a caller
 * without the role gets 403 whatever they sent, and only an allowed caller learns about 400s.
 */
export type Input<T> = () => T;

export const listMembers = async (p: Principal, queryInput: Input<MemberQuery>, deps: MembersDeps) => {
  if (!isManager(p) && (!p.roles.has('officer') || !p.branch)) {
    throw new Forbidden('仅工会干部可查看会员名单 / Only officers list members');
  }
  let query = queryInput();
  if (!isManager(p)) {
    if (query.branch !== undefined && query.branch !== p.branch) {
      throw new Forbidden('只能查看本分工会 / Officers list their own branch only');
    }
    query = { ...query, branch: p.branch };
  }
  const page = await deps.directory.list(query);
  const branches = await pendingBranches(page.items, deps.repo);
  return {
    items: page.items.map((m) => memberView(m, branches)),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
};

export type ManualEnrolment = Omit<EmployeeHired, 'eventId' | 'occurredAt'>;

/** Enrols someone HR did not send, through the same use case as HR's hires. */
export const enrolManually = async (p: Principal, enrolment: Input<ManualEnrolment>, deps: MembersDeps) => {
  if (!isManager(p) && !p.roles.has('officer'))
    throw new Forbidden('仅工会干部可办理入会 / Only officers enrol members');
  const input = enrolment();
  const existing = await deps.directory.byEmployee(input.employeeId);
  if (existing?.enrolled) {
    throw new Conflict('该职工已是会员 / Already a member', {
      memberId: existing.memberId,
      state: existing.status,
    });
  }
  if (!isManager(p)) {
    const branch = (await deps.repo.branchesFor([input.department.code])).get(input.department.code);
    if (!isOfficerOf(p, branch?.code)) {
      throw new Forbidden('只能为本分工会办理入会 / Officers enrol into their own branch only');
    }
  }
  const eventId = `manual-${deps.newId()}`;
  const event: HrEvent = {
    version: '0',
    id: eventId,
    source: 'university.hr',
    'detail-type': 'EmployeeHired',
    detail: { ...input, eventId, occurredAt: deps.now().toISOString() },
  };
  await applyHrEvents([event], deps, 'manual');
  const m = await deps.directory.byEmployee(input.employeeId);
  if (!m?.enrolled) throw new Conflict('入会未完成，请重试 / The enrolment did not complete; try again');
  return viewOf(m, deps);
};

/** Leaving the union (退会): membership is voluntary. The member, their officer, the chair or an admin. */
export const leaveUnion = async (
  p: Principal,
  memberId: string,
  body: Input<{ reason?: string }>,
  deps: MembersDeps,
) => {
  const m = await deps.directory.byMemberId(memberId);
  if (!m?.enrolled) throw new NotFound('会员不存在 / No such member');
  if (!(isManager(p) || m.employeeId === p.sub || isOfficerOf(p, m.branch?.code))) {
    throw new Forbidden('无权为该会员办理退会 / You may not end this membership');
  }
  const { reason } = body();
  if (m.status === 'left')
    throw new Conflict('已退会 / The membership has already ended', { state: m.status });
  const now = deps.now();
  const eventId = deps.newId();
  const today = now.toISOString().slice(0, 10);
  const next: Member = {
    ...m,
    status: 'left',
    statusSince: today,
    departureReason: 'withdrew',
    stamps: { ...m.stamps, status: stampOf(now.toISOString(), eventId) },
    updatedAt: now.toISOString(),
    version: m.version + 1,
  };
  addHistory(next, {
    kind: 'status',
    on: today,
    at: now.toISOString(),
    status: 'left',
    reason: 'withdrew',
    // The reason typed when the leave was recorded: the member's page shows it beside the entry.
    ...(reason?.trim() ? { note: reason.trim() } : {}),
  });
  const event: DomainEvent = {
    source: MEMBERS_SOURCE,
    detailType: 'MemberLeft',
    detail: {
      eventId,
      occurredAt: now.toISOString(),
      version: 1,
      memberId: m.memberId,
      employeeId: m.employeeId,
      reason: reason ? `withdrew: ${reason}` : 'withdrew',
      departureDate: today,
      branch: m.branch!,
    },
  };
  const saved = await deps.repo.save({
    members: [next],
    before: new Map([[m.employeeId, m]]),
    counters: [],
    events: [event],
  });
  if (saved === 'conflict')
    throw new Conflict('会员信息刚被修改，请重试 / The member changed meanwhile; try again');
  return viewOf(next, deps);
};

export const listDepartments = async (p: Principal, deps: MembersDeps) => {
  if (!isManager(p) && !p.roles.has('officer')) throw new Forbidden('仅工会干部可查看 / Officers only');
  const [items, placed] = await Promise.all([deps.directory.departments(), deps.directory.placedByDefault()]);
  const mapped = new Set(items.map((i) => i.departmentCode));
  return {
    items,
    // Unknown departments first in the page: `mapped` ones were mapped after their members were
    // placed (they stay under the school union until HR moves them); the others have no mapping.
    unknownDepartments: placed
      .map((d) => ({ ...d, mapped: mapped.has(d.code) }))
      .sort(
        (a, b) =>
          Number(a.mapped) - Number(b.mapped) || b.members - a.members || a.code.localeCompare(b.code),
      ),
  };
};

export const mapDepartment = async (
  p: Principal,
  departmentCode: string,
  body: Input<{ departmentName: string; branch: Branch; contactEmail?: string }>,
  deps: MembersDeps,
) => {
  if (!isManager(p))
    throw new Forbidden('仅主席或管理员可修改 / Only the chair or an admin maps departments');
  const input = body();
  if (!/^[\w.-]{1,32}$/.test(departmentCode))
    throw new InvalidInput('部门代码无效 / Invalid department code');
  const mapping: DepartmentMapping = {
    departmentCode,
    departmentName: input.departmentName,
    branch: input.branch,
    ...(input.contactEmail ? { contactEmail: input.contactEmail.toLowerCase() } : {}),
    updatedAt: deps.now().toISOString(),
    updatedBy: p.sub,
  };
  await deps.directory.putDepartment(mapping);
  return mapping;
};
