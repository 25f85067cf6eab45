/** `gonghui mail list`: what the SES emulator received (the local inbox). */
import { loadRuntimeInfo } from '../runtime-info.ts';

export interface SentMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  at: number;
}

interface StoreEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

export const listMail = async (sesEndpoint = loadRuntimeInfo().endpoints.ses): Promise<SentMail[]> => {
  const res = await fetch(`${sesEndpoint}/store`);
  if (!res.ok) throw new Error(`SES emulator answered ${res.status}`);
  const store = (await res.json()) as { emails: StoreEmail[] };
  return store.emails.map((e) => ({
    messageId: e.messageId,
    from: e.from,
    to: e.destination.to,
    subject: e.subject,
    ...(e.body.text !== undefined ? { text: e.body.text } : {}),
    ...(e.body.html !== undefined ? { html: e.body.html } : {}),
    at: e.at,
  }));
};
