/**
 * The stack in both partitions: synthesized for the global regions (cdk.json's parameters, no
 * region: any region of the global partition) and for a China region (aws-cn, the smtp mail
 * transport, the university SSO), offline, with cdk-nag and CDK's own check that each resource
 * type exists in the region. Written over whole templates, so that what the stack gains later
 * (the web app's hosting, say) is checked too: no ARN of the global partition written anywhere (the
 * code included), nothing a China
 * region lacks, and the China template differs from the global one only by what it must leave out.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeploymentPropsError, slowestMailRate } from '../../infra/aws/deployment-props.ts';
import { PROJECT_ROOT } from '../../infra/aws/gonghui-stack.ts';
import { ENV } from '../../shared/config/env-names.ts';
import { grantsOf, ofType, type Synthesized, synth } from './support.ts';

/** The global partition's ARN prefix, built rather than written, so that this file passes its own check. */
const GLOBAL_ARN = ['arn', 'aws', ''].join(':');

const SSO = { jwtIssuer: 'https://sso.example.edu.cn', jwtAudience: 'gonghui' };
const SMTP = {
  mailTransport: 'smtp',
  smtpHost: 'smtp.example.edu.cn',
  smtpSecret: 'gonghui/smtp',
  smtpMaxSendRate: '5',
};
const CHINA = { region: 'cn-northwest-1', ...SSO, ...SMTP };

/** Service principals checked for the China regions (`<service>.amazonaws.com` is theirs there). */
const PRINCIPALS_CHECKED_FOR_CHINA = [
  'apigateway.amazonaws.com',
  'cloudwatch.amazonaws.com',
  'events.amazonaws.com',
  'lambda.amazonaws.com',
  'scheduler.amazonaws.com',
];

const countsOf = (s: Synthesized) => {
  const counts: Record<string, number> = {};
  for (const r of Object.values(s.resources)) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
};
const text = (s: Synthesized) => JSON.stringify(s.template.toJSON());
/** Every `Service` principal anywhere in the template. */
const servicePrincipals = (s: Synthesized): string[] => {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Service')
          for (const v of [value].flat()) found.add(typeof v === 'string' ? v : JSON.stringify(v));
        else walk(value);
      }
    }
  };
  walk(s.template.toJSON());
  return [...found].sort();
};
const without = (counts: Record<string, number>, types: string[]) =>
  Object.fromEntries(Object.entries(counts).filter(([type]) => !types.includes(type)));

let global: Synthesized;
let globalSmtp: Synthesized;
let china: Synthesized;
beforeAll(() => {
  global = synth();
  globalSmtp = synth({ context: { ...SSO, ...SMTP } });
  china = synth({ context: CHINA });
});

