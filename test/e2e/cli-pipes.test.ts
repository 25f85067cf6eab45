/**
 * `gonghui members list --json | …` with 2,000 members: more than 1 MiB of JSON through a real
 * pipe, to a fast reader and to a slow one, arrives whole and parses (it used to stop at 64 KiB:
 * the CLI exited before stdout had drained). The members come in through `gonghui members
 * import`, the initial load of existing staff.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS, importMembers } from '../../infra/cli/commands/members.ts';
import { gonghuiThroughPipes } from '../support/cli-pipe.ts';
import { runtime, uniqueId, waitIdle } from './support.ts';

const MEMBERS = 2_000;
const MIB = 1024 * 1024;

describe('gonghui members list --json through a pipe', () => {
  const ids = Array.from({ length: MEMBERS }, (_, i) => uniqueId(`PIPE${i}X`));

  beforeAll(async () => {
    const file = join(tmpdir(), `gonghui-import-${ids[0]}.csv`);
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
    const summary = await importMembers(file, {});
    expect(summary).toMatchObject({ rows: MEMBERS, rejected: [] });
    // Their welcome mails go out before the next test file starts.
    await waitIdle(180_000);
  }, 300_000);

  it.each([
    ['a fast reader', 0],
    ['a slow reader', 40],
  ])('arrives whole at %s: over 1 MiB that parses, every member in it', async (_, pauseMs) => {
    const run = await gonghuiThroughPipes(['members', 'list', '--json'], {
      pauseMs,
      env: { GONGHUI_DATA_DIR: runtime().dataDir },
    });
    expect(run.stderr.toString('utf8')).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(MIB);
    const members = JSON.parse(run.stdout.toString('utf8')) as Array<{ employeeId: string }>;
    const listed = new Set(members.map((m) => m.employeeId));
    expect(ids.filter((id) => !listed.has(id))).toEqual([]);
  });
});
