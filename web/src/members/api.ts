import { api, call } from '../app/api/client';
import type { paths } from '../app/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type MemberCare = Json<paths['/members/{id}/care']['get']['responses'][200]>;
export type CareEntry = MemberCare['entries'][number];

export const getMyMembership = () => call(api.GET('/members/me'));

/** The care a member received in a year (this year in Shanghai when none is given), from the ledger. */
export const getMemberCare = (memberId: string, year?: number) =>
  call(
    api.GET('/members/{id}/care', {
      params: { path: { id: memberId }, query: year ? { year: String(year) } : {} },
    }),
  );
