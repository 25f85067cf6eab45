/**
 * Builds the app as `cdk synth` does (cdk.json's context, the same cdk-nag pack) but without
 * bundling: NodejsFunction then points at a placeholder asset, so a synth takes a second instead
 * of one esbuild run per function.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CfnElement, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildApp, type GonghuiApp } from '../../infra/aws/gonghui-app.ts';
import { type GonghuiStack, PROJECT_ROOT, type StackTopology } from '../../infra/aws/gonghui-stack.ts';
import { deadLetterQueueOf, type FunctionSpec, TABLE_WRITES, type Trigger } from '../../infra/topology.ts';

export const cdkJsonContext = (
  JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

export interface Synthesized extends GonghuiApp {
  template: Template;
  resources: Record<string, CfnResourceJson>;
  /** cdk-nag AwsSolutions findings that are not acknowledged. */
  nag: PolicyValidationPluginReport;
  /** The logical id of a construct's CloudFormation resource (or of the element itself). */
  id: (construct: IConstruct) => string;
}

export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export const synth = (
  options: { context?: Record<string, unknown>; topology?: StackTopology } = {},
): Synthesized => {
  const built = buildApp({
    context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...options.context },
    ...(options.topology ? { topology: options.topology } : {}),
  });
  const template = Template.fromStack(built.stack);
  const nag = new AwsSolutionsChecks().validateScope(built.stack);
  const id = (construct: IConstruct): string =>
    built.stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
  const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;
  return { ...built, template, resources, nag, id };
};

export const ofType = (s: Synthesized, type: string): Array<[string, CfnResourceJson]> =>
  Object.entries(s.resources).filter(([, r]) => r.Type === type);

export const triggersOf = <K extends Trigger['kind']>(topology: StackTopology, kind: K) =>
  Object.entries(topology.functions).flatMap(([name, spec]) =>
    (spec.triggers as readonly Trigger[])
      .filter((t): t is Extract<Trigger, { kind: K }> => t.kind === kind)
      .map((trigger) => ({ name, trigger })),
  );

// ---------------------------------------------------------------------------------------------
// IAM: what a role may do, as `resource → actions`, with resources written as `<LogicalId.Attr>`.

export type Grants = Map<string, Set<string>>;

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** `{ "Fn::GetAtt": ["Table", "Arn"] }` → `Table.Arn`; joins are flattened the same way. */
export const resourceKey = (resource: unknown): string => {
  if (typeof resource === 'string') return resource;
  const r = resource as Record<string, unknown>;
  if (r['Fn::GetAtt']) return (r['Fn::GetAtt'] as string[]).join('.');
  if (r.Ref) return String(r.Ref);
  if (r['Fn::Join']) {
    const [sep, parts] = r['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => (typeof p === 'string' ? p : `<${resourceKey(p)}>`)).join(sep);
  }
  throw new Error(`Unexpected resource ${JSON.stringify(resource)}`);
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every Allow of every policy attached to the role, and whether the role has anything else. */
export const grantsOf = (s: Synthesized, roleId: string): { grants: Grants; extras: string[] } => {
  const grants: Grants = new Map();
  const extras: string[] = [];
  const role = s.resources[roleId]?.Properties ?? {};
  if (role.ManagedPolicyArns) extras.push(`managed policies ${JSON.stringify(role.ManagedPolicyArns)}`);
  if (role.Policies) extras.push('inline policies on the role');
  for (const [id, policy] of ofType(s, 'AWS::IAM::Policy')) {
    const roles = ((policy.Properties?.Roles as unknown[] | undefined) ?? []).map(resourceKey);
    if (!roles.includes(roleId)) continue;
    const doc = policy.Properties?.PolicyDocument as { Statement: Statement[] };
    for (const st of doc.Statement) {
      if (st.Effect !== 'Allow') continue;
      if (st.Condition) extras.push(`conditional statement in ${id}`);
      for (const resource of asArray(st.Resource)) {
        const key = resourceKey(resource);
        const set = grants.get(key) ?? new Set<string>();
        for (const action of asArray(st.Action)) set.add(action);
        grants.set(key, set);
      }
    }
  }
  for (const [id, policy] of ofType(s, 'AWS::IAM::ManagedPolicy')) {
    const roles = ((policy.Properties?.Roles as unknown[]) ?? []).map(resourceKey);
    if (roles.includes(roleId)) extras.push(`managed policy ${id}`);
  }
  return { grants, extras };
};

const KEY_DECRYPT = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_ENCRYPT = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
];
const SQS_SEND = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
const SQS_CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];

