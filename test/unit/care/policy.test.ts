import { describe, expect, it } from 'vitest';
import { decideGrant, DEFAULT_CARE_POLICY as policy, policyOn } from '../../../shared/domain/care/policy.ts';

const active = {
  enrolled: true,
  status: 'active' as const,
  gender: 'female' as const,
  joinedOn: '2026-01-01',
};

describe('care policy', () => {
  it('grants in full within the cap, reduces at the cap, skips past it', () => {
    const rule = policy.occasions.mid_autumn!;
    expect(decideGrant(active, rule, 'all', '2026-09-24', 0, 200000)).toEqual({
      grant: true,
      amountFen: 30000,
      reason: 'full',
    });
    expect(decideGrant(active, rule, 'all', '2026-09-24', 190000, 200000)).toEqual({
      grant: true,
      amountFen: 10000,
      reason: 'reduced_by_cap',
    });
    expect(decideGrant(active, rule, 'all', '2026-09-24', 200000, 200000)).toMatchObject({
      grant: false,
      reason: 'skipped_cap_reached',
    });
  });

  it('keeps women-only and retirees-only occasions to their audience', () => {
    expect(
      decideGrant({ ...active, gender: 'male' }, policy.occasions.womens_day!, 'women', '2026-03-06', 0, 1e9),
    ).toMatchObject({ grant: false, detail: 'women only' });
    expect(
      decideGrant(active, policy.occasions.double_ninth!, 'retirees', '2026-10-16', 0, 1e9),
    ).toMatchObject({ grant: false });
    expect(
      decideGrant(
        { ...active, status: 'retired' },
        policy.occasions.double_ninth!,
        'retirees',
        '2026-10-16',
        0,
        1e9,
      ),
    ).toMatchObject({ grant: true });
    expect(
      decideGrant(
        { ...active, status: 'retired' },
        policy.occasions.mid_autumn!,
        'all',
        '2026-09-24',
        0,
        1e9,
      ),
    ).toMatchObject({ grant: false });
  });

  it('counts a member who joined the day before, not one who joins later or has left', () => {
    expect(
      decideGrant(
        { ...active, joinedOn: '2026-09-23' },
        policy.occasions.mid_autumn!,
        'all',
        '2026-09-24',
        0,
        1e9,
      ),
    ).toMatchObject({ grant: true });
    expect(
      decideGrant(
        { ...active, joinedOn: '2026-10-01' },
        policy.occasions.mid_autumn!,
        'all',
        '2026-09-24',
        0,
        1e9,
      ),
    ).toMatchObject({ grant: false });
    expect(
      decideGrant({ ...active, status: 'left' }, policy.occasions.mid_autumn!, 'all', '2026-09-24', 0, 1e9),
    ).toMatchObject({ grant: false });
  });

  it('takes the policy in force on the day', () => {
    const later = { ...policy, effectiveFrom: '2026-07-01', caps: { ...policy.caps, holiday: 100 } };
    expect(policyOn('2026-06-30', [later]).caps.holiday).toBe(policy.caps.holiday);
    expect(policyOn('2026-07-01', [later]).caps.holiday).toBe(100);
  });
});
