/**
 * Builds the CDK app: the stack from infra/topology.ts and the deployment parameters in context,
 * checked by cdk-nag's AwsSolutions pack. app.ts runs it under the CDK CLI; the infra tests
 * build the same app with the same context (cdk.json's) so they see what `cdk synth` sees.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type GonghuiDeploymentProps, parseDeploymentProps } from './deployment-props.ts';
import { GonghuiStack, type StackTopology } from './gonghui-stack.ts';

export const STACK_NAME = 'Gonghui';

export interface BuildAppOptions {
  /** Extra context (tests); the CLI's -c values and cdk.json reach the App on their own. */
  readonly context?: Record<string, unknown>;
  readonly topology?: StackTopology;
  readonly outdir?: string;
}

export interface GonghuiApp {
  readonly app: App;
  readonly stack: GonghuiStack;
  readonly deployment: GonghuiDeploymentProps;
}

export const buildApp = (options: BuildAppOptions = {}): GonghuiApp => {
  const app = new App({
    analyticsReporting: false,
    ...(options.context ? { context: options.context } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  // cdk-nag 3 is a policy-validation plugin (v2 was an Aspect): synthesis fails on any finding
  // that is not acknowledged with a reason, and the report lands in cdk.out.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const deployment = parseDeploymentProps((key) => app.node.tryGetContext(key));
  const stack = new GonghuiStack(app, STACK_NAME, {
    description: 'Gonghui: trade union backend (HR enrolment, care, proposals, mail)',
    // A region makes the template that region's (its partition's ARNs, only its services);
    // without one it fits any region of the global partition. No account: synth stays offline.
    ...(deployment.region ? { env: { region: deployment.region } } : {}),
    deployment,
    ...(options.topology ? { topology: options.topology } : {}),
  });
  return { app, stack, deployment };
};
