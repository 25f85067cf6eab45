/**
 * A Secrets Manager stand-in on 127.0.0.1 for the embedded runtime, with the one action a
 * function calls: GetSecretValue (the SDK's JSON 1.1 protocol, as the real service answers it,
 * including its ResourceNotFoundException). No emulator of Secrets Manager exists among the
 * packages this project may use, and the function must read its SMTP credentials locally the way
 * it does on AWS, through the real SDK client (AWS_ENDPOINT_URL_SECRETS_MANAGER).
 *
 * The secrets are the runtime's own (the local SMTP server's account), given at start.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSecrets {
  endpoint: string;
  stop(): Promise<void>;
}

const JSON_11 = 'application/x-amz-json-1.1';

const reply = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_11, 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export async function startLocalSecrets(opts: {
  region: string;
  accountId: string;
  /** name → secret string */
  secrets: Record<string, string>;
}): Promise<LocalSecrets> {
  const created = Math.floor(Date.now() / 1000);
  const arnOf = (name: string) =>
    // The partition of the local region (ap-east-1): the global one.
    `arn:${'aws'}:secretsmanager:${opts.region}:${opts.accountId}:secret:${name}-local0`;
  const find = (id: string): string | undefined =>
    Object.keys(opts.secrets).find((name) => name === id || arnOf(name) === id);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    const body = await readBody(req);
    if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
      return reply(res, 400, {
        __type: 'UnknownOperationException',
        message: `the local Secrets Manager answers GetSecretValue only, not ${String(target)}`,
      });
    }
    let secretId: unknown;
    try {
      secretId = (JSON.parse(body) as { SecretId?: unknown }).SecretId;
    } catch {
      return reply(res, 400, { __type: 'SerializationException', message: 'the body is not JSON' });
    }
    const name = typeof secretId === 'string' ? find(secretId) : undefined;
    if (!name) {
      return reply(res, 400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    }
    return reply(res, 200, {
      ARN: arnOf(name),
      Name: name,
      SecretString: opts.secrets[name],
      VersionId: 'local',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: created,
    });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, { __type: 'InternalServiceError', message: 'local error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
