/**
 * Deployment parameters: what the context may say, and what the stack does with the optional
 * ones (university SSO instead of Cognito, the HR account, an alarm address). Also: a function
 * added to the topology is deployed with exactly its access, and cdk-nag stops `cdk synth`.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ContextKey, parseDeploymentProps } from '../../infra/aws/deployment-props.ts';
import { buildApp } from '../../infra/aws/gonghui-app.ts';
import { appTopology, type StackTopology } from '../../infra/aws/gonghui-stack.ts';
import type { FunctionSpec } from '../../infra/topology.ts';
import { ENV } from '../../shared/config/env-names.ts';
import {
  allowedGrants,
  cdkJsonContext,
  excess,
  grantsOf,
  ofType,
  type Synthesized,
  synth,
  triggersOf,
} from './support.ts';

const base: Partial<Record<ContextKey, unknown>> = {
  sesIdentity: 'union.example.edu.cn',
  mailFrom: 'Gonghui <noreply@union.example.edu.cn>',
  unionContactEmail: 'union@example.edu.cn',
  congressSession: '2026',
};
const sso = { jwtIssuer: 'https://sso.example.edu.cn', jwtAudience: 'gonghui' };
const parse = (context: Partial<Record<ContextKey, unknown>>) =>
  parseDeploymentProps((key) => ({ ...base, ...context })[key]);

describe('parseDeploymentProps', () => {
  it('applies the defaults and leaves the optional parts out', () => {
    expect(parse({})).toEqual({
      mail: {
        transport: 'ses',
        sesIdentity: { kind: 'domain', value: 'union.example.edu.cn' },
        maxSendRate: 14,
      },
      mailFrom: 'Gonghui <noreply@union.example.edu.cn>',
      membershipPrefix: 'GLU',
      unionContactEmail: 'union@example.edu.cn',
      congressSession: '2026',
      proposalSecondersRequired: 2,
      proposalMaxReassignments: 1,
      enrolmentMode: 'automatic',
      dispatchedStaff: 'enrol',
      encryptionKeys: 'aws-managed',
      web: { scope: 'openid profile' },
    });
  });

  it('takes encryptionKeys=customer-managed, and nothing but the two modes', () => {
    expect(parse({ encryptionKeys: 'customer-managed' }).encryptionKeys).toBe('customer-managed');
    expect(() => parse({ encryptionKeys: 'cmk' })).toThrow(
      'encryptionKeys: "cmk" must be one of aws-managed, customer-managed',
    );
  });

  it('reads strings from -c and numbers from cdk.json alike', () => {
    const props = parse({
      jwtIssuer: 'https://sso.example.edu.cn/realms/staff',
      jwtAudience: 'gonghui',
      hrAccountId: '123456789012',
      sesMaxSendRate: '50',
      proposalSecondersRequired: 3,
      membershipPrefix: 'XJTU',
      alarmEmail: 'ops@example.edu.cn',
    });
    expect(props.jwt).toEqual({ issuer: 'https://sso.example.edu.cn/realms/staff', audience: 'gonghui' });
    expect(props.hrAccountId).toBe('123456789012');
    expect(props.mail.maxSendRate).toBe(50);
    expect(props.proposalSecondersRequired).toBe(3);
    expect(props.membershipPrefix).toBe('XJTU');
    expect(props.alarmEmail).toBe('ops@example.edu.cn');
  });

  it('accepts an email identity when mailFrom is that address', () => {
    const props = parse({ sesIdentity: 'union@example.edu.cn', mailFrom: 'union@example.edu.cn' });
    expect(props.mail).toMatchObject({ sesIdentity: { kind: 'email', value: 'union@example.edu.cn' } });
  });

  it('takes confirm mode with the page its invitations link to', () => {
    const props = parse({
      enrolmentMode: 'confirm',
      dispatchedStaff: 'skip',
      invitationUrl: 'https://union.example.edu.cn/join',
    });
    expect(props).toMatchObject({
      enrolmentMode: 'confirm',
      dispatchedStaff: 'skip',
      invitationUrl: 'https://union.example.edu.cn/join',
    });
  });

  it('accepts a sender in a subdomain of the verified domain', () => {
    expect(() => parse({ mailFrom: 'noreply@mail.union.example.edu.cn' })).not.toThrow();
  });

  it.each([
    [{ sesIdentity: undefined }, 'sesIdentity: required'],
    [{ mailFrom: '' }, 'mailFrom: required'],
    [{ unionContactEmail: undefined }, 'unionContactEmail: required'],
    [{ congressSession: undefined }, 'congressSession: required'],
    [{ jwtIssuer: 'https://sso.example.edu.cn' }, 'jwtAudience: required when jwtIssuer is set'],
    [{ jwtAudience: 'gonghui' }, 'jwtAudience: only meaningful with jwtIssuer'],
    [{ jwtIssuer: 'http://sso.example.edu.cn', jwtAudience: 'x' }, 'jwtIssuer: must be an https URL'],
    [{ hrAccountId: '1234' }, 'hrAccountId: "1234" is not a 12-digit AWS account id'],
    [{ mailFrom: 'noreply@elsewhere.org' }, 'is not in the verified domain union.example.edu.cn'],
    [{ mailFrom: '工会 <noreply@union.example.edu.cn>' }, 'mailFrom: ASCII only'],
    [{ sesIdentity: 'a@b.org', mailFrom: 'c@b.org' }, 'is not the verified address a@b.org'],
    [{ sesMaxSendRate: '0' }, 'sesMaxSendRate: "0" is not a positive number'],
    [{ sesMaxSendRate: 'fast' }, 'sesMaxSendRate: "fast" is not a positive number'],
    [{ membershipPrefix: 'glu' }, 'membershipPrefix: "glu" must be'],
    [{ proposalMaxReassignments: '1.5' }, 'proposalMaxReassignments: "1.5" is not a whole number'],
    [{ alarmEmail: 'ops' }, 'alarmEmail: "ops" is not an email address'],
    [{ sesIdentity: { domain: 'x' } }, 'sesIdentity: expected a string'],
    [{ enrolmentMode: 'auto' }, 'enrolmentMode: "auto" must be one of automatic, confirm'],
    [{ dispatchedStaff: 'no' }, 'dispatchedStaff: "no" must be one of enrol, skip'],
    [{ enrolmentMode: 'confirm' }, 'invitationUrl: required with enrolmentMode=confirm'],
    [{ invitationUrl: 'http://x.org/join' }, 'invitationUrl: "http://x.org/join" must be an https URL'],
  ] as Array<[Partial<Record<ContextKey, unknown>>, string]>)('rejects %j', (context, message) => {
    expect(() => parse(context)).toThrow(message);
  });

  it('takes an SMTP server instead of SES: the port follows the TLS mode, a display name may be Chinese', () => {
    const smtp = {
      mailTransport: 'smtp',
      smtpHost: 'smtp.example.edu.cn',
      smtpSecret: 'gonghui/smtp',
      smtpMaxSendRate: '2.5',
    };
    expect(parse({ ...smtp, mailFrom: '工会 <noreply@union.example.edu.cn>' })).toMatchObject({
      mail: {
        transport: 'smtp',
        host: 'smtp.example.edu.cn',
        port: 587,
        tls: 'starttls',
        secret: 'gonghui/smtp',
        maxSendRate: 2.5,
      },
      mailFrom: '工会 <noreply@union.example.edu.cn>',
    });
    expect(parse({ ...smtp, smtpTls: 'tls' }).mail).toMatchObject({ port: 465, tls: 'tls' });
    expect(parse({ ...smtp, smtpTls: 'none', smtpPort: '2525' }).mail).toMatchObject({
      port: 2525,
      tls: 'none',
    });
    const arn = 'arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:gonghui/smtp-AbCdEf';
    expect(parse({ ...smtp, region: 'cn-north-1', ...sso, smtpSecret: arn }).mail).toMatchObject({
      secret: arn,
    });
    expect(parse({ ...smtp, region: 'cn-north-1', ...sso })).toMatchObject({ region: 'cn-north-1' });
  });

  it.each([
    [{ smtpHost: 'smtp.example.edu.cn' }, 'smtpHost: only meaningful with mailTransport=smtp'],
    [{ mailTransport: 'mail' }, 'mailTransport: "mail" must be one of ses, smtp'],
    [{ region: 'China' }, 'region: "China" is not an AWS region name'],
    [
      { mailTransport: 'smtp', smtpHost: 'smtp_x', smtpSecret: 's', smtpMaxSendRate: '1' },
      'smtpHost: "smtp_x" is not a host name',
    ],
    [
      { mailTransport: 'smtp', smtpHost: 'h.cn', smtpSecret: 's', smtpMaxSendRate: '1', smtpTls: 'ssl' },
      'smtpTls: "ssl" must be one of starttls, tls, none',
    ],
    [
      { mailTransport: 'smtp', smtpHost: 'h.cn', smtpSecret: 's', smtpMaxSendRate: '1', smtpPort: '99999' },
      'smtpPort: "99999" is not a port number',
    ],
    [
      { mailTransport: 'smtp', smtpHost: 'h.cn', smtpSecret: 'a secret', smtpMaxSendRate: '1' },
      'smtpSecret: "a secret" is neither a secret name nor',
    ],
    [
      {
        region: 'cn-north-1',
        ...{ jwtIssuer: 'https://sso.example.edu.cn', jwtAudience: 'g' },
        mailTransport: 'smtp',
        smtpHost: 'h.cn',
        smtpMaxSendRate: '1',
        smtpSecret: 'arn:aws-cn:secretsmanager:cn-northwest-1:111122223333:secret:s-AbCdEf',
      },
      'smtpSecret: the secret is in aws-cn/cn-northwest-1, the stack in aws-cn/cn-north-1',
    ],
    [
      {
        mailTransport: 'smtp',
        smtpHost: 'h.cn',
        smtpSecret: 's',
        smtpMaxSendRate: '1',
        smtpSecretKey: 'alias/x',
      },
      'smtpSecretKey: "alias/x" is not a KMS key ARN',
    ],
  ] as Array<[Partial<Record<ContextKey, unknown>>, string]>)('rejects %j', (context, message) => {
    expect(() => parse(context)).toThrow(message);
  });

  it('reports every problem at once', () => {
    expect(() => parse({ sesIdentity: undefined, unionContactEmail: undefined, hrAccountId: 'x' })).toThrow(
      /hrAccountId[\s\S]*sesIdentity: required[\s\S]*unionContactEmail: required/,
    );
  });

  it('cdk.json’s example values pass', () => {
    expect(() => parseDeploymentProps((key) => cdkJsonContext[key])).not.toThrow();
  });
});

// A topology with one more function that uses every kind of access and trigger: the stack must
// deploy it with exactly that, without a line of stack code written for it.
const extra: FunctionSpec = {
  entry: 'functions/public-api.ts',
  description: 'A function the topology gained later',
  memoryMb: 128,
  timeoutSeconds: 5,
  environment: [ENV.powertoolsServiceName, ENV.logLevel, ENV.eventBusName],
  access: { table: ['GetItem', 'Query'], putEvents: true, sendTo: ['notify'] },
  triggers: [
    { kind: 'queue', queue: 'outboxFailures', batchSize: 5, maxBatchingWindowSeconds: 3, maxConcurrency: 2 },
    { kind: 'route', method: 'PATCH', path: '/extra/{id}', auth: 'jwt' },
    {
      kind: 'schedule',
      id: 'ExtraNightly',
      description: 'A later nightly job',
      cron: { minute: '30', hour: '2' },
      input: { at: '<aws.scheduler.scheduled-time>' },
    },
  ],
};
const extended: StackTopology = {
  ...appTopology,
  functions: { ...appTopology.functions, 'extra-job': extra },
};

describe('a deployment with the university SSO, the HR account and an alarm address', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({
      topology: extended,
      context: {
        jwtIssuer: 'https://sso.example.edu.cn/realms/staff',
        jwtAudience: 'gonghui-api',
        hrAccountId: '123456789012',
        alarmEmail: 'ops@example.edu.cn',
        sesIdentity: 'union@example.edu.cn',
        mailFrom: 'union@example.edu.cn',
      },
    });
  });

  it('trusts the SSO and creates no user pool', () => {
    s.template.resourceCountIs('AWS::Cognito::UserPool', 0);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: 'https://sso.example.edu.cn/realms/staff', Audience: ['gonghui-api'] },
    });
  });

  it('lets the HR account put only HR events on the bus', () => {
    s.template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: { Ref: s.id(s.stack.bus) },
      Statement: {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: {
          AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] },
        },
        Condition: { StringEquals: { 'events:source': 'university.hr' } },
      },
    });
  });

  it('subscribes the alarm address', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.edu.cn',
      TopicArn: { Ref: s.id(s.stack.alarmTopic) },
    });
  });

  it('verifies an email identity (no DKIM records to publish)', () => {
    s.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'union@example.edu.cn' });
    expect(Object.keys(s.template.toJSON().Outputs as object).filter((o) => o.startsWith('Dkim'))).toEqual(
      [],
    );
  });

  it('deploys the added function with its triggers', () => {
    const fnId = s.id(s.stack.functions['extra-job']!.fn);
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 128,
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'extra-job',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          EVENT_BUS_NAME: { Ref: s.id(s.stack.bus) },
        },
      },
    });
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId },
      BatchSize: 5,
      MaximumBatchingWindowInSeconds: 3,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'PATCH /extra/{id}',
      AuthorizationType: 'JWT',
    });
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 2 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } }),
    });
    s.template.resourceCountIs('AWS::Scheduler::Schedule', triggersOf(extended, 'schedule').length);
  });

  it.each(Object.keys(extended.functions))('%s: nothing beyond its access and triggers', (name) => {
    const { grants, extras } = grantsOf(s, s.id(s.stack.functions[name]!.role));
    expect(extras).toEqual([]);
    expect(excess(grants, allowedGrants(s, name, extended.functions[name]!))).toEqual([]);
  });

  it('the added function may read the table but not write it', () => {
    const { grants } = grantsOf(s, s.id(s.stack.functions['extra-job']!.role));
    const table = grants.get(`${s.id(s.stack.table)}.Arn`) ?? new Set();
    expect(table).toContain('dynamodb:Query');
    expect(table).not.toContain('dynamodb:PutItem');
  });

  it('cdk-nag finds nothing unacknowledged', () => {
    expect(s.nag.violations.map((v) => v.ruleName)).toEqual([]);
    expect(ofType(s, 'AWS::Events::EventBusPolicy')).toHaveLength(1);
  });
});

describe('topology checks at synth time', () => {
  it('refuses a queue whose visibility timeout is shorter than its consumer’s timeout', () => {
    const slow: StackTopology = {
      ...appTopology,
      functions: { ...appTopology.functions, 'extra-job': { ...extra, timeoutSeconds: 900 } },
    };
    expect(() =>
      buildApp({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] }, topology: slow }),
    ).toThrow(/visibility timeout, less than extra-job's 900 s timeout/);
  });
});

describe('cdk-nag in the app', () => {
  it('stops synthesis on a finding nobody acknowledged', () => {
    const { app, stack } = buildApp({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    new Queue(stack, 'WithoutDlqOrTls');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3[\s\S]*AwsSolutions-SQS4/);
  });
});
