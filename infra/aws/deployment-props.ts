/**
 * Deployment parameters, read from CDK context (`-c key=value` on the command line, or the
 * `context` block of cdk.json / cdk.context.json) and checked before anything is built, so a
 * typo fails `cdk synth` with one clear line instead of a deployed stack that cannot send mail.
 *
 *   region             Optional: the region the stack is for (`cn-northwest-1`). Without it the
 *                      template fits any region of the global partition (`AWS::Partition` at
 *                      deploy time); with a China region (partition aws-cn) the stack creates only
 *                      what the region offers: no Cognito user pool, no SES.
 *   jwtIssuer          HTTPS issuer URL of the university SSO (OIDC). Optional outside aws-cn:
 *                      without it the stack creates a Cognito user pool and app client and trusts
 *                      those instead. Required in aws-cn (no Cognito user pools there).
 *   jwtAudience        The `aud` (or `client_id`) the SSO puts in tokens for this API.
 *                      Required with jwtIssuer, not allowed without it.
 *   hrAccountId        12-digit AWS account of the HR system, allowed to PutEvents on the bus
 *                      (only events whose source is HR's). Optional: same-account publishers
 *                      need no bus policy.
 *   mailTransport      `ses` (default) or `smtp` (the university's own mail server, or a domestic
 *                      provider's SMTP endpoint; required in aws-cn, which has no SES).
 *   sesIdentity        ses: domain (`union.example.edu.cn`) or address the stack verifies in SES.
 *   mailFrom           Sender, `addr@domain` or `Name <addr@domain>`; with ses the address must
 *                      belong to sesIdentity, and ASCII only (SES wants a non-ASCII display name
 *                      MIME-encoded); with smtp any display name (nodemailer encodes it).
 *   sesMaxSendRate     ses: the account's SES maximum send rate, mails per second. Default 14.
 *   smtpHost, smtpPort smtp: the server (port: 587 with starttls, 465 with tls, 25 with none).
 *   smtpTls            smtp: `starttls` (default: the server must offer it), `tls`, or `none`
 *                      (plain text: only for a relay the operator vouches for).
 *   smtpSecret         smtp: the Secrets Manager secret (name or ARN) holding
 *                      {"username","password"[, "ca"]}; only send-email may read it.
 *   smtpSecretKey      smtp, optional: the KMS key ARN the secret is encrypted with, if it is not
 *                      the account's default aws/secretsmanager key (send-email may then decrypt
 *                      with it through Secrets Manager only).
 *   smtpMaxSendRate    smtp: mails per second the server allows this account (required).
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
 *   encryptionKeys     `aws-managed` (default) or `customer-managed`. Both encrypt everything at
 *                      rest and allow TLS only. aws-managed: the table under DynamoDB's AWS
 *                      managed key (aws/dynamodb: every use in CloudTrail, rotated yearly by
 *                      AWS, no monthly fee), the queues under SQS-managed keys (SSE-SQS), the
 *                      alarm topic (alarm names and queue names only) unencrypted. customer-
 *                      managed: two KMS keys of the stack's own (table; queues and alarm topic)
 *                      with key policies the university controls, US$1 a month each plus $1 per
 *                      yearly rotation up to two (BENCHMARKS.md, What it costs: $6 of a 3,000-
 *                      member union's $8.50 a month from the third year).
 *   webClientId        The web app's client id at the SSO (a public client: code + PKCE, no
 *                      secret). Default: jwtAudience (many SSOs put the client id in `aud`).
 *   webScope           Scopes the web app asks for. Default `openid profile`; the access token
 *                      must carry `groups` (and `branch`, `department`) as the API's do.
 *
 * cdk.json carries example values (example.org) so that `npm run synth` works out of the box;
 * a real deployment overrides them: `npx cdk deploy -c sesIdentity=union.xxx.edu.cn -c ...`.
 */

import {
  DEFAULT_SMTP_PORT,
  MAIL_TRANSPORTS,
  SMTP_TLS_MODES,
  type SmtpTlsMode,
} from '../../shared/config/mail-transport.ts';
import { partitionOf } from '../partition.ts';
import { functions } from '../topology.ts';

/**
 * The slowest rate at which send-email still sends a whole batch within its timeout (a fifth of
 * it kept for claims and records): each of its instances gets its share of the rate, and a batch
 * of notifications, a mail each at least, waits for its turns. Slower, batches would time out.
 */
export const slowestMailRate = (): number => {
  const spec = functions['send-email'];
  const [trigger] = spec.triggers;
  const rate = (trigger.batchSize * trigger.maxConcurrency) / (spec.timeoutSeconds * 0.8);
  return Math.ceil(rate * 100) / 100;
};

