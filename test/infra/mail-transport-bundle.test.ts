/**
 * A deployment's send-email holds the code of its own mail transport only (infra/bundling.ts,
 * bundledMailTransport, set by infra/aws/gonghui-function.ts): with ses no nodemailer, whose
 * parsing was a third of send-email's cold start. Bundled here with the deploy's esbuild options.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/aws/gonghui-stack.ts';
import { bundling, esbuildOptions } from '../../infra/bundling.ts';
import type { MailTransport } from '../../shared/config/mail-transport.ts';

/** The source files with code in send-email's bundle, built for one transport or (the embedded runtime) both. */
const sendEmailInputs = async (transport?: MailTransport): Promise<string[]> => {
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [resolve(PROJECT_ROOT, 'functions/send-email.ts')],
    ...esbuildOptions(),
    write: false,
    outdir: 'out',
    metafile: true,
    define: transport ? { [bundling.bundledMailTransport]: JSON.stringify(transport) } : {},
    logLevel: 'silent',
  });
  // The files with code in the output (esbuild reads a dropped branch's imports, then leaves them out).
  // The bundle, not its source map (an output too, with no inputs).
  const output = Object.entries(result.metafile?.outputs ?? {}).find(([file]) => file.endsWith('.js'))?.[1];
  return Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
};
const has = (inputs: string[], part: string) => inputs.some((file) => file.includes(part));

describe("send-email's bundle per mail transport", () => {
  it('with ses holds neither nodemailer nor the Secrets Manager client', async () => {
    const inputs = await sendEmailInputs('ses');
    expect(has(inputs, 'node_modules/nodemailer/')).toBe(false);
    expect(has(inputs, 'client-secrets-manager')).toBe(false);
    expect(has(inputs, 'shared/adapters/ses-mailer.ts')).toBe(true);
    // Tree shaking intact: the SDK clients' used commands only, not the aggregated clients with
    // every command and waiter (what a dynamic import left in the bundle used to cost: 470 KiB instead of 376).
    expect(has(inputs, '@aws-sdk/client-dynamodb/dist-es/DynamoDB.js')).toBe(false);
    expect(has(inputs, '@aws-sdk/client-dynamodb/dist-es/waiters/')).toBe(false);
    expect(has(inputs, '@aws-sdk/client-ses/dist-es/SES.js')).toBe(false);
  });

  it('with smtp, and in the embedded runtime (either transport by a setting), holds nodemailer', async () => {
    for (const transport of ['smtp', undefined] as const) {
      const inputs = await sendEmailInputs(transport);
      expect(has(inputs, 'node_modules/nodemailer/'), String(transport)).toBe(true);
      expect(has(inputs, 'shared/adapters/smtp-mailer-from-secret.ts'), String(transport)).toBe(true);
    }
  });

  it('reads the define under the key the bundling sets', () => {
    expect(readFileSync(resolve(PROJECT_ROOT, 'shared/config/mail-deps.ts'), 'utf8')).toContain(
      `${bundling.bundledMailTransport} === 'ses'`,
    );
  });
});