describe('the China template (cn-northwest-1, smtp, university SSO)', () => {
  it('is for aws-cn: its ARNs name that partition, and none of the global partition is written', () => {
    expect(china.stack.region).toBe('cn-northwest-1');
    expect(text(china)).not.toContain(GLOBAL_ARN);
    expect(text(china)).toContain('arn:aws-cn:');
  });

  it('creates no Cognito user pool, nothing of SES, and (for now) not the web hosting', () => {
    const types = Object.keys(countsOf(china));
    expect(types.filter((t) => t.startsWith('AWS::Cognito::'))).toEqual([]);
    expect(types.filter((t) => t.startsWith('AWS::SES::'))).toEqual([]);
    // CloudFront in aws-cn has no origin access control and no CloudFront Functions.
    expect(types.filter((t) => t.startsWith('AWS::CloudFront::'))).toEqual([]);
    expect(china.stack.web).toBeUndefined();
    expect(china.template.toJSON().Outputs).not.toHaveProperty('MailIdentityName');
    expect(china.template.toJSON().Outputs).not.toHaveProperty('UserPoolId');
  });

  it('differs from the same deployment in the global partition only by the web hosting', () => {
    // What the web app's hosting (infra/aws/web-app.ts) creates, read from the global template.
    const hosting = new Set(
      Object.entries(globalSmtp.resources)
        .filter(([id]) => id.startsWith('Web') || id.startsWith('CustomCDKBucketDeployment'))
        .map(([, r]) => r.Type),
    );
    const beyondHosting = (counts: Record<string, number>, s: Synthesized) => {
      const web = Object.entries(s.resources).filter(
        ([id]) => id.startsWith('Web') || id.startsWith('CustomCDKBucketDeployment'),
      );
      const left = { ...counts };
      for (const [, r] of web) left[r.Type] = (left[r.Type] ?? 0) - 1;
      return Object.fromEntries(Object.entries(left).filter(([, n]) => n > 0));
    };
    expect(hosting.size).toBeGreaterThan(0);
    expect(countsOf(china)).toEqual(beyondHosting(countsOf(globalSmtp), globalSmtp));
  });

  it('passes cdk-nag with nothing unacknowledged', () => {
    expect(china.nag.violations).toEqual([]);
    expect(china.nag.success).toBe(true);
  });

  it('uses only service principals checked for the China regions; endpoints come from AWS::URLSuffix', () => {
    // (A service added later, e.g. cloudfront for the web hosting, must be checked and added here.)
    expect(servicePrincipals(china).filter((p) => !PRINCIPALS_CHECKED_FOR_CHINA.includes(p))).toEqual([]);
    // No endpoint is written out: the API's URL takes the partition's suffix at deploy time.
    expect(text(china)).not.toMatch(/amazonaws\.com\.cn|execute-api\.[a-z0-9-]+\.amazonaws\.com/);
    expect(JSON.stringify(china.template.toJSON().Outputs.ApiUrl)).toContain('AWS::URLSuffix');
  });

  it('lets send-email read the SMTP secret, GetSecretValue only, on that secret only, and send no SES mail', () => {
    const fn = china.stack.functions['send-email']!;
    const { grants } = grantsOf(china, china.id(fn.role));
    const secret = [...grants].filter(([, actions]) => actions.has('secretsmanager:GetSecretValue'));
    expect(secret.map(([resource, actions]) => [resource, [...actions]])).toEqual([
      [
        'arn:aws-cn:secretsmanager:cn-northwest-1:<AWS::AccountId>:secret:gonghui/smtp-??????',
        ['secretsmanager:GetSecretValue'],
      ],
    ]);
    const all = [...grants.values()].flatMap((a) => [...a]);
    expect(all.filter((a) => a.startsWith('ses:'))).toEqual([]);
    // No other function may read it.
    for (const [name, other] of Object.entries(china.stack.functions)) {
      if (name === 'send-email') continue;
      const actions = [...grantsOf(china, china.id(other.role)).grants.values()].flatMap((a) => [...a]);
      expect(
        actions.filter((a) => a.startsWith('secretsmanager:')),
        name,
      ).toEqual([]);
    }
    const variables = (
      china.resources[china.id(fn.fn)]!.Properties!.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(variables).toMatchObject({
      [ENV.mailTransport]: 'smtp',
      [ENV.mailMaxSendRate]: '5',
      [ENV.smtpHost]: 'smtp.example.edu.cn',
      [ENV.smtpPort]: '587',
      [ENV.smtpTls]: 'starttls',
      [ENV.smtpSecretId]: 'gonghui/smtp',
    });
  });

  it('decrypts with a customer-managed secret key only through Secrets Manager in its own region', () => {
    const key = 'arn:aws-cn:kms:cn-northwest-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const withKey = synth({ context: { ...CHINA, smtpSecretKey: key } });
    const policies = ofType(withKey, 'AWS::IAM::Policy').flatMap(
      ([, p]) => (p.Properties!.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
    );
    const decrypt = policies.filter((st) => JSON.stringify(st.Resource) === JSON.stringify(key));
    expect(decrypt).toEqual([
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: key,
        Condition: {
          StringEquals: {
            'kms:ViaService': {
              'Fn::Join': ['', ['secretsmanager.cn-northwest-1.', { Ref: 'AWS::URLSuffix' }]],
            },
          },
        },
      },
    ]);
    expect(withKey.nag.violations).toEqual([]);
  });
});

describe('the global template', () => {
  it('writes no ARN of the global partition either: the partition is AWS::Partition at deploy time', () => {
    expect(global.stack.region).toMatch(/^\$\{Token/);
    expect(text(global)).not.toContain(GLOBAL_ARN);
  });

  it('with smtp and the SSO, leaves out exactly the SES identity and the Cognito stand-in', () => {
    const removed = [
      'AWS::SES::EmailIdentity',
      'AWS::SES::ConfigurationSet',
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolClient',
    ];
    for (const type of removed) expect(countsOf(global)[type], type).toBe(1);
    expect(without(countsOf(global), removed)).toEqual(countsOf(globalSmtp));
  });

  it('with ses, grants send-email ses:SendEmail and no secret', () => {
    const fn = global.stack.functions['send-email']!;
    const actions = [...grantsOf(global, global.id(fn.role)).grants.values()].flatMap((a) => [...a]);
    expect(actions).toContain('ses:SendEmail');
    expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
  });
});

describe('what a China deployment must be given, one line each', () => {
  const problems = (context: Record<string, unknown>) => {
    try {
      synth({ context });
    } catch (error) {
      expect(error).toBeInstanceOf(DeploymentPropsError);
      return (error as Error).message
        .split('\n')
        .slice(1)
        .map((l) => l.trim());
    }
    throw new Error('expected the synth to refuse');
  };

  it('the university SSO: aws-cn has no Cognito user pools', () => {
    const { jwtIssuer: _i, jwtAudience: _a, ...noSso } = CHINA;
    expect(problems(noSso)).toEqual([
      "jwtIssuer, jwtAudience: required in cn-northwest-1 (aws-cn has no Cognito user pools): the university SSO's issuer and audience, -c jwtIssuer=https://... -c jwtAudience=...",
    ]);
  });

  it('the smtp transport: aws-cn has no SES', () => {
    expect(problems({ region: 'cn-north-1', ...SSO })).toEqual([
      'mailTransport: cn-north-1 has no SES; use -c mailTransport=smtp with smtpHost, smtpSecret and smtpMaxSendRate',
    ]);
  });

  it('a rate at which a batch of mails would outlast the function', () => {
    expect(problems({ ...CHINA, smtpMaxSendRate: '0.1' })).toEqual([
      `smtpMaxSendRate: at 0.1 mails/s a batch of notifications outlasts send-email's timeout; at least ${slowestMailRate()}`,
    ]);
    expect(slowestMailRate()).toBe(0.53);
  });

  it('the SMTP server, its secret and its rate', () => {
    expect(problems({ region: 'cn-north-1', ...SSO, mailTransport: 'smtp' })).toEqual([
      'smtpHost: required (-c smtpHost=...)',
      'smtpSecret: required (-c smtpSecret=...)',
      'smtpMaxSendRate: required (-c smtpMaxSendRate=...)',
    ]);
  });
});

describe('the code', () => {
  it('writes no ARN of the global partition: every ARN comes from a partition (the stack’s, or the local one)', () => {
    const files = execFileSync('git', ['ls-files', '*.ts', '*.mjs', '*.js', '*.json'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f && !f.endsWith('package-lock.json'));
    const writing = files.filter((f) => readFileSync(join(PROJECT_ROOT, f), 'utf8').includes(GLOBAL_ARN));
    expect(writing).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });
});
