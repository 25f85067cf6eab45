/**
 * Deployment parameters, read from CDK context (`-c key=value` on the command line, or the
 * `context` block of cdk.json / cdk.context.json) and checked before anything is built, so a
 * typo fails `cdk synth` with one clear line instead of a deployed stack that cannot send mail.
 *
 *   jwtIssuer          HTTPS issuer URL of the university SSO (OIDC). Optional: without it the
 *                      stack creates a Cognito user pool and app client and trusts those instead.
 *   jwtAudience        The `aud` (or `client_id`) the SSO puts in tokens for this API.
 *                      Required with jwtIssuer, not allowed without it.
 *   hrAccountId        12-digit AWS account of the HR system, allowed to PutEvents on the bus
 *                      (only events whose source is HR's). Optional: same-account publishers
 *                      need no bus policy.
 *   sesIdentity        Domain (`union.example.edu.cn`) or address the stack verifies in SES.
 *   mailFrom           Sender, `addr@domain` or `Name <addr@domain>`; the address must belong to
 *                      sesIdentity. ASCII only: SES wants a non-ASCII display name MIME-encoded.
 *   sesMaxSendRate     The account's SES maximum send rate, mails per second. Default 14.
 *   membershipPrefix   Prefix of membership numbers (`GLU-2026-00001`). Default `GLU`.
 *   unionContactEmail  Address members are told to write to.
 *   congressSession    The staff congress's current session (`2026`): new proposals join it.
 *   proposalSecondersRequired  Seconds a proposal needs before review. Default 2.
 *   proposalMaxReassignments   Reassignments after a dissatisfied rating before the proposal
 *                      closes. Default 1.
 *   enrolmentMode      `automatic` (default: HR's hire enrols) or `confirm` (HR's hire sends an
 *                      invitation; the person becomes a member by confirming through its link).
 *   dispatchedStaff    `enrol` (default) or `skip`: dispatched staff (派遣) are then not enrolled
 *                      from HR's hire, and the union office is told to decide by hand.
 *   invitationUrl      HTTPS page the invitation links to (`?member=…&token=…` is appended); it
 *                      shows the invitation and posts to the API's /invitations/{id}/accept.
 *                      Required with enrolmentMode=confirm.
 *   alarmEmail         Optional: subscribed to the alarm topic (it confirms by mail).
 *   webClientId        The web app's client id at the SSO (a public client: code + PKCE, no
 *                      secret). Default: jwtAudience (many SSOs put the client id in `aud`).
 *   webScope           Scopes the web app asks for. Default `openid profile`; the access token
 *                      must carry `groups` (and `branch`, `department`) as the API's do.
 *
 * cdk.json carries example values (example.org) so that `npm run synth` works out of the box;
 * a real deployment overrides them: `npx cdk deploy -c sesIdentity=union.xxx.edu.cn -c ...`.
 */

export interface GonghuiDeploymentProps {
  /** Absent: the stack creates a Cognito user pool and uses its issuer and client id. */
  readonly jwt?: { readonly issuer: string; readonly audience: string };
  readonly hrAccountId?: string;
  readonly sesIdentity: { readonly kind: 'domain' | 'email'; readonly value: string };
  readonly mailFrom: string;
  readonly sesMaxSendRate: number;
  readonly membershipPrefix: string;
  readonly unionContactEmail: string;
  readonly congressSession: string;
  readonly proposalSecondersRequired: number;
  readonly proposalMaxReassignments: number;
  readonly enrolmentMode: 'automatic' | 'confirm';
  readonly dispatchedStaff: 'enrol' | 'skip';
  readonly invitationUrl?: string;
  readonly alarmEmail?: string;
  /** The web app's OIDC client at the SSO (public, PKCE) and the scopes it asks for. */
  readonly web: { readonly clientId?: string; readonly scope: string };
}

