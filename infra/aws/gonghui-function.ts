/**
 * The one function construct (house style, habit 11): every Lambda gets the same runtime,
 * architecture, bundling, tracing and log retention from here, its own log group, and its own
 * role that starts with nothing but writing to that log group. The stack then adds exactly the
 * grants the topology's `access` and triggers call for.
 */
import { resolve } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { MailTransport } from '../../shared/config/mail-transport.ts';
import { bundling } from '../bundling.ts';
import type { FunctionSpec } from '../topology.ts';

export interface LambdaDefaults {
  readonly runtime: string;
  readonly architecture: string;
  readonly logRetentionDays: number;
}

export interface GonghuiFunctionProps {
  /** The topology's name for the function (`enrol-member`). */
  readonly name: string;
  readonly spec: FunctionSpec;
  /** Exactly the variables the topology lists for this function, with their values. */
  readonly environment: Record<string, string>;
  readonly defaults: LambdaDefaults;
  /** Absolute path of the project root: entries and the lock file are relative to it. */
  readonly projectRoot: string;
  /** The deployment's mail transport: the bundle holds that transport's code only (bundling.ts). */
  readonly mailTransport: MailTransport;
}

const runtimeOf = (name: string): Runtime => {
  // Not NODEJS_LATEST, which has the same name today but moves with CDK releases.
  const runtime = Runtime.ALL.find((r) => r.name === name && !r.isVariable);
  if (!runtime) throw new Error(`Unknown Lambda runtime "${name}" in lambdaDefaults`);
  return runtime;
};

const architectureOf = (name: string): Architecture => {
  if (name === Architecture.ARM_64.name) return Architecture.ARM_64;
  if (name === Architecture.X86_64.name) return Architecture.X86_64;
  throw new Error(`Unknown Lambda architecture "${name}" in lambdaDefaults`);
};

export const retentionOf = (days: number): RetentionDays => {
  if (!Object.values(RetentionDays).includes(days)) {
    throw new Error(`CloudWatch Logs has no ${days}-day retention (lambdaDefaults.logRetentionDays)`);
  }
  return days as RetentionDays;
};

export class GonghuiFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: GonghuiFunctionProps) {
    super(scope, id);
    const { spec, defaults } = props;

    this.logGroup = new LogGroup(this, 'Logs', { retention: retentionOf(defaults.logRetentionDays) });

    // Our own role instead of the default one: the default attaches AWSLambdaBasicExecutionRole,
    // which may write to every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `gonghui ${props.name}: least privilege from the topology's access and triggers`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: resolve(props.projectRoot, spec.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: resolve(props.projectRoot, 'package-lock.json'),
      runtime: runtimeOf(defaults.runtime),
      architecture: architectureOf(defaults.architecture),
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      description: spec.description,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment: props.environment,
      bundling: {
        format: bundling.format === 'cjs' ? OutputFormat.CJS : OutputFormat.ESM,
        target: bundling.target,
        minify: bundling.minify,
        sourceMap: bundling.sourcemap,
        sourcesContent: bundling.sourcesContent,
        mainFields: [...bundling.mainFields],
        inject: [...bundling.inject],
        // esbuild resolves an alias's target from the project root, where CDK runs it.
        esbuildArgs: Object.fromEntries(
          Object.entries(bundling.alias).map(([from, to]) => [`--alias:${from}`, to]),
        ),
        ...(bundling.banner ? { banner: bundling.banner } : {}),
        define: { [bundling.bundledMailTransport]: JSON.stringify(props.mailTransport) },
        // The SDK is bundled, at the versions package-lock.json pins, as the benchmark measures
        // it; the runtime's copy changes under us without a deploy.
        externalModules: [],
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html).',
    });
  }
}
