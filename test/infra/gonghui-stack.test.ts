import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
/**
 * The AWS stack against the topology: everything the topology describes is wired, with the
 * topology's numbers, and nothing more is allowed than its `access` implies. Written over the
 * topology, so a function, queue, rule or route added there is checked without a new test.
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_THROTTLE, appTopology, PROJECT_ROOT, pascal } from '../../infra/aws/gonghui-stack.ts';
import {
  dataActionsOf,
  deadLetterQueueOf,
  dlqName,
  mailConcurrency,
  type Trigger,
} from '../../infra/topology.ts';
import { ENV, type EnvName } from '../../shared/config/env-names.ts';
import { recordFigure } from '../support/figures.ts';
import {
  actionsOf,
  allowedGrants,
  excess,
  grantsOf,
  ofType,
  resourceKey,
  type Synthesized,
  synth,
  triggersOf,
} from './support.ts';

const topology = appTopology;
const functionNames = Object.keys(topology.functions);
const queueKeys = Object.keys(topology.queues) as Array<keyof typeof topology.queues>;

let s: Synthesized;
/** The same stack with the deployment's own KMS keys (encryptionKeys=customer-managed). */
let k: Synthesized;
beforeAll(() => {
  s = synth();
  k = synth({ context: { encryptionKeys: 'customer-managed' } });
});
const bothKeyModes = [
  ['aws-managed', () => s],
  ['customer-managed', () => k],
] as const;

const fnId = (name: string) => s.id(s.stack.functions[name]!.fn);
const getAtt = (id: string, attr: string) => ({ 'Fn::GetAtt': [id, attr] });
/** The queue's policy has a statement like `statement` (CloudFormation's JSON, matched loosely). */
const hasQueueStatement = (x: Synthesized, queue: IConstruct, statement: Record<string, unknown>) =>
  x.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [{ Ref: x.id(queue) }],
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(statement)]) },
  });

