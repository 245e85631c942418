// A real SMTP server for the tests (the smtp-server package, as a mail relay would answer):
// it records every accepted message, can refuse a recipient permanently (550) or for now (451),
// and can be stopped and started again on the same port to play an outage.

import { freePort } from '@shopnow/testkit';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  from: string;
  to: string[];
  /** The raw message with quoted-printable decoded, so assertions read plain text. */
  content: string;
  subject: string;
  messageId: string;
  receivedAt: number;
}

export interface TestSmtp {
  url: string;
  port: number;
  received: ReceivedEmail[];
  /** Recipients answered 550 (permanent) or 451 (temporary) at RCPT TO. */
  refuse: Map<string, 550 | 451>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Emails received for `to`. */
  to(address: string): ReceivedEmail[];
}

/** Undoes quoted-printable (soft breaks, =XX bytes) over the whole message; headers are unaffected. */
export function decodeQuotedPrintable(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => `%${hex}`);
  const latin = bytes.replace(/%(?![0-9A-F]{2})/g, '%25');
  try {
    return decodeURIComponent(latin);
  } catch {
    return raw;
  }
}

export async function startSmtp(options: { listening?: boolean } = {}): Promise<TestSmtp> {
  const port = await freePort();
  const received: ReceivedEmail[] = [];
  const refuse = new Map<string, 550 | 451>();
  let server: SMTPServer | undefined;
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const code = refuse.get(address.address.toLowerCase());
        if (code === undefined) return callback();
        const err = Object.assign(new Error(code === 550 ? 'No such mailbox here' : 'Try again later'), {
          responseCode: code,
        });
        callback(err);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const content = decodeQuotedPrintable(raw);
          received.push({
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            content,
            subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '',
            messageId: /^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? '',
            receivedAt: Date.now(),
          });
          callback();
        });
      },
    });
  const smtp: TestSmtp = {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    refuse,
    async start() {
      server = make();
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    to: (address) => received.filter((m) => m.to.includes(address)),
  };
  if (options.listening !== false) await smtp.start();
  return smtp;
}
