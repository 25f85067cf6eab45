/**
 * `gonghui members import FILE.csv` (the initial load of existing staff) and
 * `gonghui members list --json`. The import goes through the same use case as HR's hires, in
 * batches; re-running it changes nothing for rows already enrolled.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { parse as parseCsv } from 'csv-parse/sync';
import { employeeHiredDetail, type HrEvent } from '../../../events/hr.ts';
import {
  dynamoMemberRepository,
  memberFromItem,
} from '../../../shared/adapters/member-repository-dynamodb.ts';
import { newId } from '../../../shared/domain/ids.ts';
import { applyHrEvents } from '../../../shared/domain/members/apply-hr-events.ts';
import type { Member } from '../../../shared/domain/members/member.ts';
import { pendingBranches, pendingTransferOf } from '../../../shared/domain/members/members-service.ts';
import { CliError, loadRuntimeInfo, localClientConfig } from '../runtime-info.ts';

/** Columns of the import file, in the order the template has them. */
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

/** Rows per transaction: 1 counter + 2 items per row stays well under DynamoDB's 100. */
const BATCH = 25;

const dbFor = (opts: { aws?: boolean; table?: string }) => {
  if (opts.aws) {
    if (!opts.table) throw new CliError('--aws needs --table NAME (the deployed stack prints it)');
    return {
      db: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
        marshallOptions: { removeUndefinedValues: true },
      }),
      table: opts.table,
    };
  }
  const info = loadRuntimeInfo();
  return {
    db: DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    table: info.tableName,
  };
};

export interface ImportSummary {
  rows: number;
  enrolled: number;
  alreadyMembers: number;
  rejected: Array<{ line: number; reason: string }>;
}

const progress = (done: number, total: number) => {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
};

export const importMembers = async (
  file: string,
  opts: { aws?: boolean; table?: string; prefix?: string },
) => {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8').replace(/^\uFEFF/, '');
  let records: string[][];
  try {
    records = parseCsv(text, { skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    throw new CliError(`${file}: not a CSV file (${(error as Error).message})`);
  }
  const [header, ...rows] = records;
  const missing = IMPORT_COLUMNS.filter((c) => !header?.includes(c));
  if (!header || missing.length) throw new CliError(`${file}: the header lacks ${missing.join(', ')}`);
  const col = (row: string[], name: (typeof IMPORT_COLUMNS)[number]) => row[header.indexOf(name)] ?? '';

  const summary: ImportSummary = { rows: rows.length, enrolled: 0, alreadyMembers: 0, rejected: [] };
  const valid: Array<{ line: number; event: HrEvent }> = [];
  const seen = new Map<string, number>();
  const occurredAt = new Date().toISOString();
  rows.forEach((row, i) => {
    const line = i + 2;
    const employeeId = col(row, 'employeeId');
    const detail = {
      eventId: `import-${employeeId}`,
      occurredAt,
      employeeId,
      name: col(row, 'name'),
      gender: col(row, 'gender'),
      birthDate: col(row, 'birthDate'),
      email: col(row, 'email'),
      ...(col(row, 'mobile') ? { mobile: col(row, 'mobile') } : {}),
      department: { code: col(row, 'departmentCode'), name: col(row, 'departmentName') },
      ...(col(row, 'position') ? { position: col(row, 'position') } : {}),
      category: col(row, 'category'),
      employmentType: col(row, 'employmentType'),
      hireDate: col(row, 'hireDate'),
    };
    const parsed = employeeHiredDetail.safeParse(detail);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ');
      summary.rejected.push({ line, reason });
      return;
    }
    if (seen.has(employeeId)) {
      summary.rejected.push({
        line,
        reason: `employeeId ${employeeId} repeats line ${seen.get(employeeId)}`,
      });
      return;
    }
    seen.set(employeeId, line);
    valid.push({
      line,
      event: {
        version: '0',
        id: detail.eventId,
        source: 'university.hr',
        'detail-type': 'EmployeeHired',
        detail: parsed.data,
      },
    });
  });

  const { db, table } = dbFor(opts);
  const repo = dynamoMemberRepository(db, table);
  const deps = { repo, membershipPrefix: opts.prefix ?? 'GLU', now: () => new Date(), newId };
  progress(0, valid.length);
  for (let i = 0; i < valid.length; i += BATCH) {
    const batch = valid.slice(i, i + BATCH);
    const result = await applyHrEvents(
      batch.map((b) => b.event),
      deps,
      'import',
    );
    summary.enrolled += result.enrolled;
    summary.alreadyMembers += batch.length - result.enrolled;
    progress(Math.min(i + BATCH, valid.length), valid.length);
  }
  return summary;
};

export const listMembers = async (opts: { aws?: boolean; table?: string }) => {
  const { db, table } = dbFor(opts);
  const stored: Member[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk',
        ExpressionAttributeValues: { ':pk': 'MEMBERS' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) stored.push(memberFromItem(item));
    start = out.LastEvaluatedKey;
  } while (start);
  const branches = await pendingBranches(stored, dynamoMemberRepository(db, table));
  return stored.map((m) => {
    const pending = pendingTransferOf(m, branches);
    return {
      memberId: m.memberId,
      employeeId: m.employeeId,
      membershipNumber: m.membershipNumber,
      name: m.name,
      email: m.email,
      status: m.status,
      branch: m.branch?.code,
      branchName: m.branch?.name,
      department: m.department?.code,
      departmentName: m.department?.name,
      gender: m.gender,
      joinedOn: m.joinedOn,
      // A transfer HR announced ahead: where the member goes, and from when.
      pendingTransfer: pending && {
        department: pending.department.code,
        departmentName: pending.department.name,
        branch: pending.branch.code,
        branchName: pending.branch.name,
        effectiveDate: pending.effectiveDate,
      },
    };
  });
};