describe('functions', () => {
  it.each(functionNames)(
    '%s: Node 24 on arm64, with the topology’s size, tracing and own log group',
    (name) => {
      const spec = topology.functions[name]!;
      const fn = s.stack.functions[name]!;
      s.template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: spec.memoryMb,
        Timeout: spec.timeoutSeconds,
        Description: spec.description,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: s.id(fn.logGroup) } },
        Role: getAtt(s.id(fn.role), 'Arn'),
      });
      expect(s.resources[fnId(name)]?.Properties?.Runtime).toBe('nodejs24.x');
      expect(s.resources[s.id(fn.logGroup)]?.Properties?.RetentionInDays).toBe(
        topology.lambdaDefaults.logRetentionDays,
      );
    },
  );

  it('every topology function is deployed, and nothing else is a Lambda function but the web app’s deployment', () => {
    const ids = ofType(s, 'AWS::Lambda::Function').map(([id]) => id);
    // CDK's BucketDeployment copies the web app into its bucket at deploy time (infra/aws/web-app.ts).
    const deployer = ids.filter((id) => id.startsWith('CustomCDKBucketDeployment'));
    expect(deployer).toHaveLength(1);
    expect(ids.filter((id) => !deployer.includes(id)).sort()).toEqual(functionNames.map(fnId).sort());
  });

  describe('the web app', () => {
    it('is a private encrypted bucket behind CloudFront with origin access control, the API same-origin under /api/*', () => {
      const [, distribution] = ofType(s, 'AWS::CloudFront::Distribution')[0]!;
      const config = (distribution.Properties as { DistributionConfig: Record<string, unknown> })
        .DistributionConfig;
      const behaviors = config.CacheBehaviors as Array<{ PathPattern: string; AllowedMethods: string[] }>;
      expect(behaviors.map((b) => b.PathPattern)).toEqual(['/api/*']);
      expect(behaviors[0]!.AllowedMethods).toContain('PATCH');
      expect(ofType(s, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
      const stages = ofType(s, 'AWS::ApiGatewayV2::Stage').map(
        ([, r]) => (r.Properties as { StageName: string }).StageName,
      );
      expect(stages.sort()).toEqual(['$default', 'api']);
      const [, headers] = ofType(s, 'AWS::CloudFront::ResponseHeadersPolicy')[0]!;
      const csp = JSON.stringify(headers.Properties);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain('StrictTransportSecurity');
      for (const [, bucket] of ofType(s, 'AWS::S3::Bucket')) {
        expect(JSON.stringify(bucket.Properties)).toContain('BlockPublicAcls');
        expect(JSON.stringify(bucket.Properties)).toContain('ServerSideEncryptionConfiguration');
      }
    });

    it('deploys no local sign-in: neither the local OpenID provider nor /dev/sign-in is in the template or the assets', () => {
      const template = JSON.stringify(s.template.toJSON());
      for (const local of ['/dev/sign-in', '/oidc', 'gonghui-web', 'issuer.gonghui.local']) {
        expect(template).not.toContain(local);
      }
      const dist = resolve(PROJECT_ROOT, 'web', 'dist');
      const files = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
      expect(files.length).toBeGreaterThan(3);
      for (const f of files) {
        const text = readFileSync(resolve(f.parentPath, f.name), 'utf8');
        expect(text, f.name).not.toContain('/dev/sign-in');
        expect(text, f.name).not.toContain('oidc-provider');
      }
    });
  });

  it.each(functionNames)(
    '%s gets exactly the environment variables the topology lists, and NODE_OPTIONS',
    (name) => {
      const spec = topology.functions[name]!;
      const variables = s.resources[fnId(name)]?.Properties?.Environment as
        | { Variables: Record<string, unknown> }
        | undefined;
      // Its own variables and nothing else: no NODE_OPTIONS (the bundle maps its stack traces
      // itself, when one is printed: shared/observability/lazy-source-maps.ts).
      expect(Object.keys(variables?.Variables ?? {}).sort()).toEqual([...spec.environment].sort());
    },
  );

  it('environment values come from the stack and the deployment parameters', () => {
    const expected: Partial<Record<EnvName, unknown>> = {
      [ENV.tableName]: { Ref: s.id(s.stack.table) },
      [ENV.eventBusName]: { Ref: s.id(s.stack.bus) },
      [ENV.careQueueUrl]: { Ref: s.id(s.stack.queues.care!.queue) },
      [ENV.mailFrom]: s.deployment.mailFrom,
      [ENV.mailTransport]: 'ses',
      [ENV.mailMaxSendRate]: String(s.deployment.mail.maxSendRate),
      [ENV.mailConcurrency]: String(mailConcurrency()),
      [ENV.mailClaimLeaseSeconds]: '180',
      [ENV.unionContactEmail]: s.deployment.unionContactEmail,
      [ENV.membershipPrefix]: s.deployment.membershipPrefix,
      [ENV.enrolmentMode]: s.deployment.enrolmentMode,
      [ENV.dispatchedStaff]: s.deployment.dispatchedStaff,
      [ENV.invitationUrl]: s.deployment.invitationUrl ?? 'https://union.example.org/invitations',
      [ENV.congressSession]: s.deployment.congressSession,
      [ENV.proposalSecondersRequired]: String(s.deployment.proposalSecondersRequired),
      [ENV.proposalMaxReassignments]: String(s.deployment.proposalMaxReassignments),
      [ENV.logLevel]: 'INFO',
    };
    for (const name of functionNames) {
      const environment = s.resources[fnId(name)]?.Properties?.Environment as
        | { Variables: Record<string, unknown> }
        | undefined;
      const variables = environment?.Variables ?? {};
      for (const [key, value] of Object.entries(variables)) {
        if (key === 'NODE_OPTIONS') continue;
        if (key === ENV.powertoolsServiceName) expect(value).toBe(name);
        // Per function: its own dead-letter queue (checked under least privilege below).
        else if (key === ENV.deadLetterQueueUrl) expect(value).toMatchObject({ Ref: expect.any(String) });
        else expect(value, `${name} ${key}`).toEqual(expected[key as EnvName]);
      }
    }
  });
});

