/**
 * A real SMTP server, in-process, on 127.0.0.1 with a free port. It parses each message it
 * receives with mailparser and keeps it, with the SMTP envelope (who it was really sent to).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message as the server received it. */
export interface CapturedMail {
  /** `RCPT TO` addresses of the SMTP session: who the message was delivered to. */
  readonly envelopeTo: readonly string[];
  /** `MAIL FROM`. */
  readonly envelopeFrom: string | null;
  readonly parsed: ParsedMail;
}

/** A running capture server. */
export interface SmtpCapture {
  /** `smtp://127.0.0.1:<port>`, usable as SMTP_URL. */
  readonly url: string;
  /** Messages received so far, in order. */
  readonly mails: CapturedMail[];
  close(): Promise<void>;
}

/**
 * Starts the server. Addresses listed in `reject` are refused at `RCPT TO` (a permanent 550),
 * to exercise delivery failures.
 */
export async function startSmtpCapture(options: { reject?: readonly string[] } = {}): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  const rejected = new Set((options.reject ?? []).map((address) => address.toLowerCase()));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        const error = Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            envelopeFrom: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
            parsed,
          });
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The addresses of a parsed header (`to`, `cc`, `bcc`), lower-cased. */
export function headerAddresses(parsed: ParsedMail, header: 'to' | 'cc' | 'bcc'): string[] {
  const value = parsed[header];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((group) => group.value.map((entry) => (entry.address ?? '').toLowerCase()));
}
