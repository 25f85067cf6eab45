/**
 * The AWS stack: infra/topology.ts mapped onto CDK. Nothing here is written per function or per
 * queue; a function, queue, rule or trigger added to the topology is deployed by this code as it
 * stands, with exactly the permissions its `access` and triggers imply.
 *
 *   table                 → one DynamoDB table (customer-managed key, PITR, stream, TTL, retained)
 *   queues                → an SQS queue and its DLQ each (redrive after maxReceiveCount, alarm)
 *   bus, bus.rules        → an EventBridge bus; each rule targets its queue (the queue's DLQ
 *                           takes what EventBridge cannot deliver)
 *   functions             → GonghuiFunction (gonghui-function.ts) each
 *   trigger queue         → SQS event source mapping (partial batch failures)
 *   trigger stream        → DynamoDB stream mapping (filter, retries, bisect, on-failure queue)
 *   trigger schedule      → EventBridge Scheduler schedule in TIME_ZONE (retries, DLQ)
 *   trigger route         → a route of the one HTTP API (JWT authorizer unless auth is 'none')
 *   access                → grants, and nothing else
 *
 * Partition-aware: every ARN is built from the stack's partition (formatArn, CDK's own grants),
 * never written out, so the same code deploys to the global and the China (aws-cn) regions. What
 * a region lacks is not created: the Cognito stand-in only without the university SSO (which
 * deployment-props.ts requires in aws-cn), the SES identity only with the ses mail transport.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ArnFormat,
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnRoute,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AccountRecovery, FeaturePlan, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  type StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { type EventPattern as CdkEventPattern, EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { AccountPrincipal, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { ConfigurationSet, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { HR_SOURCE } from '../../events/hr.ts';
import { ENV, type EnvName } from '../../shared/config/env-names.ts';
import { partitionOf } from '../partition.ts';
import type { BusRule, FunctionSpec, QueueKey, QueueSpec, Trigger } from '../topology.ts';
import * as topology from '../topology.ts';
import type { GonghuiDeploymentProps, MailSettings } from './deployment-props.ts';
import { GonghuiFunction, type LambdaDefaults, retentionOf } from './gonghui-function.ts';
import { WEB_API_STAGE, WebApp } from './web-app.ts';

/** What the stack reads from infra/topology.ts; tests can hand it a variant (e.g. with a schedule). */
export interface StackTopology {
  readonly table: {
    readonly partitionKey: string;
    readonly sortKey: string;
    readonly indexes: ReadonlyArray<{ name: string; partitionKey: string; sortKey: string }>;
    readonly stream: `${StreamViewType}`;
    readonly ttlAttribute: string;
  };
  readonly queues: Readonly<Record<QueueKey, QueueSpec>>;
  readonly bus: { readonly name: string; readonly rules: ReadonlyArray<BusRule> };
  readonly functions: Readonly<Record<string, FunctionSpec>>;
  readonly lambdaDefaults: LambdaDefaults;
  readonly timeZone: string;
}

export const appTopology: StackTopology = {
  table: topology.table,
  queues: topology.queues,
  bus: topology.bus,
  functions: topology.functions,
  lambdaDefaults: topology.lambdaDefaults,
  timeZone: topology.TIME_ZONE,
};

export interface GonghuiStackProps extends StackProps {
  readonly deployment: GonghuiDeploymentProps;
  /** Defaults to infra/topology.ts. */
  readonly topology?: StackTopology;
  /** The built web app (default web/dist; infra/aws/app.ts builds it first); false: no web app. */
  readonly webDist?: string | false;
}

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** HTTP API stage throttling: far above one university's traffic, low enough to cap a runaway client. */
export const API_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

/** Scheduled jobs are idempotent per date: retry delivery for up to an hour, then the DLQ. */
const SCHEDULE_RETRY = { retryAttempts: 3, maxEventAge: Duration.hours(1) } as const;

/** Construct ids and output names from topology names (the CLI finds deployed queues by them). */
export const pascal = topology.pascal;