export const CONTEXT_KEYS = [
  'jwtIssuer',
  'jwtAudience',
  'hrAccountId',
  'sesIdentity',
  'mailFrom',
  'sesMaxSendRate',
  'membershipPrefix',
  'unionContactEmail',
  'congressSession',
  'proposalSecondersRequired',
  'proposalMaxReassignments',
  'enrolmentMode',
  'dispatchedStaff',
  'invitationUrl',
  'alarmEmail',
  'webClientId',
  'webScope',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

export class DeploymentPropsError extends Error {
  override name = 'DeploymentPropsError';
}

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/;
const DOMAIN =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const ACCOUNT = /^\d{12}$/;
const PREFIX = /^[A-Z][A-Z0-9]{0,9}$/;
const SESSION = /^[\p{L}\p{N}._-]{1,32}$/u;

/** `Name <addr>` or `addr` → `addr`. */
const addressOf = (mailbox: string): string => {
  const angle = /<([^<>]+)>\s*$/.exec(mailbox);
  return (angle?.[1] ?? mailbox).trim();
};

/**
 * Turns raw context values into checked props. `get` returns whatever the context holds for a
 * key (string from `-c`, any JSON from cdk.json); blank strings count as absent. Every problem
 * is reported, not just the first.
 */
export const parseDeploymentProps = (get: (key: ContextKey) => unknown): GonghuiDeploymentProps => {
  const problems: string[] = [];
  const read = (key: ContextKey): string | undefined => {
    const raw = get(key);
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      problems.push(`${key}: expected a string, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    const value = String(raw).trim();
    return value === '' ? undefined : value;
  };
  const required = (key: ContextKey): string => {
    const value = read(key);
    if (value === undefined) problems.push(`${key}: required (-c ${key}=...)`);
    return value ?? '';
  };
  const email = (key: ContextKey, value: string | undefined): void => {
    if (value !== undefined && value !== '' && !EMAIL.test(value)) {
      problems.push(`${key}: "${value}" is not an email address`);
    }
  };

  const jwtIssuer = read('jwtIssuer');
  const jwtAudience = read('jwtAudience');
  if (jwtIssuer !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(jwtIssuer);
    } catch {
      problems.push(`jwtIssuer: "${jwtIssuer}" is not a URL`);
    }
    if (url && url.protocol !== 'https:') problems.push('jwtIssuer: must be an https URL');
    if (jwtAudience === undefined) problems.push('jwtAudience: required when jwtIssuer is set');
  } else if (jwtAudience !== undefined) {
    problems.push('jwtAudience: only meaningful with jwtIssuer (without it the Cognito client id is used)');
  }

  const hrAccountId = read('hrAccountId');
  if (hrAccountId !== undefined && !ACCOUNT.test(hrAccountId)) {
    problems.push(`hrAccountId: "${hrAccountId}" is not a 12-digit AWS account id`);
  }

  const identity = required('sesIdentity');
  let sesIdentity: GonghuiDeploymentProps['sesIdentity'] = { kind: 'domain', value: identity.toLowerCase() };
  if (identity.includes('@')) {
    email('sesIdentity', identity);
    sesIdentity = { kind: 'email', value: identity };
  } else if (identity !== '' && !DOMAIN.test(identity)) {
    problems.push(`sesIdentity: "${identity}" is neither a domain nor an email address`);
  }

  const mailFrom = required('mailFrom');
  if (mailFrom !== '') {
    if (/[^\x20-\x7e]/.test(mailFrom)) {
      problems.push('mailFrom: ASCII only (MIME-encode a non-ASCII display name: =?UTF-8?B?...?=)');
    }
    const address = addressOf(mailFrom);
    const domain = EMAIL.exec(address)?.[1]?.toLowerCase();
    if (!domain) problems.push(`mailFrom: "${mailFrom}" has no valid address`);
    else if (identity !== '' && sesIdentity.kind === 'email') {
      if (address.toLowerCase() !== sesIdentity.value.toLowerCase()) {
        problems.push(`mailFrom: ${address} is not the verified address ${sesIdentity.value}`);
      }
    } else if (identity !== '' && domain !== sesIdentity.value && !domain.endsWith(`.${sesIdentity.value}`)) {
      problems.push(`mailFrom: ${address} is not in the verified domain ${sesIdentity.value}`);
    }
  }

  const rateRaw = read('sesMaxSendRate');
  const sesMaxSendRate = rateRaw === undefined ? 14 : Number(rateRaw);
  if (!Number.isFinite(sesMaxSendRate) || sesMaxSendRate <= 0) {
    problems.push(`sesMaxSendRate: "${rateRaw}" is not a positive number`);
  }

  const membershipPrefix = read('membershipPrefix') ?? 'GLU';
  if (!PREFIX.test(membershipPrefix)) {
    problems.push(`membershipPrefix: "${membershipPrefix}" must be 1-10 capital letters or digits`);
  }

  const unionContactEmail = required('unionContactEmail');
  email('unionContactEmail', unionContactEmail);
  const congressSession = required('congressSession');
  if (congressSession !== '' && !SESSION.test(congressSession)) {
    problems.push(`congressSession: "${congressSession}" must be 1-32 letters, digits, '.', '_' or '-'`);
  }
  const count = (key: ContextKey, fallback: number): number => {
    const raw = read(key);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 0) problems.push(`${key}: "${raw}" is not a whole number`);
    return value;
  };
  const proposalSecondersRequired = count('proposalSecondersRequired', 2);
  const proposalMaxReassignments = count('proposalMaxReassignments', 1);

  const oneOf = <T extends string>(key: ContextKey, values: readonly T[], fallback: T): T => {
    const raw = read(key) ?? fallback;
    if (!(values as readonly string[]).includes(raw))
      problems.push(`${key}: "${raw}" must be one of ${values.join(', ')}`);
    return raw as T;
  };
  const enrolmentMode = oneOf('enrolmentMode', ['automatic', 'confirm'] as const, 'automatic');
  const dispatchedStaff = oneOf('dispatchedStaff', ['enrol', 'skip'] as const, 'enrol');
  const invitationUrl = read('invitationUrl');
  if (invitationUrl !== undefined && !/^https:\/\/[^\s?#]+$/.test(invitationUrl)) {
    problems.push(`invitationUrl: "${invitationUrl}" must be an https URL without query or fragment`);
  }
  if (enrolmentMode === 'confirm' && invitationUrl === undefined) {
    problems.push('invitationUrl: required with enrolmentMode=confirm (the page invitations link to)');
  }

  const alarmEmail = read('alarmEmail');
  email('alarmEmail', alarmEmail);

  const webClientId = read('webClientId');
  if (webClientId !== undefined && !/^[\w.:@-]{1,128}$/.test(webClientId)) {
    problems.push(`webClientId: "${webClientId}" is not a client id`);
  }
  const webScope = read('webScope') ?? 'openid profile';
  if (!webScope.split(' ').includes('openid')) problems.push('webScope: must include openid');

  if (problems.length > 0) {
    throw new DeploymentPropsError(`Invalid deployment parameters:\n  ${problems.join('\n  ')}`);
  }
  return {
    ...(jwtIssuer && jwtAudience ? { jwt: { issuer: jwtIssuer, audience: jwtAudience } } : {}),
    ...(hrAccountId ? { hrAccountId } : {}),
    sesIdentity,
    mailFrom,
    sesMaxSendRate,
    membershipPrefix,
    unionContactEmail,
    congressSession,
    proposalSecondersRequired,
    proposalMaxReassignments,
    enrolmentMode,
    dispatchedStaff,
    ...(invitationUrl ? { invitationUrl } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    web: { ...(webClientId ? { clientId: webClientId } : {}), scope: webScope },
  };
};
