/**
 * What a function's environment holds locally: the values of the topology's variables (one
 * record the compiler checks covers every name in env-names.ts), and the variables Lambda itself
 * sets, with the emulators' endpoints in the SDK's standard AWS_ENDPOINT_URL_<SERVICE> names.
 */
import { ENV, type EnvName } from '../../shared/config/env-names.ts';
import type { MailTransport } from '../../shared/config/mail-transport.ts';
import {
  bus,
  environmentOf,
  type FunctionName,
  type FunctionSpec,
  lambdaDefaults,
  mailClaimLeaseSeconds,
  mailConcurrency,
  TIME_ZONE,
  table,
} from '../topology.ts';

export const REGION = 'ap-east-1';
/** The local region's partition (ARNs are built from it, never written out). */
export const LOCAL_PARTITION = 'aws';
export const ACCOUNT_ID = '000000000000';
/** Any credentials do: the emulators do not check signatures. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The SES account's default maximum send rate in a new production account region (mails/s). */
export const DEFAULT_SES_MAX_SEND_RATE = 14;

/** The local SMTP server's credentials live in the local Secrets Manager under this name. */
export const LOCAL_SMTP_SECRET_ID = 'gonghui/smtp';

/** Where the local mail goes with the smtp transport: the local SMTP server (infra/local/smtp.ts). */
export interface LocalSmtp {
  host: string;
  port: number;
}

/**
 * SES takes a non-ASCII display name only MIME-encoded (RFC 2047), and the AWS deploy insists on
 * it; the emulator takes anything. The local sender is the one SES would take.
 */
/** The union's contact address locally (not personal data: it may appear in logs). */
export const LOCAL_UNION_CONTACT = 'union@gonghui.local';
export const LOCAL_MAIL_FROM = `=?UTF-8?B?${Buffer.from('工会 Gonghui', 'utf8').toString('base64')}?= <union@gonghui.local>`;

export interface LocalEndpoints {
  dynamodb: string;
  dynamodbStreams: string;
  sqs: string;
  /** The SES emulator: only with the ses transport (with smtp there is no SES, as in aws-cn). */
  ses?: string;
  eventbridge: string;
  /** The local Secrets Manager (infra/local/secrets.ts): with the smtp transport. */
  secretsmanager?: string;
}

/** The staff congress's session locally: the current year in Shanghai. */
const currentSession = (now: Date): string =>
  new Intl.DateTimeFormat('en', { timeZone: TIME_ZONE, year: 'numeric' }).format(now);

/** Settings a local run may choose (the AWS stack takes them as deployment parameters). */
export interface LocalSettings {
  enrolmentMode?: 'automatic' | 'confirm';
  dispatchedStaff?: 'enrol' | 'skip';
}

export interface LocalValuesInput {
  functionName: FunctionName;
  /** The transport's rate: SES's, or the local SMTP server's. */
  mailMaxSendRate: number;
  /** Default ses. */
  mailTransport?: MailTransport;
  /** The local SMTP server, with the smtp transport. */
  smtp?: LocalSmtp;
  careQueueUrl: string;
  /** The function's own dead-letter queue (topology deadLetterQueueOf), for those that have one. */
  deadLetterQueueUrl: string;
  /** The local API's base URL (invitation links point at its page). */
  apiUrl?: string;
  settings?: LocalSettings;
  /** Overrides send-email's claim lease (the runtime's visibility timeout override sets it). */
  mailClaimLeaseSeconds?: number;
  now?: Date;
}

/** Every topology variable's local value for one function. */
export const localEnvValues = (input: LocalValuesInput): Record<EnvName, string> => ({
  [ENV.tableName]: table.name,
  [ENV.eventBusName]: bus.name,
  [ENV.mailFrom]: LOCAL_MAIL_FROM,
  [ENV.mailTransport]: input.mailTransport ?? 'ses',
  [ENV.mailMaxSendRate]: String(input.mailMaxSendRate),
  // STARTTLS required, as on AWS: the local server has a certificate of its own (its CA is in
  // the local secret, as a campus CA would be).
  [ENV.smtpHost]: input.smtp?.host ?? '',
  [ENV.smtpPort]: String(input.smtp?.port ?? ''),
  [ENV.smtpTls]: 'starttls',
  [ENV.smtpSecretId]: LOCAL_SMTP_SECRET_ID,
  [ENV.mailConcurrency]: String(mailConcurrency()),
  // With the tests' short visibility timeouts, a lease as short: a retry must find a dead claim free.
  [ENV.mailClaimLeaseSeconds]: String(input.mailClaimLeaseSeconds ?? mailClaimLeaseSeconds()),
  [ENV.unionContactEmail]: LOCAL_UNION_CONTACT,
  [ENV.membershipPrefix]: 'GLU',
  [ENV.enrolmentMode]: input.settings?.enrolmentMode ?? 'automatic',
  [ENV.dispatchedStaff]: input.settings?.dispatchedStaff ?? 'enrol',
  // The API serves the invitation page itself locally (GET /invitations/{id}).
  [ENV.invitationUrl]: `${input.apiUrl ?? 'http://127.0.0.1:3000'}/invitations`,
  [ENV.congressSession]: currentSession(input.now ?? new Date()),
  [ENV.proposalSecondersRequired]: '2',
  [ENV.proposalMaxReassignments]: '1',
  [ENV.careQueueUrl]: input.careQueueUrl,
  [ENV.deadLetterQueueUrl]: input.deadLetterQueueUrl,
  [ENV.powertoolsServiceName]: input.functionName,
  [ENV.logLevel]: 'INFO',
});

/**
 * A function's whole environment: only its own topology variables (as on AWS, where the stack
 * sets exactly those), plus what the Lambda runtime sets. Nothing of the host's environment leaks
 * in, so a handler that reads a variable the topology does not give it fails here as on AWS.
 */
export const functionEnvironment = (opts: {
  name: FunctionName;
  spec: FunctionSpec;
  values: Record<EnvName, string>;
  endpoints: LocalEndpoints;
  bundleDir: string;
  mailTransport?: MailTransport;
}): Record<string, string> => {
  const { name, spec, values, endpoints } = opts;
  return {
    ...Object.fromEntries(
      environmentOf(spec, opts.mailTransport ?? 'ses').map((envName) => [envName, values[envName]]),
    ),
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodbStreams,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    ...(endpoints.ses ? { AWS_ENDPOINT_URL_SES: endpoints.ses, AWS_ENDPOINT_URL_SESV2: endpoints.ses } : {}),
    ...(endpoints.secretsmanager ? { AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsmanager } : {}),
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge,
    AWS_EXECUTION_ENV: `AWS_Lambda_${lambdaDefaults.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'local',
    LAMBDA_TASK_ROOT: opts.bundleDir,
    _HANDLER: 'index.handler',
    // Lambda runs in UTC. The time zone is per process, so the runtime's process runs in UTC too
    // (runtime.ts sets it); this makes process.env.TZ read as on Lambda.
    TZ: 'UTC',
    LANG: 'en_US.UTF-8',
  };
};