/** Topology patterns use EventBridge's JSON keys; CDK's EventPattern wants camelCase ones. */
const CDK_PATTERN_KEYS: Record<string, keyof CdkEventPattern> = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
};

export const toCdkEventPattern = (pattern: Record<string, unknown>): CdkEventPattern =>
  Object.fromEntries(
    Object.entries(pattern).map(([key, value]) => {
      const cdkKey = CDK_PATTERN_KEYS[key];
      if (!cdkKey) throw new Error(`Event pattern key "${key}" is not an EventBridge top-level field`);
      return [cdkKey, value];
    }),
  ) as CdkEventPattern;

interface TriggerOf<K extends Trigger['kind']> {
  readonly name: string;
  readonly trigger: Extract<Trigger, { kind: K }>;
  readonly fn: GonghuiFunction;
}

export interface QueuePair {
  readonly queue: Queue;
  readonly dlq: Queue;
}

export class GonghuiStack extends Stack {
  readonly table: Table;
  readonly bus: EventBus;
  readonly queues: Record<string, QueuePair>;
  readonly functions: Record<string, GonghuiFunction>;
  readonly api?: HttpApi;
  readonly web?: WebApp;
  readonly alarmTopic: Topic;

  private readonly topo: StackTopology;
  /** The queues' and the alarm topic's key, when the deployment keeps its own keys. */
  private readonly messagingKey: Key | undefined;
  private scheduleDlq?: Queue;
  private readonly kmsAcknowledged = new Set<GonghuiFunction>();