describe('table', () => {
  it('has the topology’s keys and indexes, on demand, encrypted under DynamoDB’s AWS managed key by default', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: topology.table.partitionKey, KeyType: 'HASH' },
        { AttributeName: topology.table.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: topology.table.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      // SSEEnabled without a key: KMS with aws/dynamodb (CloudFormation's AWS::DynamoDB::Table).
      SSESpecification: { SSEEnabled: true },
      StreamSpecification: { StreamViewType: topology.table.stream },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: topology.table.ttlAttribute, Enabled: true },
      DeletionProtectionEnabled: true,
    });
    const table = s.resources[s.id(s.stack.table)]!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(ofType(s, 'AWS::KMS::Key')).toEqual([]);
  });

  it('with encryptionKeys=customer-managed: under a rotated key of the stack’s own, retained', () => {
    k.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: getAtt(k.id(k.stack.table.encryptionKey!), 'Arn'),
      },
    });
    const key = k.resources[k.id(k.stack.table.encryptionKey!)]!;
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    expect(ofType(k, 'AWS::KMS::Key')).toHaveLength(2);
  });
});

describe('queues', () => {
  it.each(queueKeys)('%s: encrypted, TLS only, with its DLQ after maxReceiveCount', (key) => {
    const spec = topology.queues[key];
    const { queue, dlq } = s.stack.queues[key]!;
    expect(s.resources[s.id(queue)]?.Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: spec.retentionDays * 86_400,
      VisibilityTimeout: spec.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: getAtt(s.id(dlq), 'Arn'), maxReceiveCount: spec.maxReceiveCount },
    });
    expect(s.resources[s.id(dlq)]?.Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: spec.retentionDays * 86_400,
    });
    // With the deployment's own keys, every queue and DLQ is under the one messaging key.
    const own = k.stack.queues[key]!;
    const messagingKey = getAtt(k.id(own.queue.encryptionMasterKey!), 'Arn');
    for (const q of [own.queue, own.dlq]) {
      expect(k.resources[k.id(q)]?.Properties).toMatchObject({ KmsMasterKeyId: messagingKey });
      expect(k.resources[k.id(q)]?.Properties).not.toHaveProperty('SqsManagedSseEnabled');
    }
    expect(s.id(dlq)).toMatch(new RegExp(`^${pascal(dlqName(spec))}`));
    for (const q of [queue, dlq]) {
      hasQueueStatement(s, q, {
        Effect: 'Deny',
        Action: 'sqs:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    }
  });

  it.each(queueKeys)('%s: its DLQ raises an alarm on the first message, to the alarm topic', (key) => {
    const { dlq } = s.stack.queues[key]!;
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(s.id(dlq), 'QueueName') }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: s.id(s.stack.alarmTopic) }],
    });
  });

  it('a stream’s on-failure queue raises an alarm too', () => {
    for (const { trigger } of triggersOf(topology, 'stream')) {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Dimensions: [
          { Name: 'QueueName', Value: getAtt(s.id(s.stack.queues[trigger.onFailure]!.queue), 'QueueName') },
        ],
        Threshold: 0,
      });
    }
  });

  it('the alarm topic is TLS only; not encrypted at rest by default (alarm and queue names only)', () => {
    const topic = s.resources[s.id(s.stack.alarmTopic)]!;
    expect(topic.Properties).not.toHaveProperty('KmsMasterKeyId');
    for (const synthesized of [s, k]) {
      synthesized.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('with encryptionKeys=customer-managed the alarm topic is under the messaging key, which CloudWatch may use', () => {
    const topic = k.resources[k.id(k.stack.alarmTopic)]!;
    expect(topic.Properties?.KmsMasterKeyId).toEqual(
      getAtt(k.id(k.stack.queues.hr!.queue.encryptionMasterKey!), 'Arn'),
    );
    k.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });
});

describe('bus', () => {
  it('is named from the topology and has no policy without hrAccountId', () => {
    s.template.hasResourceProperties('AWS::Events::EventBus', { Name: topology.bus.name });
    s.template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });

  it.each(topology.bus.rules.map((r) => [r.id, r] as const))(
    '%s: the topology’s pattern, to its queue, failures to the queue’s DLQ',
    (_id, rule) => {
      const { queue, dlq } = s.stack.queues[rule.target.queue]!;
      const found = ofType(s, 'AWS::Events::Rule').filter(
        ([, r]) => r.Properties?.Description === rule.description,
      );
      expect(found).toHaveLength(1);
      const props = found[0]![1].Properties!;
      expect(props.EventBusName).toEqual({ Ref: s.id(s.stack.bus) });
      expect(props.EventPattern).toEqual(rule.pattern);
      expect(props.Targets).toEqual([
        {
          Id: 'Target0',
          Arn: getAtt(s.id(queue), 'Arn'),
          DeadLetterConfig: { Arn: getAtt(s.id(dlq), 'Arn') },
        },
      ]);
    },
  );

  it('EventBridge may send to a rule’s queue and its DLQ only from that rule', () => {
    for (const rule of topology.bus.rules) {
      const { queue, dlq } = s.stack.queues[rule.target.queue]!;
      for (const q of [queue, dlq]) {
        hasQueueStatement(s, q, {
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
        });
      }
    }
  });

  it('with encryptionKeys=customer-managed, to a rule’s queue only from this account (CDK’s form for a KMS-encrypted queue)', () => {
    for (const rule of topology.bus.rules) {
      const { queue } = k.stack.queues[rule.target.queue]!;
      hasQueueStatement(k, queue, {
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
    }
  });
});

describe('triggers', () => {
  const mappingsOf = (name: string) =>
    ofType(s, 'AWS::Lambda::EventSourceMapping')
      .map(([, r]) => r.Properties!)
      .filter((p) => resourceKey(p.FunctionName) === fnId(name));

  it.each(triggersOf(topology, 'queue').map((t) => [t.name, t] as const))(
    '%s: SQS mapping with partial batch failures and the topology’s batch and concurrency',
    (name, { trigger }) => {
      const arn = getAtt(s.id(s.stack.queues[trigger.queue]!.queue), 'Arn');
      const mapping = mappingsOf(name).find((p) => JSON.stringify(p.EventSourceArn) === JSON.stringify(arn));
      expect(mapping).toEqual({
        FunctionName: { Ref: fnId(name) },
        EventSourceArn: arn,
        BatchSize: trigger.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: trigger.maxConcurrency },
        ...(trigger.maxBatchingWindowSeconds > 0
          ? { MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds }
          : {}),
      });
    },
  );

  it.each(triggersOf(topology, 'stream').map((t) => [t.name, t] as const))(
    '%s: stream mapping with the filter, retries, bisection and the on-failure queue',
    (name, { trigger }) => {
      const [mapping, ...others] = mappingsOf(name).filter(
        (p) => resourceKey(p.EventSourceArn) === `${s.id(s.stack.table)}.StreamArn`,
      );
      expect(others).toEqual([]);
      const { FilterCriteria, ...rest } = mapping as {
        FilterCriteria: { Filters: Array<{ Pattern: string }> };
      };
      expect(FilterCriteria.Filters.map((f) => JSON.parse(f.Pattern))).toEqual([trigger.filter]);
      expect(rest).toEqual({
        FunctionName: { Ref: fnId(name) },
        EventSourceArn: getAtt(s.id(s.stack.table), 'StreamArn'),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: trigger.batchSize,
        MaximumRetryAttempts: trigger.retryAttempts,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: { Destination: getAtt(s.id(s.stack.queues[trigger.onFailure]!.queue), 'Arn') },
        },
        ...(trigger.maxBatchingWindowSeconds > 0
          ? { MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds }
          : {}),
      });
    },
  );

  it('no function has a mapping the topology does not describe', () => {
    const described = triggersOf(topology, 'queue').length + triggersOf(topology, 'stream').length;
    s.template.resourceCountIs('AWS::Lambda::EventSourceMapping', described);
  });

  it.each(triggersOf(topology, 'schedule').map((t) => [t.trigger.id, t] as const))(
    '%s: a Scheduler schedule in the topology’s time zone, with retries and a DLQ',
    (_id, { name, trigger }) => {
      const dlq = s.stack.node.findChild('ScheduleDlq');
      const schedules = ofType(s, 'AWS::Scheduler::Schedule').filter(
        ([, r]) =>
          r.Properties?.Description === trigger.description &&
          resourceKey((r.Properties?.Target as { Arn?: unknown } | undefined)?.Arn ?? '') ===
            `${fnId(name)}.Arn`,
      );
      expect(schedules).toHaveLength(1);
      const props = schedules[0]![1].Properties as {
        ScheduleExpression: string;
        ScheduleExpressionTimezone: string;
        FlexibleTimeWindow: unknown;
        State: string;
        Target: {
          Arn: unknown;
          Input: string;
          RoleArn: unknown;
          RetryPolicy: unknown;
          DeadLetterConfig: unknown;
        };
      };
      expect(props.ScheduleExpression).toBe(`cron(${trigger.cron.minute} ${trigger.cron.hour} * * ? *)`);
      expect(props.ScheduleExpressionTimezone).toBe(topology.timeZone);
      expect(props.State).toBe('ENABLED');
      expect(props.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
      expect(props.Target.Arn).toEqual(getAtt(fnId(name), 'Arn'));
      expect(JSON.parse(props.Target.Input)).toEqual(trigger.input);
      expect(props.Target.DeadLetterConfig).toEqual({ Arn: getAtt(s.id(dlq), 'Arn') });
      expect(props.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });

      // The schedule's role: invoke this function, write to the DLQ (with the deployment's own
      // keys, encrypt for it), nothing else.
      const roleId = resourceKey(props.Target.RoleArn).replace(/\.Arn$/, '');
      const { grants, extras } = grantsOf(s, roleId);
      expect(extras).toEqual([]);
      const expected = {
        [`${fnId(name)}.Arn`]: ['lambda:InvokeFunction'],
        [`<${fnId(name)}.Arn>:*`]: ['lambda:InvokeFunction'],
        [`${s.id(dlq)}.Arn`]: ['sqs:SendMessage'],
      };
      const sorted = (g: typeof grants) => Object.fromEntries([...g].map(([r, a]) => [r, [...a].sort()]));
      expect(sorted(grants)).toEqual(expected);
      const withKeys = grantsOf(k, roleId);
      expect(withKeys.extras).toEqual([]);
      expect(sorted(withKeys.grants)).toEqual({
        ...expected,
        [`${k.id(k.stack.queues.hr!.queue.encryptionMasterKey!)}.Arn`]: [
          'kms:Decrypt',
          'kms:GenerateDataKey',
        ],
      });
      s.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ],
        },
      });

      // Function errors after Lambda's own retries go to the same DLQ.
      s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId(name) },
        DestinationConfig: { OnFailure: { Destination: getAtt(s.id(dlq), 'Arn') } },
      });
    },
  );

  it('schedules: one per schedule trigger', () => {
    s.template.resourceCountIs('AWS::Scheduler::Schedule', triggersOf(topology, 'schedule').length);
  });
});

