/** send-email's mailer, for the transport the deployment chose (MAIL_TRANSPORT), built at cold start. */
import { sesClient } from '../adapters/aws-clients.ts';
import { sesMailer } from '../adapters/ses-mailer.ts';
import type { SmtpSettings } from '../adapters/smtp-mailer.ts';
import type { Mailer } from '../mail/send-notifications.ts';
import { ConfigError, readEnumEnv, readEnv } from './config.ts';
import { ENV } from './env-names.ts';
import { MAIL_TRANSPORTS, SMTP_TLS_MODES } from './mail-transport.ts';

export const mailerFromEnv = (env: NodeJS.ProcessEnv = process.env): Mailer => {
  const from = readEnv(ENV.mailFrom, env);
  if (readEnumEnv(ENV.mailTransport, MAIL_TRANSPORTS, env) === 'ses') return sesMailer(sesClient(), from);
  // The settings are checked at cold start: a wrong one stops the function before any mail.
  const port = Number(readEnv(ENV.smtpPort, env));
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new ConfigError(
      `Environment variable ${ENV.smtpPort} must be a port number, got "${env[ENV.smtpPort]}"`,
    );
  const settings = {
    host: readEnv(ENV.smtpHost, env),
    port,
    tls: readEnumEnv(ENV.smtpTls, SMTP_TLS_MODES, env),
    from,
  };
  const secretId = readEnv(ENV.smtpSecretId, env);
  // A deployment bundles one transport (infra/bundling.ts, bundledMailTransport): with ses, the
  // smtp code below is dead and esbuild leaves nodemailer out. Elsewhere it is loaded at the first
  // mail, not at cold start; a failed load is tried again at the next mail.
  if (process.env.GONGHUI_BUNDLED_MAIL_TRANSPORT === 'ses')
    throw new ConfigError(
      `Environment variable ${ENV.mailTransport} is smtp, but this bundle was built for ses: deploy again`,
    );
  // else: with the define, esbuild drops this branch and the module it imports.
  else return lazySmtpMailer(() => import('../adapters/smtp-mailer-from-secret.ts'), settings, secretId);
};

/**
 * The smtp mailer, loaded at the first mail. The import is written inside the branch above (the
 * caller passes it), not here: an `import()` anywhere in the bundle, even in code esbuild then
 * drops, makes it wrap the modules it reaches and keep all of their imports (with ses, every
 * DynamoDB and SES command and waiter: send-email's ses bundle was 470 KiB instead of 376).
 */
const lazySmtpMailer = (
  importSmtp: () => Promise<typeof import('../adapters/smtp-mailer-from-secret.ts')>,
  settings: SmtpSettings,
  secretId: string,
): Mailer => {
  let smtp: Promise<Mailer> | undefined;
  const load = () =>
    (smtp ??= importSmtp().then(
      (m) => m.smtpMailerFromSecret(settings, secretId),
      (error: unknown) => {
        smtp = undefined;
        throw error;
      },
    ));
  return { send: async (mail) => (await load()).send(mail) };
};
