/**
 * The initial load of existing staff (a CSV from the union's spreadsheets): each row becomes a
 * member through the same use case as HR's hires, and gets its own result with the row's line in
 * the file. Rows go in chunks (the browser sends at most MAX_IMPORT_ROWS per request and shows a
 * progress bar; `gonghui members import` sends the file the same way), and a re-run is safe: a
 * person who is a member already is reported as such and left as they are, so nobody is enrolled
 * twice and nobody gets a second welcome mail.
 */
import { employeeHiredDetail, type HrEvent } from '../../../events/hr.ts';
import { Forbidden } from '../errors.ts';
import { hasAnyRole, type Principal } from '../principal.ts';
import { type ApplyDeps, applyHrEvents } from './apply-hr-events.ts';
import { type Branch, SCHOOL_UNION } from './member.ts';

/** Columns of the import file, in the order the template has them (`gonghui members import` reads the same). */
export const IMPORT_COLUMNS = [
  'employeeId',
  'name',
  'gender',
  'birthDate',
  'email',
  'mobile',
  'departmentCode',
  'departmentName',
  'position',
  'category',
  'employmentType',
  'hireDate',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Rows per request: 100 rows of the template are about 20 KiB of JSON, well within the 64 KiB body limit. */
export const MAX_IMPORT_ROWS = 100;

/** One row of the file: its line in the file (the header is line 1) and its cells by column name. */
export type ImportRow = { line: number } & Partial<Record<ImportColumn, string>>;

export interface Reason {
  field: string;
  message: string;
}

export type ImportRowResult =
  | {
      line: number;
      employeeId: string;
      outcome: 'enrolled';
      memberId: string;
      membershipNumber: string;
      branch: Branch;
      /** The department has no branch mapping yet: the member sits under the school union. */
      branchAssignedByDefault: boolean;
    }
  | {
      line: number;
      employeeId: string;
      outcome: 'already_member';
      memberId: string;
      membershipNumber: string | null;
      status: string | null;
      branch: Branch | null;
    }
  | { line: number; employeeId: string | null; outcome: 'rejected'; reasons: Reason[] };

/** Rows per transaction of the hire use case: 1 counter + 3 items per row stays under DynamoDB's 100. */
const BATCH = 25;

/** The CSV's column for a field of the hire event: what the person fixes in their file. */
const columnOf = (path: PropertyKey[]): string => {
  const [first, second] = path.map(String);
  if (first === 'department') return second === 'name' ? 'departmentName' : 'departmentCode';
  return first ?? '(row)';
};

const isManager = (p: Principal) => hasAnyRole(p, 'chair', 'admin');
const mayImport = (p: Principal) => isManager(p) || (p.roles.has('officer') && p.branch !== undefined);

/** The template's columns, for those who may import (the page offers it beside the upload). */
export const importTemplate = (p: Principal): readonly ImportColumn[] => {
  if (!mayImport(p)) throw new Forbidden('仅工会干部可导入会员 / Only officers import members');
  return IMPORT_COLUMNS;
};

/**
 * Imports a chunk of rows: officers into their own branch (a row whose department maps elsewhere
 * is refused with the reason), the chair and admins anywhere. Rows are checked one by one; a
 * refused row does not hold back the others.
 */
export const importMembers = async (p: Principal, input: () => ImportRow[], deps: ApplyDeps) => {
  if (!mayImport(p)) throw new Forbidden('仅工会干部可导入会员 / Only officers import members');
  const rows = input();
  const results: ImportRowResult[] = [];
  const reject = (row: ImportRow, reasons: Reason[]) =>
    results.push({
      line: row.line,
      employeeId: row.employeeId?.trim() || null,
      outcome: 'rejected',
      reasons,
    });

  const occurredAt = deps.now().toISOString();
  const parsed: Array<{ row: ImportRow; event: HrEvent }> = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const cell = (c: ImportColumn) => row[c]?.trim() ?? '';
    const employeeId = cell('employeeId');
    const detail = {
      eventId: `import-${employeeId}`,
      occurredAt,
      employeeId,
      name: cell('name'),
      gender: cell('gender'),
      birthDate: cell('birthDate'),
      email: cell('email'),
      ...(cell('mobile') ? { mobile: cell('mobile') } : {}),
      department: { code: cell('departmentCode'), name: cell('departmentName') },
      ...(cell('position') ? { position: cell('position') } : {}),
      category: cell('category'),
      employmentType: cell('employmentType'),
      hireDate: cell('hireDate'),
    };
    const check = employeeHiredDetail.safeParse(detail);
    if (!check.success) {
      reject(
        row,
        check.error.issues.map((i) => ({ field: columnOf(i.path), message: i.message })),
      );
      continue;
    }
    const first = seen.get(employeeId);
    if (first !== undefined) {
      reject(row, [{ field: 'employeeId', message: `与第 ${first} 行重复 / repeats line ${first}` }]);
      continue;
    }
    seen.set(employeeId, row.line);
    parsed.push({
      row,
      event: {
        version: '0',
        id: detail.eventId,
        source: 'university.hr',
        'detail-type': 'EmployeeHired',
        detail: check.data,
      },
    });
  }

  const ids = parsed.map((x) => x.event.detail.employeeId);
  const [before, branches] = await Promise.all([
    deps.repo.load(ids),
    deps.repo.branchesFor([
      ...new Set(parsed.map((x) => (x.event.detail as { department: { code: string } }).department.code)),
    ]),
  ]);
  const toApply: typeof parsed = [];
  for (const x of parsed) {
    const id = x.event.detail.employeeId;
    const existing = before.get(id);
    if (existing?.enrolled) {
      results.push({
        line: x.row.line,
        employeeId: id,
        outcome: 'already_member',
        memberId: existing.memberId,
        membershipNumber: existing.membershipNumber ?? null,
        status: existing.status ?? null,
        branch: existing.branch ?? null,
      });
      continue;
    }
    // HR has told of this person's departure or retirement: the file is older than HR's word.
    if (existing?.status && existing.status !== 'active') {
      reject(x.row, [
        {
          field: 'employeeId',
          message: `人事处已报告该职工为 ${existing.status}（${existing.statusSince ?? ''}），如确需入会请单独办理 / HR reports this person as ${existing.status}; enrol them by hand if they are staff again`,
        },
      ]);
      continue;
    }
    const code = (x.event.detail as { department: { code: string } }).department.code;
    const branch = branches.get(code) ?? SCHOOL_UNION;
    if (!isManager(p) && branch.code !== p.branch) {
      reject(x.row, [
        {
          field: 'departmentCode',
          message: `部门 ${code} 属于 ${branch.name}（${branch.code}），不是本分工会 / Department ${code} belongs to branch ${branch.code}: officers import into their own branch`,
        },
      ]);
      continue;
    }
    toApply.push(x);
  }

  for (let i = 0; i < toApply.length; i += BATCH) {
    await applyHrEvents(
      toApply.slice(i, i + BATCH).map((x) => x.event),
      deps,
      'import',
    );
  }
  const after = await deps.repo.load(toApply.map((x) => x.event.detail.employeeId));
  for (const x of toApply) {
    const m = after.get(x.event.detail.employeeId);
    if (m?.enrolled && m.membershipNumber && m.branch) {
      results.push({
        line: x.row.line,
        employeeId: m.employeeId,
        outcome: 'enrolled',
        memberId: m.memberId,
        membershipNumber: m.membershipNumber,
        branch: m.branch,
        branchAssignedByDefault: m.branchAssignedByDefault ?? false,
      });
    } else {
      reject(x.row, [
        { field: 'employeeId', message: '入会未完成，请重试 / The enrolment did not complete; try again' },
      ]);
    }
  }
  results.sort((a, b) => a.line - b.line);
  const count = (o: ImportRowResult['outcome']) => results.filter((r) => r.outcome === o).length;
  return {
    rows: rows.length,
    enrolled: count('enrolled'),
    alreadyMembers: count('already_member'),
    rejected: count('rejected'),
    results,
  };
};
