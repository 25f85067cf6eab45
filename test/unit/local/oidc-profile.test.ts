import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../../infra/local/oidc.ts';

describe('the local sign-in’s profile (the form and /dev/sign-in)', () => {
  it('takes a 工号, known roles and the claims they need', () => {
    expect(parseProfile({ sub: ' T1001 ', roles: 'delegate, member,delegate' })).toEqual({
      sub: 'T1001',
      groups: ['delegate', 'member'],
    });
    expect(parseProfile({ sub: 'L1', roles: ['department'], department: 'LOG' })).toEqual({
      sub: 'L1',
      groups: ['department'],
      department: 'LOG',
    });
    expect(parseProfile({ sub: 'O1', roles: 'officer', branch: 'B01', department: '' })).toEqual({
      sub: 'O1',
      groups: ['officer'],
      branch: 'B01',
    });
  });

  it('names every problem', () => {
    const r = parseProfile({ sub: 'a b', roles: 'president,officer,department', branch: 'x y' });
    expect('errors' in r && r.errors).toEqual([
      'sub: 工号 is 1–64 letters, digits, . _ -',
      'roles: unknown president; roles are member, delegate, committee, department, officer, chair, admin, auditor',
      'branch: a code of letters, digits, . _ -',
      'department: required with the department role',
    ]);
    expect(parseProfile({ sub: 'T1', roles: '' })).toEqual({ errors: ['roles: at least one'] });
  });
});