export type MailSettings =
  | {
      readonly transport: 'ses';
      readonly sesIdentity: { readonly kind: 'domain' | 'email'; readonly value: string };
      readonly maxSendRate: number;
    }
  | {
      readonly transport: 'smtp';
      readonly host: string;
      readonly port: number;
      readonly tls: SmtpTlsMode;
      /** A secret name or a full ARN, as given. */
      readonly secret: string;
      readonly secretKeyArn?: string;
      readonly maxSendRate: number;
    };

export interface GonghuiDeploymentProps {
  /** Absent: an environment-agnostic template (any region of the global partition). */
  readonly region?: string;
  /** Absent: the stack creates a Cognito user pool and uses its issuer and client id. */
  readonly jwt?: { readonly issuer: string; readonly audience: string };
  readonly hrAccountId?: string;
  readonly mail: MailSettings;
  readonly mailFrom: string;
  readonly membershipPrefix: string;
  readonly unionContactEmail: string;
  readonly congressSession: string;
  readonly proposalSecondersRequired: number;
  readonly proposalMaxReassignments: number;
  readonly enrolmentMode: 'automatic' | 'confirm';
  readonly dispatchedStaff: 'enrol' | 'skip';
  readonly invitationUrl?: string;
  readonly alarmEmail?: string;
  /** Who holds the keys that encrypt the table, the queues and the alarm topic (header above). */
  readonly encryptionKeys: EncryptionKeys;
  /** The web app's OIDC client at the SSO (public, PKCE) and the scopes it asks for. */
  readonly web: { readonly clientId?: string; readonly scope: string };
}

export const ENCRYPTION_KEYS = ['aws-managed', 'customer-managed'] as const;
export type EncryptionKeys = (typeof ENCRYPTION_KEYS)[number];
/** What a deployment gets without -c encryptionKeys (the cost model prices the same default). */
export const DEFAULT_ENCRYPTION_KEYS: EncryptionKeys = 'aws-managed';

