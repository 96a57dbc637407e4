import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Config } from '../../lib/config';

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The .eml file when there is no SMTP server. */
  outboxFile?: string;
}

export interface Mailer {
  readonly mode: 'smtp' | 'outbox';
  send(message: SendMailOptions): Promise<SentMail>;
  /** Closes the pooled SMTP connections (they stay open between messages until then). */
  close(): void;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/**
 * The pooled transport's bound: a day's few hundred approval emails go over these few connections
 * (each reused for up to 100 messages, nodemailer's default) instead of one connection, greeting
 * and QUIT per message. Kept small so a burst never crowds the mail server.
 */
export const SMTP_MAX_CONNECTIONS = 3;

/**
 * SMTP when SMTP_URL is set; otherwise every message is rendered by nodemailer exactly as it would
 * be sent and written to OUTBOX_DIR as an .eml file, so nothing is lost without a mail server.
 */
export function createMailer(config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'OUTBOX_DIR'>): Mailer {
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport({
      url: config.SMTP_URL,
      pool: true,
      maxConnections: SMTP_MAX_CONNECTIONS,
    });
    return {
      mode: 'smtp',
      async send(message) {
        const info = await transport.sendMail({ from: config.MAIL_FROM, ...message });
        return {
          messageId: info.messageId,
          accepted: info.accepted.map(String),
          rejected: info.rejected.map(String),
        };
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let counter = 0;
  return {
    mode: 'outbox',
    async send(message) {
      const info = await transport.sendMail({ from: config.MAIL_FROM, ...message });
      mkdirSync(config.OUTBOX_DIR, { recursive: true });
      const to = Array.isArray(message.to) ? message.to.join(',') : String(message.to ?? '');
      const file = join(
        config.OUTBOX_DIR,
        `${Date.now()}-${++counter}-${slug(to)}-${slug(String(message.subject ?? ''))}.eml`,
      );
      writeFileSync(file, info.message as Buffer);
      return { messageId: info.messageId, accepted: [to], rejected: [], outboxFile: file };
    },
    close: () => transport.close(),
  };
}