  constructor(scope: Construct, id: string, props: GonghuiStackProps) {
    super(scope, id, props);
    const topo = props.topology ?? appTopology;
    const deployment = props.deployment;
    this.topo = topo;

    // --- keys --------------------------------------------------------------------------------
    // Customer managed keys only when the deployment asks for them (deployment-props.ts,
    // encryptionKeys): at a university's volume two keys are most of the month's bill.
    const customerKeys = deployment.encryptionKeys === 'customer-managed';
    const dataKey = customerKeys
      ? new Key(this, 'DataKey', {
          description: 'gonghui: DynamoDB table (members, proposals, care, outbox)',
          enableKeyRotation: true,
          removalPolicy: RemovalPolicy.RETAIN,
        })
      : undefined;
    // One key for queues and the alarm topic. A customer-managed key, not alias/aws/sqs: only a
    // key policy we own can let EventBridge, CloudWatch and Scheduler write to encrypted queues
    // and topics. Without it the queues use SQS-managed keys, which need no key policy at all.
    this.messagingKey = customerKeys
      ? new Key(this, 'MessagingKey', {
          description: 'gonghui: SQS queues and the alarm topic',
          enableKeyRotation: true,
          removalPolicy: RemovalPolicy.DESTROY,
          pendingWindow: Duration.days(30),
        })
      : undefined;

    // --- alarms ------------------------------------------------------------------------------
    this.alarmTopic = new Topic(this, 'Alarms', {
      displayName: 'gonghui alarms',
      ...(this.messagingKey ? { masterKey: this.messagingKey } : {}),
      enforceSSL: true,
    });
    if (this.messagingKey) {
      this.messagingKey.addToResourcePolicy(
        new PolicyStatement({
          sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      );
    }
    // Without keys of its own the alarm topic is not encrypted at rest: CloudWatch can publish to
    // an encrypted topic only under a customer managed key, and the topic carries alarm and queue
    // names, no personal data. (cdk-nag's AwsSolutions pack does not ask for it; its SNS3, TLS
    // only, holds in both modes.)
    if (deployment.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(deployment.alarmEmail));

    // --- table -------------------------------------------------------------------------------
    const t = topo.table;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: t.partitionKey, type: AttributeType.STRING },
      sortKey: { name: t.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      ...(dataKey
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: dataKey }
        : { encryption: TableEncryption.AWS_MANAGED }),
      stream: t.stream as StreamViewType,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: t.ttlAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of t.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // --- queues ------------------------------------------------------------------------------
    this.queues = {};
    for (const [key, spec] of Object.entries(topo.queues)) {
      const dlq = this.newQueue(`${pascal(spec.name)}Dlq`, {
        retentionPeriod: Duration.days(spec.retentionDays),
      });
      const queue = this.newQueue(`${pascal(spec.name)}Queue`, {
        retentionPeriod: Duration.days(spec.retentionDays),
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
      });
      this.alarmWhenNotEmpty(dlq, `${topology.dlqName(spec)}: ${spec.description}`);
      this.queues[key] = { queue, dlq };
    }
    // A stream's on-failure queue is a dead-letter queue too: anything in it was not published.
    const onFailureQueues = new Set(
      Object.values(topo.functions).flatMap((spec) =>
        (spec.triggers as readonly Trigger[]).flatMap((t) => (t.kind === 'stream' ? [t.onFailure] : [])),
      ),
    );
    for (const key of onFailureQueues) {
      const spec = topo.queues[key];
      this.alarmWhenNotEmpty(this.queue(key).queue, `${spec.name}: ${spec.description}`);
    }

    // --- bus ---------------------------------------------------------------------------------
    this.bus = new EventBus(this, 'Bus', {
      eventBusName: topo.bus.name,
      description: 'gonghui: HR events in, domain events out',
    });
    if (deployment.hrAccountId) {
      // Only HR's own events: the account must not be able to forge gonghui.* domain events
      // (they send mail and change state).
      this.bus.addToResourcePolicy(
        new PolicyStatement({
          sid: 'HrAccountPutsHrEvents',
          principals: [new AccountPrincipal(deployment.hrAccountId)],
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
          conditions: { StringEquals: { 'events:source': HR_SOURCE } },
        }),
      );
    }
    for (const rule of topo.bus.rules) {
      const target = this.queue(rule.target.queue);
      new Rule(this, rule.id, {
        eventBus: this.bus,
        description: rule.description,
        eventPattern: toCdkEventPattern(rule.pattern),
        targets: [new SqsQueue(target.queue, { deadLetterQueue: target.dlq })],
      });
    }

    // --- mail --------------------------------------------------------------------------------
    const mail = deployment.mail;
    const mailer =
      mail.transport === 'ses' ? this.sesMailer(mail) : this.smtpMailer(mail, deployment.mailFrom);

    // --- functions ---------------------------------------------------------------------------
    /** A function's own dead-letter queue (access.deadLetters): its trigger's DLQ, or its stream's on-failure queue. */
    const deadLetterQueue = (spec: FunctionSpec): Queue | undefined => {
      if (!spec.access.deadLetters) return undefined;
      const target = topology.deadLetterQueueOf(spec);
      const pair = this.queue(target.queue);
      return target.dlq ? pair.dlq : pair.queue;
    };
    const envValues = (functionName: string) =>
      ({
        [ENV.tableName]: this.table.tableName,
        [ENV.eventBusName]: this.bus.eventBusName,
        [ENV.mailFrom]: deployment.mailFrom,
        [ENV.mailTransport]: mail.transport,
        [ENV.mailMaxSendRate]: String(mail.maxSendRate),
        // Only functions that mail get these, and only with smtp (topology.environmentOf).
        [ENV.smtpHost]: mail.transport === 'smtp' ? mail.host : '',
        [ENV.smtpPort]: mail.transport === 'smtp' ? String(mail.port) : '',
        [ENV.smtpTls]: mail.transport === 'smtp' ? mail.tls : '',
        [ENV.smtpSecretId]: mail.transport === 'smtp' ? mail.secret : '',
        [ENV.mailConcurrency]: String(topology.mailConcurrency()),
        [ENV.mailClaimLeaseSeconds]: String(topology.mailClaimLeaseSeconds()),
        [ENV.unionContactEmail]: deployment.unionContactEmail,
        [ENV.membershipPrefix]: deployment.membershipPrefix,
        [ENV.enrolmentMode]: deployment.enrolmentMode,
        [ENV.dispatchedStaff]: deployment.dispatchedStaff,
        // Unused in automatic mode; the union's own domain is the natural home of the page.
        [ENV.invitationUrl]: deployment.invitationUrl ?? `https://${mailer.domain}/invitations`,
        [ENV.congressSession]: deployment.congressSession,
        [ENV.proposalSecondersRequired]: String(deployment.proposalSecondersRequired),
        [ENV.proposalMaxReassignments]: String(deployment.proposalMaxReassignments),
        [ENV.careQueueUrl]: this.queue('care').queue.queueUrl,
        [ENV.deadLetterQueueUrl]: deadLetterQueue(topo.functions[functionName]!)?.queueUrl ?? '',

        [ENV.powertoolsServiceName]: functionName,
        [ENV.logLevel]: 'INFO',
      }) satisfies Record<EnvName, string>;

    this.functions = {};
    for (const [name, spec] of Object.entries(topo.functions)) {
      const values: Record<EnvName, string> = envValues(name);
      const fn = new GonghuiFunction(this, pascal(name), {
        name,
        spec,
        environment: Object.fromEntries(
          topology.environmentOf(spec, mail.transport).map((env) => [env, values[env]]),
        ),
        defaults: topo.lambdaDefaults,
        projectRoot: PROJECT_ROOT,
        mailTransport: mail.transport,
      });
      this.functions[name] = fn;

      // access → grants
      const access = spec.access;
      if (access.table?.length) {
        // Exactly the listed actions, on the table and its indexes; the key as CDK's own table
        // grants would give it (decrypt to read, and encrypt too when the function writes).
        this.table.grant(fn.fn, ...access.table.map((a) => `dynamodb:${a}`));
        const writes = access.table.some((a) => topology.TABLE_WRITES.includes(a));
        this.table.encryptionKey?.grant(
          fn.fn,
          ...(writes
            ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']
            : ['kms:Decrypt', 'kms:DescribeKey']),
        );
        this.acknowledgeTableGrant(fn);
      }
      if (access.putEvents) this.bus.grantPutEventsTo(fn.fn);
      if (access.sendEmail)
        for (const statement of mailer.statements) fn.role.addToPrincipalPolicy(statement);
      for (const key of access.sendTo ?? []) {
        this.queue(key).queue.grantSendMessages(fn.fn);
        this.acknowledgeKmsWildcards(fn);
      }
      const ownDlq = deadLetterQueue(spec);
      if (ownDlq) {
        // sqs:SendMessage on this one queue, nothing more (not CDK's grantSendMessages, which
        // adds GetQueueAttributes and GetQueueUrl), and the queue key's data key to encrypt it.
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [ownDlq.queueArn] }),
        );
        this.messagingKey?.grant(fn.fn, 'kms:Decrypt', 'kms:GenerateDataKey');
      }
    }

    // --- triggers ----------------------------------------------------------------------------
    for (const { name, fn, trigger } of this.triggers('queue')) {
      const visibility = topo.queues[trigger.queue].visibilityTimeoutSeconds;
      const timeout = topo.functions[name]!.timeoutSeconds;
      if (visibility < timeout) {
        // Lambda refuses the mapping at deploy time; say so at synth time.
        throw new Error(
          `Queue "${trigger.queue}" has a ${visibility} s visibility timeout, less than ${name}'s ${timeout} s timeout`,
        );
      }
      fn.fn.addEventSource(
        new SqsEventSource(this.queue(trigger.queue).queue, {
          batchSize: trigger.batchSize,
          ...(trigger.maxBatchingWindowSeconds > 0
            ? { maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds) }
            : {}),
          maxConcurrency: trigger.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
    }

    for (const { fn, trigger } of this.triggers('stream')) {
      fn.fn.addEventSource(
        new DynamoEventSource(this.table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: trigger.batchSize,
          ...(trigger.maxBatchingWindowSeconds > 0
            ? { maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds) }
            : {}),
          retryAttempts: trigger.retryAttempts,
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(this.queue(trigger.onFailure).queue),
          filters: [FilterCriteria.filter(trigger.filter)],
        }),
      );
      this.acknowledgeKmsWildcards(fn);
      Validations.of(fn.role.node.findChild('DefaultPolicy')).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and the stream trigger (dynamodb:ListStreams) support no resource-level permissions; every other action is scoped to one resource.',
      });
    }

    const asyncConfigured = new Set<GonghuiFunction>();
    for (const { fn, trigger } of this.triggers('schedule')) {
      const dlq = this.schedulerDlq();
      // Scheduler invokes asynchronously: a delivery failure lands in the DLQ through Scheduler,
      // a function error (after Lambda's own two retries) through the function's on-failure
      // destination, the same queue.
      if (!asyncConfigured.has(fn)) {
        fn.fn.configureAsyncInvoke({
          retryAttempts: 2,
          maxEventAge: Duration.hours(6),
          onFailure: new SqsDestination(dlq),
        });
        this.acknowledgeKmsWildcards(fn);
        asyncConfigured.add(fn);
      }
      const role = new Role(this, `${pascal(trigger.id)}ScheduleRole`, {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
        description: `gonghui schedule ${trigger.id}: invokes one function, writes to its DLQ`,
      });
      this.messagingKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
      new Schedule(this, `${pascal(trigger.id)}Schedule`, {
        description: trigger.description,
        schedule: ScheduleExpression.cron({
          minute: trigger.cron.minute,
          hour: trigger.cron.hour,
          timeZone: TimeZone.of(topo.timeZone),
        }),
        target: new LambdaInvoke(fn.fn, {
          role,
          input: ScheduleTargetInput.fromObject(trigger.input),
          deadLetterQueue: dlq,
          ...SCHEDULE_RETRY,
        }),
      });
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason:
          'lambda:InvokeFunction on this one function and its versions/aliases (CDK grantInvoke); no other function.',
      });
    }

    const routes = this.triggers('route');
    if (routes.length > 0) {
      const { api, issuer, audience } = this.buildApi(routes, deployment);
      this.api = api;
      // Not in aws-cn: CloudFront there has neither origin access control nor CloudFront Functions,
      // which the web hosting is built on (CDK's per-region check refuses both at synth). The API
      // is deployed; the web app's hosting in China is a follow-up (README, China section).
      if (props.webDist !== false && partitionOf(deployment.region) !== 'aws-cn') {
        this.web = new WebApp(this, 'Web', {
          api,
          distDir: props.webDist ?? resolve(PROJECT_ROOT, 'web', 'dist'),
          // The Cognito stand-in's issuer is only known at deploy time; its origin is the region's.
          ssoOrigin: deployment.jwt
            ? new URL(deployment.jwt.issuer).origin
            : `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`,
          config: {
            authority: issuer,
            clientId: deployment.web.clientId ?? audience,
            scope: deployment.web.scope,
            apiBase: `/${WEB_API_STAGE}`,
          },
        });
        new CfnOutput(this, 'WebUrl', { value: `https://${this.web.distribution.distributionDomainName}` });
      }
    }

    // --- outputs -----------------------------------------------------------------------------
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: this.bus.eventBusArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    for (const [key, pair] of Object.entries(this.queues)) {
      const name = topo.queues[key as QueueKey].name;
      new CfnOutput(this, `${pascal(name)}QueueUrl`, { value: pair.queue.queueUrl });
      new CfnOutput(this, `${pascal(name)}DlqUrl`, { value: pair.dlq.queueUrl });
    }
    if (this.scheduleDlq) new CfnOutput(this, 'ScheduleDlqUrl', { value: this.scheduleDlq.queueUrl });
    mailer.outputs();
  }

  /**
   * SES: the identity the stack verifies (a domain gets its DKIM records as outputs), sent through
   * a configuration set that suppresses bounces and complaints; mailing functions may SendEmail
   * from that identity only.
   */
  private sesMailer(mail: Extract<MailSettings, { transport: 'ses' }>) {
    const configurationSet = new ConfigurationSet(this, 'MailConfigurationSet', {
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const identity = new EmailIdentity(this, 'MailIdentity', {
      identity:
        mail.sesIdentity.kind === 'domain'
          ? Identity.domain(mail.sesIdentity.value)
          : Identity.email(mail.sesIdentity.value),
      configurationSet,
    });
    const configurationSetArn = this.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: configurationSet.configurationSetName,
    });
    return {
      domain: mail.sesIdentity.value.split('@').pop()!,
      statements: [
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [identity.emailIdentityArn, configurationSetArn],
        }),
      ],
      outputs: () => {
        new CfnOutput(this, 'MailIdentityName', { value: identity.emailIdentityName });
        if (mail.sesIdentity.kind === 'domain') {
          identity.dkimRecords.forEach((record, i) => {
            new CfnOutput(this, `DkimCname${i + 1}`, {
              description: 'Publish as a CNAME in the domain DNS for Easy DKIM',
              value: `${record.name} CNAME ${record.value}`,
            });
          });
        }
      },
    };
  }

  /**
   * SMTP: nothing is created (the server is the operator's). Mailing functions may read the one
   * secret with the server's credentials, GetSecretValue only; and decrypt with its key only if
   * it is a customer-managed one, and only through Secrets Manager in this region.
   */
  private smtpMailer(mail: Extract<MailSettings, { transport: 'smtp' }>, mailFrom: string) {
    // A name or a partial ARN matches the secret's ARN with the six characters Secrets Manager
    // appends; a complete ARN (it ends in them) is the secret itself.
    const complete = /:secret:.+-[A-Za-z0-9]{6}$/.test(mail.secret) && mail.secret.startsWith('arn:');
    const secretArn = mail.secret.startsWith('arn:')
      ? complete
        ? mail.secret
        : `${mail.secret}-??????`
      : this.formatArn({
          service: 'secretsmanager',
          resource: 'secret',
          resourceName: `${mail.secret}-??????`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
    const statements = [
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }),
    ];
    if (mail.secretKeyArn) {
      statements.push(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [mail.secretKeyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.${this.urlSuffix}` },
          },
        }),
      );
    }
    return {
      // The sender's domain: the union's own, where the invitation page naturally lives.
      domain: (/@([^<>\s]+)>?\s*$/.exec(mailFrom)?.[1] ?? mail.host).toLowerCase(),
      statements,
      outputs: () => {
        new CfnOutput(this, 'SmtpServer', { value: `${mail.host}:${mail.port} (${mail.tls})` });
      },
    };
  }

  /** Every trigger of one kind, with the function it belongs to. */
  private triggers<K extends Trigger['kind']>(kind: K): Array<TriggerOf<K>> {
    return Object.entries(this.topo.functions).flatMap(([name, spec]) =>
      (spec.triggers as readonly Trigger[])
        .filter((t): t is Extract<Trigger, { kind: K }> => t.kind === kind)
        .map((trigger) => ({ name, trigger, fn: this.functions[name]! })),
    );
  }

  private queue(key: QueueKey): QueuePair {
    const pair = this.queues[key];
    if (!pair) throw new Error(`The topology refers to queue "${key}", which it does not define`);
    return pair;
  }

  private newQueue(id: string, props: ConstructorParameters<typeof Queue>[2]): Queue {
    return new Queue(this, id, {
      ...props,
      ...(this.messagingKey
        ? { encryption: QueueEncryption.KMS, encryptionMasterKey: this.messagingKey }
        : { encryption: QueueEncryption.SQS_MANAGED }),
      enforceSSL: true,
    });
  }

  private alarmWhenNotEmpty(queue: Queue, description: string): void {
    const alarm = new Alarm(this, `${queue.node.id}NotEmptyAlarm`, {
      alarmDescription: `Messages are waiting in a dead-letter queue. ${description}`,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
  }

  private schedulerDlq(): Queue {
    if (!this.scheduleDlq) {
      this.scheduleDlq = this.newQueue('ScheduleDlq', { retentionPeriod: Duration.days(14) });
      this.alarmWhenNotEmpty(this.scheduleDlq, 'schedule-dlq: scheduled invocations that failed');
      Validations.of(this.scheduleDlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself a dead-letter queue: EventBridge Scheduler and the scheduled functions (async on-failure destination) write to it; it has an alarm.',
      });
    }
    return this.scheduleDlq;
  }

  /**
   * Writing to the table or sending to a queue comes with CDK's key grant, which names
   * `kms:GenerateDataKey*` and `kms:ReEncrypt*`; the grant is on our own key ARNs only.
   */
  private acknowledgeKmsWildcards(fn: GonghuiFunction): void {
    // AWS managed and SQS-managed keys come with no grants of ours, so nothing to acknowledge.
    if (!this.messagingKey || this.kmsAcknowledged.has(fn)) return;
    this.kmsAcknowledged.add(fn);
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${action} comes with CDK's encrypt grant on the stack's own table or messaging key, and is limited to that key's ARN.`,
      });
    }
  }

  private acknowledgeTableGrant(fn: GonghuiFunction): void {
    this.acknowledgeKmsWildcards(fn);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.table.node.defaultChild as CfnElement)}.Arn>/index/*]`,
      reason: 'Queries use the table’s own global secondary indexes (GSI1..n); the grant is limited to them.',
    });
  }

  private buildApi(
    routes: Array<TriggerOf<'route'>>,
    deployment: GonghuiDeploymentProps,
  ): { api: HttpApi; issuer: string; audience: string } {
    let issuer: string;
    let audience: string;
    if (deployment.jwt) {
      issuer = deployment.jwt.issuer;
      audience = deployment.jwt.audience;
    } else {
      const { pool, client } = this.buildUserPool();
      issuer = pool.userPoolProviderUrl;
      audience = client.userPoolClientId;
      new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    }
    new CfnOutput(this, 'JwtIssuer', { value: issuer });

    const api = new HttpApi(this, 'Api', {
      apiName: 'gonghui',
      description: 'gonghui HTTP API',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: retentionOf(this.topo.lambdaDefaults.logRetentionDays),
    });
    const accessLogSettings = {
      destination: new LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(
        JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          requestTime: '$context.requestTime',
          routeKey: '$context.routeKey',
          status: '$context.status',
          responseLength: '$context.responseLength',
          latencyMs: '$context.responseLatency',
          integrationError: '$context.integrationErrorMessage',
          authorizerError: '$context.authorizer.error',
          sub: '$context.authorizer.claims.sub',
        }),
      ),
    };
    const stage: HttpStage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings,
    });
    // The web app's way in (same origin, through CloudFront's /api/*): a stage named `api`;
    // HTTP APIs take the stage name off the path before matching routes.
    api.addStage('WebStage', {
      stageName: WEB_API_STAGE,
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings,
    });
    const jwt = new HttpJwtAuthorizer('Jwt', issuer, {
      jwtAudience: [audience],
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const { name, fn, trigger } of routes) {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(name)}Integration`, fn.fn);
        integrations.set(name, integration);
      }
      const [route] = api.addRoutes({
        path: trigger.path,
        methods: [HttpMethod[trigger.method]],
        integration,
        authorizer: trigger.auth === 'none' ? new HttpNoneAuthorizer() : jwt,
      }) as [HttpRoute];
      if (trigger.auth === 'none') {
        Validations.of(route.node.defaultChild as CfnRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${trigger.method} ${trigger.path} is public by design: the topology gives it auth 'none' (${name}: ${this.topo.functions[name]!.description}).`,
        });
      }
    }
    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    return { api, issuer, audience };
  }

  private buildUserPool(): { pool: UserPool; client: UserPoolClient } {
    const pool = new UserPool(this, 'Users', {
      userPoolName: 'gonghui',
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The user pool is the stand-in for the university SSO (deployments with jwtIssuer do not create it); MFA is required, and the Plus plan’s per-user threat protection is not worth its price here.',
    });
    const client = pool.addClient('ApiClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
    });
    return { pool, client };
  }
}