export const CONTEXT_KEYS = [
  'region',
  'jwtIssuer',
  'jwtAudience',
  'hrAccountId',
  'mailTransport',
  'sesIdentity',
  'mailFrom',
  'sesMaxSendRate',
  'smtpHost',
  'smtpPort',
  'smtpTls',
  'smtpSecret',
  'smtpSecretKey',
  'smtpMaxSendRate',
  'membershipPrefix',
  'unionContactEmail',
  'congressSession',
  'proposalSecondersRequired',
  'proposalMaxReassignments',
  'enrolmentMode',
  'dispatchedStaff',
  'invitationUrl',
  'alarmEmail',
  'encryptionKeys',
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
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** A secret's name (Secrets Manager allows these characters) or its ARN in any partition. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+$/;
const KEY_ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/;

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

  const region = read('region');
  if (region !== undefined && !REGION.test(region)) {
    problems.push(`region: "${region}" is not an AWS region name (e.g. cn-northwest-1)`);
  }
  const partition = partitionOf(region && REGION.test(region) ? region : undefined);
  const inChina = partition === 'aws-cn';

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
  } else if (inChina) {
    // One line for both: the cause is one (no user pools in aws-cn), and so is the fix.
    problems.push(
      `jwtIssuer, jwtAudience: required in ${region} (aws-cn has no Cognito user pools): the university SSO's issuer and audience, -c jwtIssuer=https://... -c jwtAudience=...`,
    );
  } else if (jwtAudience !== undefined) {
    problems.push('jwtAudience: only meaningful with jwtIssuer (without it the Cognito client id is used)');
  }

  const hrAccountId = read('hrAccountId');
  if (hrAccountId !== undefined && !ACCOUNT.test(hrAccountId)) {
    problems.push(`hrAccountId: "${hrAccountId}" is not a 12-digit AWS account id`);
  }

  const positive = (key: ContextKey, fallback?: number): number => {
    const raw = read(key);
    if (raw === undefined && fallback === undefined) {
      problems.push(`${key}: required (-c ${key}=...)`);
      return 0;
    }
    const value = raw === undefined ? fallback! : Number(raw);
    if (!Number.isFinite(value) || value <= 0) problems.push(`${key}: "${raw}" is not a positive number`);
    return value;
  };
  const oneOf = <T extends string>(key: ContextKey, values: readonly T[], fallback: T): T => {
    const raw = read(key) ?? fallback;
    if (!(values as readonly string[]).includes(raw))
      problems.push(`${key}: "${raw}" must be one of ${values.join(', ')}`);
    return raw as T;
  };

  const transport = oneOf('mailTransport', MAIL_TRANSPORTS, 'ses');
  const smtpKeys = [
    'smtpHost',
    'smtpPort',
    'smtpTls',
    'smtpSecret',
    'smtpSecretKey',
    'smtpMaxSendRate',
  ] as const;
  const mailFrom = required('mailFrom');
  const fromDomain = mailFrom === '' ? undefined : EMAIL.exec(addressOf(mailFrom))?.[1]?.toLowerCase();
  if (mailFrom !== '' && !fromDomain) problems.push(`mailFrom: "${mailFrom}" has no valid address`);

  let mail: MailSettings;
  if (transport === 'smtp') {
    const host = required('smtpHost');
    if (host !== '' && !HOST.test(host))
      problems.push(`smtpHost: "${host}" is not a host name or an IPv4 address`);
    const tls = oneOf('smtpTls', SMTP_TLS_MODES, 'starttls');
    const portRaw = read('smtpPort');
    const port = portRaw === undefined ? (DEFAULT_SMTP_PORT[tls] ?? 587) : Number(portRaw);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      problems.push(`smtpPort: "${portRaw}" is not a port number`);
    const secret = required('smtpSecret');
    const arn = SECRET_ARN.exec(secret);
    if (secret !== '' && !arn && !SECRET_NAME.test(secret)) {
      problems.push(`smtpSecret: "${secret}" is neither a secret name nor a Secrets Manager secret ARN`);
    }
    if (arn && region !== undefined && (arn[1] !== partition || arn[2] !== region)) {
      problems.push(`smtpSecret: the secret is in ${arn[1]}/${arn[2]}, the stack in ${partition}/${region}`);
    }
    const secretKeyArn = read('smtpSecretKey');
    if (secretKeyArn !== undefined && !KEY_ARN.test(secretKeyArn)) {
      problems.push(`smtpSecretKey: "${secretKeyArn}" is not a KMS key ARN`);
    }
    mail = {
      transport,
      host,
      port,
      tls,
      secret,
      ...(secretKeyArn ? { secretKeyArn } : {}),
      maxSendRate: positive('smtpMaxSendRate'),
    };
    if (mail.maxSendRate > 0 && mail.maxSendRate < slowestMailRate()) {
      problems.push(
        `smtpMaxSendRate: at ${mail.maxSendRate} mails/s a batch of notifications outlasts send-email's timeout; at least ${slowestMailRate()}`,
      );
    }
  } else {
    if (inChina) {
      problems.push(
        `mailTransport: ${region} has no SES; use -c mailTransport=smtp with smtpHost, smtpSecret and smtpMaxSendRate`,
      );
    }
    for (const key of smtpKeys) {
      if (read(key) !== undefined) problems.push(`${key}: only meaningful with mailTransport=smtp`);
    }
    const identity = required('sesIdentity');
    let sesIdentity: { kind: 'domain' | 'email'; value: string } = {
      kind: 'domain',
      value: identity.toLowerCase(),
    };
    if (identity.includes('@')) {
      email('sesIdentity', identity);
      sesIdentity = { kind: 'email', value: identity };
    } else if (identity !== '' && !DOMAIN.test(identity)) {
      problems.push(`sesIdentity: "${identity}" is neither a domain nor an email address`);
    }
    if (mailFrom !== '') {
      if (/[^\x20-\x7e]/.test(mailFrom)) {
        problems.push('mailFrom: ASCII only (MIME-encode a non-ASCII display name: =?UTF-8?B?...?=)');
      }
      const address = addressOf(mailFrom);
      if (fromDomain && identity !== '' && sesIdentity.kind === 'email') {
        if (address.toLowerCase() !== sesIdentity.value.toLowerCase()) {
          problems.push(`mailFrom: ${address} is not the verified address ${sesIdentity.value}`);
        }
      } else if (
        fromDomain &&
        identity !== '' &&
        fromDomain !== sesIdentity.value &&
        !fromDomain.endsWith(`.${sesIdentity.value}`)
      ) {
        problems.push(`mailFrom: ${address} is not in the verified domain ${sesIdentity.value}`);
      }
    }
    mail = { transport, sesIdentity, maxSendRate: positive('sesMaxSendRate', 14) };
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
  const encryptionKeys = oneOf('encryptionKeys', ENCRYPTION_KEYS, DEFAULT_ENCRYPTION_KEYS);

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
    ...(region ? { region } : {}),
    ...(jwtIssuer && jwtAudience ? { jwt: { issuer: jwtIssuer, audience: jwtAudience } } : {}),
    ...(hrAccountId ? { hrAccountId } : {}),
    mail,
    mailFrom,
    membershipPrefix,
    unionContactEmail,
    congressSession,
    proposalSecondersRequired,
    proposalMaxReassignments,
    enrolmentMode,
    dispatchedStaff,
    ...(invitationUrl ? { invitationUrl } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    encryptionKeys,
    web: { ...(webClientId ? { clientId: webClientId } : {}), scope: webScope },
  };
};
