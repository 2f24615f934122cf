import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A message the demo's loopback servers received (GET /api/v1/dev/mensajes). */
export interface DevMessage {
  channel: "correo" | "sms";
  to: string;
  subject: string;
  text: string;
  sentAt: string;
  messageId: string;
}

/** The newest messages kept, so a long demo does not grow without bound. */
const KEEP = 2000;

/**
 * The demo's peers (issue 9 §4): a real SMTP server and a real HTTP SMS sink on loopback, on
 * ports the system picks, that keep what they receive in memory. `serve --demo` points the
 * pipeline at them, so the demo exercises the production path.
 */
export async function startDevSinks(): Promise<{
  smtpUrl: string;
  smsUrl: string;
  messages(to?: string): DevMessage[];
  close(): Promise<void>;
}> {
  const received: DevMessage[] = [];
  const keep = (m: DevMessage) => {
    received.push(m);
    if (received.length > KEEP) received.splice(0, received.length - KEEP);
  };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          for (const rcpt of session.envelope.rcptTo) {
            keep({
              channel: "correo",
              to: rcpt.address.toLowerCase(),
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              sentAt: new Date().toISOString(),
              messageId: parsed.messageId ?? "",
            });
          }
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const sms: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    request.on("end", () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          to?: unknown;
          text?: unknown;
        };
        if (
          request.method !== "POST" ||
          typeof body.to !== "string" ||
          typeof body.text !== "string"
        ) {
          response.writeHead(400).end();
          return;
        }
        const id = request.headers["idempotency-key"];
        keep({
          channel: "sms",
          to: body.to,
          subject: "",
          text: body.text,
          sentAt: new Date().toISOString(),
          messageId: typeof id === "string" ? id : "",
        });
        response
          .writeHead(202, { "content-type": "application/json" })
          .end('{"estado":"aceptado"}');
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => sms.listen(0, "127.0.0.1", resolve));
  const smsPort = (sms.address() as AddressInfo).port;

  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    smsUrl: `http://127.0.0.1:${smsPort}/sms`,
    messages: (to) =>
      received
        .filter((m) => to === undefined || m.to === to.trim().toLowerCase() || m.to === to.trim())
        .slice()
        .reverse(),
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      sms.closeAllConnections();
      await new Promise<void>((resolve) => sms.close(() => resolve()));
    },
  };
}

export type DevSinks = Awaited<ReturnType<typeof startDevSinks>>;
