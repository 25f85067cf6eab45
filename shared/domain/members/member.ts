/** The member: what the union knows of a colleague who belongs to it. */
export type MemberStatus = 'active' | 'retired' | 'left' | 'transferred_out' | 'expelled';

export interface Branch {
  code: string;
  name: string;
}

/** Members whose department has no branch mapping sit directly under the school union. */
export const SCHOOL_UNION: Branch = { code: 'SCHOOL', name: '校工会直属' };

/** The branch a department's members belong to: its mapping, or the school union directly. */
export const branchOfDepartment = (code: string, branches: ReadonlyMap<string, Branch>): Branch =>
  branches.get(code) ?? SCHOOL_UNION;

/**
 * Every field HR can change carries the stamp (`occurredAt` + eventId) of the event that set it.
 * An event changes a field only if its stamp is later: the member's state is then the same
 * whatever order HR's events arrive in, and a redelivered event changes nothing.
 */
export type Stamped = 'name' | 'email' | 'mobile' | 'birthDate' | 'gender' | 'placement' | 'status';

export interface Member {
  memberId: string;
  employeeId: string;
  /** False while only events other than the hire are known (a departure that arrived first). */
  enrolled: boolean;
  membershipNumber?: string;
  name?: string;
  gender?: 'female' | 'male';
  birthDate?: string;
  email?: string;
  mobile?: string;
  department?: { code: string; name: string };
  branch?: Branch;
  branchAssignedByDefault?: boolean;
  /** The date the current department and branch apply from (hire date or transfer's effective date). */
  placementSince?: string;
  womenFederation?: boolean;
  status?: MemberStatus;
  statusSince?: string;
  departureReason?: string;
  category?: string;
  employmentType?: string;
  position?: string;
  hireDate?: string;
  joinedOn?: string;
  /** A transfer HR announced ahead: the branch follows on its effective date (apply-transfers). */
  pendingPlacement?: { department: { code: string; name: string }; effectiveDate: string };
  /** Confirm mode: the invitation HR's hire sent. Only the token's hash is kept. */
  invitation?: { tokenHash: string; invitedAt: string; expiresOn: string; acceptedAt?: string };
  /** Why HR's hire did not enrol this person (dispatched staff, when the setting says skip). */
  notEnrolledReason?: 'dispatched';
  stamps: Partial<Record<Stamped, string>>;
  /**
   * Every change of status and placement since HR first told of the person, in the order it took effect (addHistory):
   * kept on the member, written with the change itself, a handful in a working life.
   */
  history?: MemberHistoryEntry[];
  /** Care granted, per year and category, in fen: the yearly caps are checked against it. */
  care?: Record<string, Partial<Record<'holiday' | 'birthday' | 'life', number>>>;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A change of a member's status or placement, or the start of the membership, as the member's page shows it. */
export interface MemberHistoryEntry {
  kind: 'enrolled' | 'status' | 'placement';
  /** The day it took effect: the joining day, the hire, departure or retirement date, the transfer's effective date. */
  on: string;
  /** When it was said: the HR event's occurredAt, or when the union recorded it (ISO instant, UTC). */
  at: string;
  /** The status from then on (status). */
  status?: MemberStatus;
  /** The placement from then on (placement). */
  department?: { code: string; name: string };
  branch?: Branch;
  /** How a membership began (hr, manual, import, invitation) or why it ended (HR's reason, withdrew). */
  reason?: string;
}

/** Entries kept per member: a working life has a handful; the oldest go first past this. */
export const MAX_HISTORY_ENTRIES = 100;

const KIND_ORDER = { status: 0, placement: 1, enrolled: 2 } as const;
const historyKey = (e: MemberHistoryEntry) =>
  [e.kind, e.on, e.status ?? '', e.department?.code ?? '', e.branch?.code ?? '', e.reason ?? ''].join('|');

/**
 * Adds what happened to a member's history, kept in the order it happened (by the day it took
 * effect). Every status or placement fact is kept, also one a later event overtook (two
 * transfers that arrived out of order both happened), and a fact already there is not added again:
 * the history is the same whatever order HR's events arrive in, and a redelivery adds nothing.
 */
export const addHistory = (m: Member, ...entries: MemberHistoryEntry[]): void => {
  const all = new Map((m.history ?? []).map((e) => [historyKey(e), e]));
  let added = false;
  for (const e of entries) {
    if (all.has(historyKey(e))) continue;
    all.set(historyKey(e), e);
    added = true;
  }
  if (!added) return;
  m.history = [...all.values()]
    .sort(
      (a, b) =>
        a.on.localeCompare(b.on) ||
        a.at.localeCompare(b.at) ||
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
        historyKey(a).localeCompare(historyKey(b)),
    )
    .slice(-MAX_HISTORY_ENTRIES);
};

/** How HR's hires become members: the deployment's settings (ENROLMENT_MODE, DISPATCHED_STAFF). */
export interface EnrolmentSettings {
  /** automatic: the hire enrols; confirm: the hire invites, and the person confirms by link. */
  mode: 'automatic' | 'confirm';
  /** Dispatched staff (派遣): enrolled like everyone, or skipped with the union office told. */
  dispatched: 'enrol' | 'skip';
  /** The page invitations link to (`?member=…&token=…` appended). */
  invitationUrl: string;
}

export const AUTOMATIC_ENROLMENT: EnrolmentSettings = {
  mode: 'automatic',
  dispatched: 'enrol',
  invitationUrl: 'https://invalid.example/invitations',
};

/** How long an invitation's link works. */
export const INVITATION_VALID_DAYS = 30;

export const formatMembershipNumber = (prefix: string, year: number, sequence: number): string => {
  if (sequence > 999_999) throw new Error(`membership numbers for ${year} are exhausted`);
  return `${prefix}-${year}-${String(sequence).padStart(6, '0')}`;
};

/** Sortable stamp of an HR event: the instant in UTC, then the event id to break ties. */
export const stampOf = (occurredAt: string, eventId: string): string =>
  `${new Date(occurredAt).toISOString()}#${eventId}`;
