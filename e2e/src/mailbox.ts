// The developer mailbox of the embedded runtime (notification's /dev/mailbox, loopback only): every
// email the platform sent, as its recipient got it. Tests read it as a person reads their email.
import { apiClient } from './api-client.ts';
import { waitUntil } from './wait.ts';

export interface Email {
  id: string;
  kind: string;
  to: string | null;
  subject: string | null;
  status: string;
  sourceEventId: string;
  html: string | null;
  text: string | null;
}

export interface Mailbox {
  /** Every email to `address`, newest first (summaries: no html or text). */
  emailsTo(address: string): Promise<Email[]>;
  /** The emails of `kind` to `address` (with their html and text) once `count` of them are there. */
  waitFor(address: string, kind: string, options?: { count?: number; timeoutMs?: number }): Promise<Email[]>;
}

export function mailbox(notificationUrl: string): Mailbox {
  const call = apiClient(notificationUrl);
  const emailsTo = async (address: string): Promise<Email[]> => {
    const res = await call<{ items: Email[] }>(
      'GET',
      `/dev/mailbox?to=${encodeURIComponent(address)}&limit=100`,
    );
    if (res.status !== 200) throw new Error(`mailbox: ${res.status} ${res.text}`);
    return res.body.items;
  };
  const detail = async (id: string): Promise<Email> => {
    const res = await call<Email>('GET', `/dev/mailbox/${id}`);
    if (res.status !== 200) throw new Error(`mailbox ${id}: ${res.status} ${res.text}`);
    return res.body;
  };
  return {
    emailsTo,
    async waitFor(address, kind, { count = 1, timeoutMs = 30_000 } = {}) {
      const found = await waitUntil(
        `${count} ${kind} email(s) to ${address}`,
        async () => (await emailsTo(address)).filter((e) => e.kind === kind),
        (emails) => emails.length >= count,
        { timeoutMs, intervalMs: 250 },
      );
      return Promise.all(found.map((e) => detail(e.id)));
    },
  };
}

/** The token a link in an email carries (`…?token=…`), as the page it leads to would read it. */
export function tokenInLink(text: string, path: string): string {
  const match = new RegExp(`https?://[^\\s"'<>]*${path}\\?token=([^\\s"'<>&]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${path} link in: ${text.slice(0, 500)}`);
  return decodeURIComponent(match[1]);
}
