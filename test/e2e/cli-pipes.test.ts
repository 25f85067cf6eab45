/**
 * `gonghui members list --json | …` with 2,000 members: more than 1 MiB of JSON through a real
 * pipe, to a fast reader and to a slow one, arrives whole and parses (it used to stop at 64 KiB:
 * the CLI exited before stdout had drained). The members come in through `gonghui members
 * import`, the initial load of existing staff, in a runtime of this file's own: 2,000 active
 * members (and their welcome mails) in the shared one would make every later fan-out over all
 * members (holidays, birthdays) 2,000 members heavier.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { IMPORT_COLUMNS } from '../../shared/domain/members/import-members.ts';
import { gonghuiThroughPipes } from '../support/cli-pipe.ts';

const MEMBERS = 2_000;
const MIB = 1024 * 1024;

let rt: Runtime;
let dataDir: string;
const run = Date.now().toString(36).toUpperCase();
const ids = Array.from({ length: MEMBERS }, (_, i) => `PIPE${run}X${i}`);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gonghui-pipes-'));
  rt = await startRuntime({ dataDir, port: 0, sesMaxSendRate: 200 });
  const file = join(dataDir, 'import.csv');
  const rows = ids.map((employeeId, i) => ({
    employeeId,
    name: `管道测试会员${i}号（继续教育学院外聘）`,
    gender: i % 2 ? 'male' : 'female',
    birthDate: '1990-05-17',
    email: `${employeeId.toLowerCase()}@example.edu.cn`,
    mobile: '',
    departmentCode: 'PIPE',
    departmentName: '马克思主义学院与继续教育学院联合教学研究中心（筹）',
    position: '',
    category: 'teaching',
    employmentType: 'permanent',
    hireDate: '2020-09-01',
  }));
  writeFileSync(file, stringify(rows, { header: true, columns: [...IMPORT_COLUMNS] }));
  const imported = await gonghuiThroughPipes(['members', 'import', file, '--json'], {
    env: { GONGHUI_DATA_DIR: dataDir },
  });
  expect(imported.code, imported.stderr.toString('utf8')).toBe(0);
  expect(JSON.parse(imported.stdout.toString('utf8'))).toMatchObject({ rows: MEMBERS, rejected: [] });
}, 300_000);

afterAll(async () => {
  await rt?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('gonghui members list --json through a pipe', () => {
  it.each([
    ['a fast reader', 0],
    ['a slow reader', 40],
  ])('arrives whole at %s: over 1 MiB that parses, every member in it', async (_, pauseMs) => {
    const listed = await gonghuiThroughPipes(['members', 'list', '--json'], {
      pauseMs,
      env: { GONGHUI_DATA_DIR: dataDir },
    });
    expect(listed.stderr.toString('utf8')).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout.length).toBeGreaterThan(MIB);
    const members = JSON.parse(listed.stdout.toString('utf8')) as Array<{ employeeId: string }>;
    const seen = new Set(members.map((m) => m.employeeId));
    expect(ids.filter((id) => !seen.has(id))).toEqual([]);
  });
});
