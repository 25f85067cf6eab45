/**
 * The union-life API (activities, mutual aid, awards), typed from the OpenAPI document. CSV
 * downloads go through the same client (the token rides on the request), as Blobs.
 */
import { api, call } from '../app/api/client';
import type { paths } from '../app/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Body<P extends keyof paths, M extends 'post' | 'put'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type Activity = Json<paths['/activities/{id}']['get']['responses'][200]>;
export type ActivitySummary = Json<paths['/activities']['get']['responses'][200]>['items'][number];
export type Registration = NonNullable<Activity['mine']>;
export type NewActivity = Body<'/activities', 'post'>;
export type ActivityKind = NewActivity['kind'];
export type Eligibility = NewActivity['eligibility'];
export type FamilyMember = NonNullable<Body<'/activities/{id}/register', 'post'>['familyMembers']>[number];
export type FamilyRelation = FamilyMember['relation'];
export type Participants = Json<paths['/activities/{id}/participants']['get']['responses'][200]>;
export type Participant = Participants['confirmed'][number];

export type MutualAidWindow = Json<paths['/mutual-aid/{year}']['get']['responses'][200]>;
export type MutualAidWindowBody = Body<'/mutual-aid/{year}', 'put'>;

export type Award = Json<paths['/awards/{id}']['get']['responses'][200]>;
export type AwardSummary = Json<paths['/awards']['get']['responses'][200]>['items'][number];
export type AwardPhase = AwardSummary['phase'];
export type NewAward = Body<'/awards', 'post'>;
export type AwardKind = NewAward['kind'];
export type Nomination = Json<paths['/awards/{id}/nominations']['get']['responses'][200]>['items'][number];
export type AwardResults = Json<paths['/awards/{id}/results']['get']['responses'][200]>;

export const ACTIVITY_KINDS: readonly ActivityKind[] = [
  'sports_meet',
  'family_sports',
  'club',
  'recuperation',
  'other',
];
export const FAMILY_RELATIONS: readonly FamilyRelation[] = ['spouse', 'child', 'parent', 'other'];
/** At most this many family members per registration (the API's MAX_FAMILY). */
export const MAX_FAMILY = 6;
export const AWARD_KINDS: readonly AwardKind[] = [
  'most_beautiful_family',
  'advanced_individual',
  'model_worker',
  'other',
];

// ---- activities ----

export const listActivities = () => call(api.GET('/activities'));

export const getActivity = (id: string) => call(api.GET('/activities/{id}', { params: { path: { id } } }));

export const createActivity = (body: NewActivity) => call(api.POST('/activities', { body }));

export const registerFor = (id: string, familyMembers: FamilyMember[]) =>
  call(
    api.POST('/activities/{id}/register', {
      params: { path: { id } },
      body: familyMembers.length ? { familyMembers } : {},
    }),
  );

export const cancelRegistration = (id: string) =>
  call(api.POST('/activities/{id}/cancel', { params: { path: { id } }, body: {} }));

export const participants = (id: string) =>
  call(api.GET('/activities/{id}/participants', { params: { path: { id } } }));

export const participantsCsv = (id: string) =>
  call(
    api.GET('/activities/{id}/participants', {
      params: { path: { id }, query: { format: 'csv' } },
      parseAs: 'blob',
    }),
  );

// ---- mutual aid ----

export const getMutualAid = (year: number) =>
  call(api.GET('/mutual-aid/{year}', { params: { path: { year: String(year) } } }));

export const putMutualAid = (year: number, body: MutualAidWindowBody) =>
  call(api.PUT('/mutual-aid/{year}', { params: { path: { year: String(year) } }, body }));

export const chooseMutualAid = (year: number, enrol: boolean) =>
  call(api.POST('/mutual-aid/{year}/choice', { params: { path: { year: String(year) } }, body: { enrol } }));

export const mutualAidCsv = (year: number) =>
  call(
    api.GET('/mutual-aid/{year}/enrolled.csv', {
      params: { path: { year: String(year) } },
      parseAs: 'blob',
    }),
  );

// ---- awards ----

export const listAwards = () => call(api.GET('/awards'));

export const getAward = (id: string) => call(api.GET('/awards/{id}', { params: { path: { id } } }));

export const createAward = (body: NewAward) => call(api.POST('/awards', { body }));

export const listNominations = (id: string) =>
  call(api.GET('/awards/{id}/nominations', { params: { path: { id } } }));

export const nominate = (id: string, employeeId: string, citation: string) =>
  call(api.POST('/awards/{id}/nominations', { params: { path: { id } }, body: { employeeId, citation } }));

export const setShortlist = (id: string, nominationIds: string[]) =>
  call(api.POST('/awards/{id}/shortlist', { params: { path: { id } }, body: { nominationIds } }));

export const vote = (id: string, nominationId: string) =>
  call(api.POST('/awards/{id}/vote', { params: { path: { id } }, body: { nominationId } }));

export const awardResults = (id: string) =>
  call(api.GET('/awards/{id}/results', { params: { path: { id } } }));
