/** members-api: thin routes over the members use cases. */
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoMemberDirectory } from '../shared/adapters/member-directory-dynamodb.ts';
import { dynamoMemberRepository } from '../shared/adapters/member-repository-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { newId } from '../shared/domain/ids.ts';
import { acceptInvitation } from '../shared/domain/members/accept-invitation.ts';
import { importMembers, importTemplate } from '../shared/domain/members/import-members.ts';
import {
  enrolManually,
  getMember,
  leaveUnion,
  listDepartments,
  listMembers,
  type MembersDeps,
  mapDepartment,
  memberHistory,
  myMembership,
} from '../shared/domain/members/members-service.ts';
import { httpApi } from '../shared/http/api.ts';
import { invitationPage } from '../shared/http/invitation-page.ts';
import {
  acceptInvitationBody,
  departmentBody,
  importBody,
  leaveBody,
  manualEnrolmentBody,
  memberListQuery,
} from '../shared/http/members-schemas.ts';
import { principalOf } from '../shared/http/principal.ts';
import { json } from '../shared/http/responses.ts';

const tableName = readEnv(ENV.tableName);
const db = dynamoDocumentClient();
const deps: MembersDeps = {
  repo: dynamoMemberRepository(db, tableName),
  directory: dynamoMemberDirectory(db, tableName),
  membershipPrefix: readEnv(ENV.membershipPrefix),
  now: () => new Date(),
  newId,
};

export const handler = httpApi({
  'GET /invitations': async () => invitationPage(),
  'POST /invitations/{id}/accept': async (req) =>
    json(200, await acceptInvitation(req.path.id!, () => acceptInvitationBody.parse(req.json({})), deps)),
  'GET /members/me': async (req) => json(200, await myMembership(principalOf(req.event), deps)),
  'GET /members': async (req) => {
    const query = () => {
      const q = memberListQuery.parse(req.query);
      return {
        limit: q.limit ?? 50,
        ...(q.branch ? { branch: q.branch } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.q ? { text: q.q } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      };
    };
    return json(200, await listMembers(principalOf(req.event), query, deps));
  },
  'POST /members': async (req) => {
    const principal = principalOf(req.event);
    return json(201, await enrolManually(principal, () => manualEnrolmentBody.parse(req.json({})), deps));
  },
  'GET /members/{id}': async (req) => json(200, await getMember(principalOf(req.event), req.path.id!, deps)),
  'GET /members/{id}/history': async (req) =>
    json(200, await memberHistory(principalOf(req.event), req.path.id!, deps)),
  'POST /members/import': async (req) =>
    json(200, await importMembers(principalOf(req.event), () => importBody.parse(req.json({})).rows, deps)),
  // The header of the import file, with a BOM so that spreadsheet programs read it as UTF-8.
  'GET /members/import/template.csv': async (req) => ({
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="members-import-template.csv"',
      'cache-control': 'no-store',
    },
    body: `\uFEFF${importTemplate(principalOf(req.event)).join(',')}\r\n`,
  }),
  'POST /members/{id}/leave': async (req) => {
    const principal = principalOf(req.event);
    return json(200, await leaveUnion(principal, req.path.id!, () => leaveBody.parse(req.json({})), deps));
  },
  'GET /departments': async (req) => json(200, await listDepartments(principalOf(req.event), deps)),
  'PUT /departments/{code}': async (req) => {
    const principal = principalOf(req.event);
    return json(
      200,
      await mapDepartment(principal, req.path.code!, () => departmentBody.parse(req.json({})), deps),
    );
  },
});
