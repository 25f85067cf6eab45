/**
 * `gonghui members import FILE.csv` (the initial load of existing staff) and
 * `gonghui members list --json`. The import is the use case `POST /members/import` runs (the same
 * rows, the same checks, the hire's use case underneath), a chunk at a time; re-running it
 * changes nothing for rows already enrolled.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  dynamoMemberRepository,
  memberFromItem,
} from '../../../shared/adapters/member-repository-dynamodb.ts';
import { newId } from '../../../shared/domain/ids.ts';
import {
  IMPORT_COLUMNS,
  type ImportRow,
  importMembers as importUseCase,
  MAX_IMPORT_ROWS,
} from '../../../shared/domain/members/import-members.ts';
import type { Member } from '../../../shared/domain/members/member.ts';
import { pendingBranches, pendingTransferOf } from '../../../shared/domain/members/members-service.ts';
import { CliError, loadRuntimeInfo, localClientConfig } from '../runtime-info.ts';

/** Rows per call of the import use case: the chunk the API takes too. */
const CHUNK = MAX_IMPORT_ROWS;

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
  const [header, ...cells] = records;
  const missing = IMPORT_COLUMNS.filter((c) => !header?.includes(c));
  if (!header || missing.length) throw new CliError(`${file}: the header lacks ${missing.join(', ')}`);
  const rows: ImportRow[] = cells.map((row, i) => ({
    line: i + 2,
    ...Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, row[header.indexOf(c)] ?? ''])),
  }));

  const { db, table } = dbFor(opts);
  const repo = dynamoMemberRepository(db, table);
  const deps = { repo, membershipPrefix: opts.prefix ?? 'GLU', now: () => new Date(), newId };
  // The operator's import: the whole union, as the chair's or an admin's would be.
  const operator = { sub: 'cli', roles: new Set(['admin'] as const) };
  const summary: ImportSummary = { rows: rows.length, enrolled: 0, alreadyMembers: 0, rejected: [] };
  progress(0, rows.length);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const result = await importUseCase(operator, () => rows.slice(i, i + CHUNK), deps);
    summary.enrolled += result.enrolled;
    summary.alreadyMembers += result.alreadyMembers;
    for (const r of result.results)
      if (r.outcome === 'rejected')
        summary.rejected.push({
          line: r.line,
          reason: r.reasons.map((x) => `${x.field}: ${x.message}`).join('; '),
        });
    progress(Math.min(i + CHUNK, rows.length), rows.length);
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
