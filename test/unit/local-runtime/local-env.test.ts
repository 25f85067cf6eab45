/** Each function's local environment: every topology variable has a value, and only its own get in. */
import { describe, expect, it } from 'vitest';
import {
  functionEnvironment,
  LOCAL_MAIL_FROM,
  type LocalEndpoints,
  localEnvValues,
} from '../../../infra/local/local-env.ts';
import { concurrencyOf, wiring } from '../../../infra/local/runtime.ts';
import {
  type FunctionName,
  functionNames,
  functionSpec,
  mailConcurrency,
  type Trigger,
} from '../../../infra/topology.ts';
import { ENV, type EnvName } from '../../../shared/config/env-names.ts';

const endpoints: LocalEndpoints = {
  dynamodb: 'http://127.0.0.1:1',
  dynamodbStreams: 'http://127.0.0.1:1',
  sqs: 'http://127.0.0.1:2',
  ses: 'http://127.0.0.1:3',
  eventbridge: 'http://127.0.0.1:4',
};

const envOf = (name: FunctionName) =>
  functionEnvironment({
    name,
    spec: functionSpec(name),
    values: localEnvValues({
      functionName: name,
      mailMaxSendRate: 14,
      careQueueUrl: 'http://127.0.0.1:2/q',
      deadLetterQueueUrl: 'http://127.0.0.1:2/dlq',
    }),
    endpoints,
    bundleDir: `/data/build/${name}`,
  });

describe('local environment values', () => {
  it('cover every variable name, each non-empty', () => {
    const values = localEnvValues({
      functionName: 'send-email',
      mailMaxSendRate: 14,
      careQueueUrl: 'u',
      deadLetterQueueUrl: 'd',
      mailTransport: 'smtp',
      smtp: { host: '127.0.0.1', port: 2525 },
    });
    for (const name of Object.values(ENV) as EnvName[]) expect(values[name], name).toMatch(/\S/);
    expect(values[ENV.mailConcurrency]).toBe(String(mailConcurrency()));
    expect(values[ENV.powertoolsServiceName]).toBe('send-email');
  });

  it('send mail from an address SES takes: ASCII, the Chinese name MIME-encoded', () => {
    expect(LOCAL_MAIL_FROM).toMatch(/^[\x20-\x7e]+$/);
    const [, encoded] = /^=\?UTF-8\?B\?(.+)\?= <union@gonghui\.local>$/.exec(LOCAL_MAIL_FROM) ?? [];
    expect(Buffer.from(encoded ?? '', 'base64').toString('utf8')).toBe('工会 Gonghui');
  });

  it("take the congress session from the year in Shanghai, not the host's", () => {
    const values = localEnvValues({
      functionName: 'proposals-api',
      mailMaxSendRate: 14,
      careQueueUrl: 'u',
      deadLetterQueueUrl: 'd',
      now: new Date('2026-12-31T16:30:00Z'), // already 2027 in Shanghai
    });
    expect(values[ENV.congressSession]).toBe('2027');
  });
});

describe("a function's environment", () => {
  it.each(functionNames)('%s gets its own topology variables and nothing else of the topology', (name) => {
    const env = envOf(name);
    const own = new Set<string>(functionSpec(name).environment);
    for (const envName of Object.values(ENV) as string[])
      expect(envName in env, envName).toBe(own.has(envName));
  });

  it('with the smtp transport, only send-email gets the SMTP server and the secret, and no SES', () => {
    const smtpEnv = (name: FunctionName) =>
      functionEnvironment({
        name,
        spec: functionSpec(name),
        mailTransport: 'smtp',
        values: localEnvValues({
          functionName: name,
          mailMaxSendRate: 5,
          careQueueUrl: 'u',
          deadLetterQueueUrl: 'd',
          mailTransport: 'smtp',
          smtp: { host: '127.0.0.1', port: 2525 },
        }),
        endpoints: { ...endpoints, ses: undefined, secretsmanager: 'http://127.0.0.1:9/' },
        bundleDir: `/data/build/${name}`,
      });
    expect(smtpEnv('send-email')).toMatchObject({
      [ENV.mailTransport]: 'smtp',
      [ENV.mailMaxSendRate]: '5',
      [ENV.smtpHost]: '127.0.0.1',
      [ENV.smtpPort]: '2525',
      [ENV.smtpTls]: 'starttls',
      [ENV.smtpSecretId]: 'gonghui/smtp',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9/',
    });
    expect(smtpEnv('send-email').AWS_ENDPOINT_URL_SES).toBeUndefined();
    expect(smtpEnv('enrol-member')[ENV.smtpHost]).toBeUndefined();
    expect(envOf('send-email')[ENV.smtpHost]).toBeUndefined();
    expect(envOf('send-email')[ENV.mailTransport]).toBe('ses');
  });

  it('points every SDK client at the emulators and looks like Lambda', () => {
    expect(envOf('publish-outbox')).toMatchObject({
      AWS_REGION: 'ap-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      AWS_ENDPOINT_URL_SES: endpoints.ses,
      AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge,
      AWS_LAMBDA_FUNCTION_NAME: 'publish-outbox',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(functionSpec('publish-outbox').memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      TZ: 'UTC',
    });
  });
});

describe('the local wiring', () => {
  it('wires every function of the topology through at least one trigger', () => {
    const w = wiring();
    const wired = new Set<string>([
      ...w.queues.map((q) => q.function),
      ...w.streams.map((s) => s.function),
      ...w.schedules.map((s) => s.function),
      ...w.routes.map((r) => r.function),
    ]);
    expect([...wired].sort()).toEqual([...functionNames].sort());
  });

  it("gives a queue consumer its mapping's maximum concurrency", () => {
    expect(concurrencyOf('send-email')).toBe(mailConcurrency());
    expect(concurrencyOf('enrol-member')).toBe(
      (functionSpec('enrol-member').triggers as Trigger[]).find((t) => t.kind === 'queue')?.maxConcurrency,
    );
    expect(concurrencyOf('public-api')).toBeGreaterThan(1);
  });
});
