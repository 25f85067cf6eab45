/** Who may list life-event requests is decided before anyone reads what they asked for. */
import { describe, expect, it } from 'vitest';
import { listRequests, type RequestDeps } from '../../../shared/domain/care/requests.ts';
import { Forbidden, InvalidInput } from '../../../shared/domain/errors.ts';
import type { Principal, Role } from '../../../shared/domain/principal.ts';

const who = (roles: Role[], branch?: string): Principal => ({
  sub: 'T1',
  roles: new Set(roles),
  ...(branch ? { branch } : {}),
});

const asked: Array<[string | undefined, string | undefined]> = [];
const deps = {
  requests: {
    list: async (status: string | undefined, branch: string | undefined) => {
      asked.push([status, branch]);
      return [];
    },
  },
} as unknown as RequestDeps;

const badFilter = () => {
  throw new InvalidInput('bad status');
};

describe('listRequests', () => {
  it('refuses a caller without the role with 403 even when the filter is invalid', async () => {
    // Seen: a member's `GET /care/requests?status=x` answered 400, not 403.
    await expect(listRequests(who(['member']), badFilter, deps)).rejects.toBeInstanceOf(Forbidden);
    await expect(listRequests(who(['officer']), badFilter, deps)).rejects.toBeInstanceOf(Forbidden);
    expect(asked).toEqual([]);
  });

  it('reads the filter for those who may list: officers their branch, the chair everything', async () => {
    await expect(listRequests(who(['officer'], 'B1'), badFilter, deps)).rejects.toBeInstanceOf(InvalidInput);
    await listRequests(who(['officer'], 'B1'), () => 'pending', deps);
    await listRequests(who(['chair']), () => undefined, deps);
    expect(asked).toEqual([
      ['pending', 'B1'],
      [undefined, undefined],
    ]);
  });
});
