import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isClean, lintOpenApi } from '../../../infra/dev/lint-openapi.ts';
import { routes } from '../../../infra/topology.ts';
import { ACTIONS } from '../../../shared/domain/proposals/proposal.ts';
import { apiOperations } from '../../../shared/http/api-operations.ts';
import { buildOpenApi, OPERATION_ID } from '../../../shared/http/openapi.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('OpenAPI document', () => {
  it('documents every route of the topology, and only those', () => {
    const documented = new Set(apiOperations.map((o) => `${o.method.toUpperCase()} ${o.path}`));
    const wired = new Set(
      routes().flatMap((r) =>
        r.path === '/proposals/{id}/{action}'
          ? ACTIONS.map((a) => `${r.method} /proposals/{id}/${a}`)
          : r.path === '/care/requests/{id}/{decision}'
            ? ['approve', 'reject'].map((d) => `${r.method} /care/requests/{id}/${d}`)
            : [`${r.method} ${r.path}`],
      ),
    );
    expect([...documented].sort()).toEqual([...wired].sort());
  });

  it('marks the public routes as such and builds request schemas from zod', () => {
    const doc = buildOpenApi(apiOperations, { title: 't', version: '1' }) as {
      paths: Record<string, Record<string, { security: unknown[]; requestBody?: unknown }>>;
    };
    expect(doc.paths['/health']!.get!.security).toEqual([]);
    expect(doc.paths['/proposals']!.post!.security).toEqual([{ bearerAuth: [] }]);
    expect(JSON.stringify(doc.paths['/proposals/{id}/review']!.post!.requestBody)).toContain('mergeInto');
  });

  it('names every operation once, in lowerCamelCase', () => {
    const ids = apiOperations.map((o) => o.operationId);
    expect(ids.filter((id) => !OPERATION_ID.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(OPERATION_ID.test('getCareLedgerCsv')).toBe(true);
    expect(['GetMember', 'get_member', 'get-member', '1get'].filter((id) => OPERATION_ID.test(id))).toEqual(
      [],
    );
  });

  it('lints clean with Redocly’s recommended rules, offline: 0 errors, 0 warnings', async () => {
    const result = await lintOpenApi(join(ROOT, 'node_modules', '.cache', 'gonghui', 'openapi-test.json'));
    expect(result.problems).toEqual([]);
    expect(result.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
    expect(result.stderr).not.toContain('network access refused');
    expect(isClean(result)).toBe(true);
  });

  it('runs the linter where any network access fails it (the guard itself works)', () => {
    const tries = spawnSync(
      process.execPath,
      [
        '--import',
        join(ROOT, 'infra', 'dev', 'no-network.mjs'),
        '--input-type=module',
        '-e',
        "await fetch('https://registry.invalid/').catch(() => {}); console.log('carried on');",
      ],
      { encoding: 'utf8' },
    );
    expect(tries.stdout).toContain('carried on');
    expect(tries.stderr).toContain('registry.invalid');
    expect(tries.status).toBe(1);
  });
});
