// Sending one email over SMTP with nodemailer. The Message-ID is derived from the message's id, so
// a receiver that sees one twice (a crash between the server's acceptance and our record of it)
// can tell.
import nodemailer from 'nodemailer';
import type { SmtpFailure } from '../domain/retry.ts';

export interface Email {
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface Mailer {
  /** Resolves with the server's reply; rejects with an error carrying SmtpFailure fields. */
  send(email: Email): Promise<string>;
  close(): void;
}

export function smtpMailer(options: { url: string; from: string; timeoutMs: number }): Mailer {
  // Timeouts bound one send; the URL may add TLS and credentials.
  const transport = nodemailer.createTransport(
    {
      url: options.url,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    },
    { from: options.from },
  );
  const domain =
    URL.parse(`mailto:${options.from.replace(/^.*<|>.*$/g, '')}`)?.pathname.split('@')[1] ?? 'shopnow.local';
  return {
    async send(email) {
      const info = await transport.sendMail({
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        messageId: `<${email.id}@${domain}>`,
      });
      return String(info.response ?? 'accepted');
    },
    close: () => transport.close(),
  };
}

/** The SMTP reply code and error code of a failed send, for classifySmtpFailure. */
export function failureOf(err: unknown): SmtpFailure & { message: string } {
  const e = err as { responseCode?: unknown; code?: unknown; message?: unknown; response?: unknown };
  return {
    responseCode: typeof e?.responseCode === 'number' ? e.responseCode : undefined,
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: String(e?.response ?? e?.message ?? err),
  };
}
