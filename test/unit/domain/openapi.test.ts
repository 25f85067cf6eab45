import { describe, expect, it } from 'vitest';
import { routes } from '../../../infra/topology.ts';
import { ACTIONS } from '../../../shared/domain/proposals/proposal.ts';
import { apiOperations } from '../../../shared/http/api-operations.ts';
import { buildOpenApi } from '../../../shared/http/openapi.ts';

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
});
