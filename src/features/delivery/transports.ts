import nodemailer from "nodemailer";
import type { DeliveryChannel } from "../../platform/db/schema.ts";

/** A message ready to leave: rendered, addressed, with its stable Message-ID. */
export interface RenderedMessage {
  channel: DeliveryChannel;
  to: string;
  messageId: string;
  subject: string;
  text: string;
  html: string;
  sms: string;
}

/** What the peer answered: accepted, or refused for now (retry) or for good. */
export type SendResult =
  | { ok: true; response: string }
  | { ok: false; permanent: boolean; response: string };

export interface Transport {
  send(message: RenderedMessage): Promise<SendResult>;
  close?(): void;
}

/** The response, short and on one line, to record; never the message itself. */
function clip(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 500);
}

/**
 * E-mail over SMTP (nodemailer). A 5xx reply is final (the server will not take it later); a
 * 4xx reply, a refused connection or a timeout is worth a retry.
 */
export function smtpTransport(options: {
  url: string;
  from: string;
  timeoutSeconds: number;
}): Transport {
  const ms = options.timeoutSeconds * 1000;
  const transporter = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: ms,
    greetingTimeout: ms,
    socketTimeout: ms,
  } as never);
  return {
    async send(message) {
      try {
        const info = await transporter.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
        });
        return { ok: true, response: clip(String(info.response ?? "250")) };
      } catch (error) {
        const e = error as {
          responseCode?: number;
          response?: string;
          message?: string;
          code?: string;
        };
        const permanent = typeof e.responseCode === "number" && e.responseCode >= 500;
        return {
          ok: false,
          permanent,
          response: clip(e.response ?? `${e.code ?? "error"}: ${e.message ?? String(error)}`),
        };
      }
    },
    close: () => transporter.close(),
  };
}

/** Escapes a value for a JSON string literal inside the payload template. */
function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * SMS through an HTTP gateway: POSTs the payload template with {{to}}, {{text}} and
 * {{messageId}} replaced (JSON-escaped), with basic credentials or a bearer token, and the
 * Message-ID as Idempotency-Key so a gateway that honours it drops a repeat. 2xx is sent;
 * 408, 429, 5xx and network errors retry; any other status is final.
 */
export function smsGatewayTransport(options: {
  url: string;
  user: string | undefined;
  password: string | undefined;
  token: string | undefined;
  payload: string;
  timeoutSeconds: number;
}): Transport {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  else if (options.user !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${options.user}:${options.password ?? ""}`).toString("base64")}`;
  return {
    async send(message) {
      const body = options.payload
        .replaceAll("{{to}}", jsonEscaped(message.to))
        .replaceAll("{{text}}", jsonEscaped(message.sms))
        .replaceAll("{{messageId}}", jsonEscaped(message.messageId));
      try {
        const response = await fetch(options.url, {
          method: "POST",
          headers: { ...headers, "idempotency-key": message.messageId },
          body,
          signal: AbortSignal.timeout(options.timeoutSeconds * 1000),
        });
        await response.body?.cancel();
        const status = `HTTP ${response.status}`;
        if (response.ok) return { ok: true, response: status };
        const retry = response.status === 408 || response.status === 429 || response.status >= 500;
        return { ok: false, permanent: !retry, response: status };
      } catch (error) {
        const e = error as Error & { cause?: { code?: string } };
        return {
          ok: false,
          permanent: false,
          response: clip(
            `${e.name === "TimeoutError" ? "tiempo agotado" : (e.cause?.code ?? e.name)}: ${e.message}`,
          ),
        };
      }
    },
  };
}
