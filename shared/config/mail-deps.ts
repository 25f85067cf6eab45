/** send-email's mailer, for the transport the deployment chose (MAIL_TRANSPORT), built at cold start. */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secretsManagerClient, sesClient } from '../adapters/aws-clients.ts';
import { sesMailer } from '../adapters/ses-mailer.ts';
import { parseSmtpCredentials, smtpMailer } from '../adapters/smtp-mailer.ts';
import type { Mailer } from '../mail/send-notifications.ts';
import { ConfigError, readEnumEnv, readEnv } from './config.ts';
import { ENV } from './env-names.ts';
import { MAIL_TRANSPORTS, SMTP_TLS_MODES } from './mail-transport.ts';

export const mailerFromEnv = (env: NodeJS.ProcessEnv = process.env): Mailer => {
  const from = readEnv(ENV.mailFrom, env);
  if (readEnumEnv(ENV.mailTransport, MAIL_TRANSPORTS, env) === 'ses') return sesMailer(sesClient(), from);
  const port = Number(readEnv(ENV.smtpPort, env));
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new ConfigError(
      `Environment variable ${ENV.smtpPort} must be a port number, got "${env[ENV.smtpPort]}"`,
    );
  const secretId = readEnv(ENV.smtpSecretId, env);
  return smtpMailer(
    { host: readEnv(ENV.smtpHost, env), port, tls: readEnumEnv(ENV.smtpTls, SMTP_TLS_MODES, env), from },
    // Read at the first mail, not at cold start: an instance that sends nothing reads nothing.
    async () => {
      const out = await secretsManagerClient().send(new GetSecretValueCommand({ SecretId: secretId }));
      return parseSmtpCredentials(out.SecretString);
    },
  );
};