describe('HTTP API', () => {
  const routeTriggers = triggersOf(topology, 'route');

  it('one API, a $default stage with access logs and throttling', () => {
    s.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: {
        ThrottlingBurstLimit: API_THROTTLE.burstLimit,
        ThrottlingRateLimit: API_THROTTLE.rateLimit,
      },
    });
  });

  it('a JWT authorizer on the Authorization header, with the issuer and audience in use', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        // without jwtIssuer (cdk.json has none): the stack's own Cognito pool and client
        Issuer: getAtt(s.id(s.stack.node.findChild('Users')), 'ProviderURL'),
        Audience: [Match.objectLike({ Ref: Match.stringLikeRegexp('^UsersApiClient') })],
      },
    });
  });

  it.each(routeTriggers.map((r) => [`${r.trigger.method} ${r.trigger.path}`, r] as const))(
    '%s: routed to its function, JWT unless auth is none',
    (routeKey, { name, trigger }) => {
      const routes = ofType(s, 'AWS::ApiGatewayV2::Route').filter(
        ([, r]) => r.Properties?.RouteKey === routeKey,
      );
      expect(routes).toHaveLength(1);
      const props = routes[0]![1].Properties!;
      if (trigger.auth === 'none') {
        expect(props.AuthorizationType).toBe('NONE');
        expect(props.AuthorizerId).toBeUndefined();
      } else {
        expect(props.AuthorizationType).toBe('JWT');
        const [authorizerId] = ofType(s, 'AWS::ApiGatewayV2::Authorizer').map(([id]) => id);
        expect(props.AuthorizerId).toEqual({ Ref: authorizerId });
      }
      const integrationId = resourceKey(props.Target).replace(/^integrations\/<(.*)>$/, '$1');
      expect(s.resources[integrationId]?.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: getAtt(fnId(name), 'Arn'),
        PayloadFormatVersion: '2.0',
      });
    },
  );

  it('no route the topology does not describe', () => {
    s.template.resourceCountIs('AWS::ApiGatewayV2::Route', routeTriggers.length);
  });
});

