import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpCapture {
  url: string;
  messages: ParsedMail[];
  /** Recipients the server refuses with a 550, to test bounces. */
  refuse: Set<string>;
  /** Connections accepted so far, and those still open. */
  connections: { total: number; open: number };
  close(): Promise<void>;
}

/** A real SMTP server on loopback that parses every message it accepts. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: ParsedMail[] = [];
  const refuse = new Set<string>();
  const connections = { total: 0, open: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      connections.total++;
      connections.open++;
      callback();
    },
    onClose() {
      connections.open--;
    },
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) {
        const err = Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuse,
    connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
