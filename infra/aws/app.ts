/**
 * CDK entry (cdk.json: `npx tsx infra/aws/app.ts`). Environment-agnostic: no account, no region,
 * no lookups, so `cdk synth` needs neither credentials nor network; functions are bundled with
 * the local esbuild, never Docker. The CLI synthesizes the app when this module has run.
 *
 * Deployment parameters come from CDK context; deployment-props.ts lists and checks them
 * (import it, not this module, to parse parameters without building the app):
 *
 *   region                   optional; a China region (cn-north-1, cn-northwest-1) means aws-cn:
 *                            no Cognito, no SES (see README, "Deploy in the AWS China regions")
 *   jwtIssuer, jwtAudience   university SSO (OIDC); without them a Cognito user pool is created
 *   hrAccountId              account allowed to PutEvents (HR's source only) on the bus
 *   mailTransport            ses (default) or smtp
 *   sesIdentity, mailFrom    SES identity (domain or address) and the sender within it
 *   sesMaxSendRate           SES account send rate, mails/s (default 14)
 *   smtpHost, smtpPort, smtpTls, smtpSecret, smtpSecretKey, smtpMaxSendRate   the SMTP server
 *   membershipPrefix         membership number prefix (default GLU)
 *   unionContactEmail        address members are told to write to
 *   congressSession          current staff-congress session (proposals)
 *   proposalSecondersRequired, proposalMaxReassignments   proposal policy (defaults 2, 1)
 *   alarmEmail               optional subscriber of the alarm topic
 *   encryptionKeys           aws-managed (default) or customer-managed (two KMS keys of the stack's own)
 *
 *   npx cdk deploy -c sesIdentity=union.example.edu.cn -c mailFrom=noreply@union.example.edu.cn \
 *     -c unionContactEmail=union@example.edu.cn -c congressSession=2026 \
 *     -c jwtIssuer=https://sso.example.edu.cn -c jwtAudience=gonghui -c hrAccountId=123456789012
 */
import { ensureWebBuilt } from '../../web/tools/build.ts';
import type { GonghuiDeploymentProps } from './deployment-props.ts';
import { buildApp } from './gonghui-app.ts';

// The web app's files are an asset of the stack: built here when its sources changed (seconds),
// offline like the rest of the synth.
await ensureWebBuilt((line) => process.stderr.write(`${line}\n`));

const { deployment } = buildApp();

/** The validated parameters this app was built with. */
export const deploymentProps: GonghuiDeploymentProps = deployment;