describe('least privilege', () => {
  it.each(functionNames)(
    '%s: its role allows nothing beyond its access and triggers (both key modes)',
    (name) => {
      const spec = topology.functions[name]!;
      for (const [mode, synthesized] of bothKeyModes) {
        const x = synthesized();
        const { grants, extras } = grantsOf(x, x.id(x.stack.functions[name]!.role));
        expect(extras, mode).toEqual([]);
        expect(excess(grants, allowedGrants(x, name, spec)), mode).toEqual([]);
      }
    },
  );

  it('without keys of its own no role holds a KMS action', () => {
    for (const name of functionNames) {
      const actions = actionsOf(grantsOf(s, s.id(s.stack.functions[name]!.role)).grants);
      expect(
        [...actions].filter((a) => a.startsWith('kms:')),
        name,
      ).toEqual([]);
    }
  });

  it.each(functionNames)('%s: and everything its access calls for', (name) => {
    const spec = topology.functions[name]!;
    const actions = actionsOf(grantsOf(s, s.id(s.stack.functions[name]!.role)).grants);
    const needed = dataActionsOf(spec.access);
    for (const action of needed) expect(actions, action).toContain(action);
  });

  it('every consumer of a queue or the stream dead-letters what fails its contract (access.deadLetters)', () => {
    const consumers = functionNames.filter((n) =>
      (topology.functions[n]!.triggers as readonly Trigger[]).some(
        (t) => t.kind === 'queue' || t.kind === 'stream',
      ),
    );
    expect(consumers.filter((n) => !topology.functions[n]!.access.deadLetters)).toEqual([]);
    expect(consumers.sort()).toEqual(
      ['enrol-member', 'grant-care', 'open-bereavement', 'publish-outbox', 'send-email'].sort(),
    );
  });

  it.each(functionNames.filter((n) => topology.functions[n]!.access.deadLetters))(
    '%s: may send to its own dead-letter queue, and to no other queue it does not name',
    (name) => {
      const spec = topology.functions[name]!;
      const { grants } = grantsOf(s, s.id(s.stack.functions[name]!.role));
      const own = deadLetterQueueOf(spec);
      const pair = s.stack.queues[own.queue]!;
      const ownArn = `${s.id(own.dlq ? pair.dlq : pair.queue)}.Arn`;
      expect([...(grants.get(ownArn) ?? [])]).toContain('sqs:SendMessage');
      // Every queue it may send to: its own DLQ, the queues its access names, a stream's on-failure queue.
      const named = [
        ...(spec.access.sendTo ?? []),
        ...(spec.triggers as readonly Trigger[]).flatMap((t) => (t.kind === 'stream' ? [t.onFailure] : [])),
      ].map((key) => `${s.id(s.stack.queues[key]!.queue)}.Arn`);
      const sendsTo = [...grants].filter(([, actions]) => actions.has('sqs:SendMessage')).map(([r]) => r);
      expect(sendsTo.sort()).toEqual([...new Set([ownArn, ...named])].sort());
      // Its environment names that queue, and only it holds dead letters of this consumer.
      const environment = s.resources[fnId(name)]?.Properties?.Environment as
        | { Variables: Record<string, unknown> }
        | undefined;
      expect(environment?.Variables.DEAD_LETTER_QUEUE_URL).toEqual({
        Ref: s.id(own.dlq ? pair.dlq : pair.queue),
      });
    },
  );

  it('public-api may only log and trace', () => {
    const { grants } = grantsOf(s, s.id(s.stack.functions['public-api']!.role));
    expect([...actionsOf(grants)].sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('publish-outbox: PutEvents, reading the stream, reporting failures; no table access', () => {
    const actions = [...actionsOf(grantsOf(s, s.id(s.stack.functions['publish-outbox']!.role)).grants)];
    expect(actions).toContain('events:PutEvents');
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ]);
    expect(actions.filter((a) => a.startsWith('sqs:')).sort()).toEqual([
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
  });

  it('send-email may not put events; only send-email may send mail', () => {
    for (const name of functionNames) {
      const actions = actionsOf(grantsOf(s, s.id(s.stack.functions[name]!.role)).grants);
      if (name === 'send-email') expect(actions).not.toContain('events:PutEvents');
      expect(actions.has('ses:SendEmail'), name).toBe(Boolean(topology.functions[name]!.access.sendEmail));
    }
  });

  it('only the X-Ray actions and dynamodb:ListStreams are granted on "*"', () => {
    for (const name of functionNames) {
      const star = grantsOf(s, s.id(s.stack.functions[name]!.role)).grants.get('*') ?? new Set();
      for (const action of star) {
        expect(['xray:PutTelemetryRecords', 'xray:PutTraceSegments', 'dynamodb:ListStreams']).toContain(
          action,
        );
      }
    }
  });
});

describe('mail, outputs', () => {
  it('verifies the SES identity with a configuration set', () => {
    s.template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: s.deployment.mail.transport === 'ses' ? s.deployment.mail.sesIdentity.value : '',
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });

  it('outputs the API URL, bus, table and every queue URL', () => {
    const outputs = Object.keys(s.template.toJSON().Outputs as object);
    expect(outputs).toEqual(expect.arrayContaining(['ApiUrl', 'EventBusName', 'EventBusArn', 'TableName']));
    for (const key of queueKeys) {
      const name = pascal(topology.queues[key].name);
      expect(outputs).toEqual(expect.arrayContaining([`${name}QueueUrl`, `${name}DlqUrl`]));
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it.each(bothKeyModes)(
    'finds nothing unacknowledged (errors and warnings alike), %s keys',
    (_mode, synthesized) => {
      const findings = synthesized().nag.violations.map(
        (v) =>
          `${v.ruleName} (${v.severity}): ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`,
      );
      expect(findings).toEqual([]);
    },
  );

  it('CDK itself annotates nothing (cdk-nag 3 reports through validation, not annotations)', () => {
    const annotations = Annotations.fromStack(s.stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('every acknowledgment has a reason and sits on a resource, never on the stack or app', () => {
    const acknowledged = s.stack.node
      .findAll()
      .concat([s.app])
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
          .flatMap((m) =>
            Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ c, id, reason })),
          ),
      );
    expect(acknowledged.length).toBeGreaterThan(0);
    recordFigure({
      id: 'aws.cdk-nag',
      section: 'aws',
      what: 'cdk-nag AwsSolutions over the synthesized stack (default keys: table under aws/dynamodb, queues SSE-SQS; PITR, RETAIN, TLS only)',
      counts: {
        'unacknowledged findings': s.nag.violations.length,
        'acknowledgements, each with its reason': acknowledged.length,
      },
      command: 'npx vitest run test/infra/gonghui-stack.test.ts',
    });
    for (const { c, id, reason } of acknowledged) {
      expect(c === s.stack || c === s.app, `${id} on ${c.node.path}`).toBe(false);
      expect(reason.length, `${id} on ${c.node.path}`).toBeGreaterThan(40);
    }
  });
});