/**
 * The most a function may be granted, derived from its topology entry alone: `access`, then
 * what each trigger needs to be polled or to report failures. Anything beyond this is a leak.
 */
export const allowedGrants = (s: Synthesized, name: string, spec: FunctionSpec): Grants => {
  const stack: GonghuiStack = s.stack;
  const allowed: Grants = new Map();
  const allow = (resource: string | undefined, actions: string[]) => {
    if (resource === undefined) return;
    const set = allowed.get(resource) ?? new Set<string>();
    for (const a of actions) set.add(a);
    allowed.set(resource, set);
  };
  const fn = stack.functions[name]!;
  const table = `${s.id(stack.table)}.Arn`;
  // The deployment's own keys, when it has them (encryptionKeys=customer-managed); AWS managed
  // and SQS-managed keys need no grant, so then no KMS action is allowed at all.
  const tableKey = stack.table.encryptionKey;
  const queueKey = stack.queues.hr!.queue.encryptionMasterKey;
  const dataKey = tableKey ? `${s.id(tableKey)}.Arn` : undefined;
  const messagingKey = queueKey ? `${s.id(queueKey)}.Arn` : undefined;
  const queueArn = (key: string) => `${s.id(stack.queues[key]!.queue)}.Arn`;

  allow(`${s.id(fn.logGroup)}.Arn`, ['logs:CreateLogStream', 'logs:PutLogEvents']);
  allow('*', ['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);

  const access = spec.access;
  if (access.table?.length) {
    const actions = access.table.map((a) => `dynamodb:${a}`);
    allow(table, actions);
    allow(`<${table}>/index/*`, actions);
    allow(dataKey, access.table.some((a) => TABLE_WRITES.includes(a)) ? KEY_ENCRYPT : KEY_DECRYPT);
  }
  if (access.putEvents) allow(`${s.id(stack.bus)}.Arn`, ['events:PutEvents']);
  if (access.sendEmail) {
    for (const [id] of ofType(s, 'AWS::SES::EmailIdentity')) {
      allow(`arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/<${id}>`, ['ses:SendEmail']);
    }
    for (const [id] of ofType(s, 'AWS::SES::ConfigurationSet')) {
      allow(`arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${id}>`, [
        'ses:SendEmail',
      ]);
    }
  }
  for (const key of access.sendTo ?? []) {
    allow(queueArn(key), SQS_SEND);
    allow(messagingKey, KEY_ENCRYPT);
  }
  if (access.deadLetters) {
    // Its own dead-letter queue only: sqs:SendMessage, and the key to encrypt what it sends.
    const own = deadLetterQueueOf(spec);
    const pair = stack.queues[own.queue]!;
    allow(`${s.id(own.dlq ? pair.dlq : pair.queue)}.Arn`, ['sqs:SendMessage']);
    allow(messagingKey, ['kms:Decrypt', 'kms:GenerateDataKey']);
  }
  for (const trigger of spec.triggers as readonly Trigger[]) {
    switch (trigger.kind) {
      case 'queue':
        allow(queueArn(trigger.queue), SQS_CONSUME);
        allow(messagingKey, ['kms:Decrypt']);
        break;
      case 'stream':
        allow(`${s.id(stack.table)}.StreamArn`, STREAM_READ);
        allow('*', ['dynamodb:ListStreams']);
        allow(dataKey, KEY_DECRYPT);
        allow(queueArn(trigger.onFailure), SQS_SEND);
        allow(messagingKey, KEY_ENCRYPT);
        break;
      case 'schedule': {
        // the async invocation's on-failure destination
        const dlq = s.stack.node.findChild('ScheduleDlq');
        allow(`${s.id(dlq)}.Arn`, SQS_SEND);
        allow(messagingKey, KEY_ENCRYPT);
        break;
      }
      case 'route':
        break;
    }
  }
  return allowed;
};

/** `granted` minus `allowed`, as readable strings (empty when the role stays inside its access). */
export const excess = (granted: Grants, allowed: Grants): string[] =>
  [...granted].flatMap(([resource, actions]) =>
    [...actions].filter((a) => !allowed.get(resource)?.has(a)).map((a) => `${a} on ${resource}`),
  );

export const actionsOf = (grants: Grants): Set<string> =>
  new Set([...grants.values()].flatMap((a) => [...a]));
