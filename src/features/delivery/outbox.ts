import { sql } from "kysely";
import { internalError } from "../../domain/errors.ts";
import type { Db, DeliveryChannel } from "../../platform/db/schema.ts";
import { sealSecret } from "./secret-box.ts";

/**
 * A message to deliver, as a feature enqueues it (COMMON.md, "Shared interfaces for issue 9").
 * `key` is the idempotency key — one event, one key — and the seed of the Message-ID, so a
 * message repeated after a crash is recognisably the same message.
 */
export interface OutboxMessage {
  /** Idempotency key, unique; also the Message-ID seed (e.g. `medio:<id>:codigo:<n>`). */
  key: string;
  channel: DeliveryChannel;
  /** An e-mail address, or a Mexican mobile as +52 and 10 digits. */
  to: string;
  /** Name of a MessageTemplate given to createDelivery. */
  template: string;
  data: Record<string, string>;
  /** E.g. { codigo }: sealed at rest, wiped after the final outcome, never logged. */
  secret?: Record<string, string>;
  /** The particular the message concerns, when there is one (proof of an aviso). */
  rfc?: string;
  /**
   * Not delivered before this instant (it becomes the message's `next_attempt_at`): an aviso
   * of notification waits for its legal instant (Lineamientos 7.2, rule a). Absent: now.
   */
  notBefore?: Date;
}

/** Renders one message; `d` is the message's data and secret together. */
export interface MessageTemplate {
  subject(d: Record<string, string>): string;
  text(d: Record<string, string>): string;
  html(d: Record<string, string>): string;
  sms(d: Record<string, string>): string;
}

export type Templates = Record<string, MessageTemplate>;

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const MOBILE = /^\+52[0-9]{10}$/;

/** A malformed message is the caller's bug, not the person's input: refuse it loudly. */
function checked(message: OutboxMessage): OutboxMessage {
  const problem =
    !message.key || message.key.length > 200
      ? "clave de idempotencia vacía o de más de 200 caracteres"
      : message.channel === "correo"
        ? EMAIL.test(message.to) && message.to.length <= 320
          ? undefined
          : "destinatario de correo inválido"
        : message.channel === "sms"
          ? MOBILE.test(message.to)
            ? undefined
            : "celular inválido (se espera +52 y 10 dígitos)"
          : "canal desconocido";
  const values = [...Object.values(message.data), ...Object.values(message.secret ?? {})];
  const bad =
    problem ?? (values.some((v) => typeof v !== "string") ? "datos no textuales" : undefined);
  if (bad) throw internalError(`mensaje «${message.key}» mal formado: ${bad}`);
  return message;
}

/** Rows per INSERT: one statement carries a column array each, whatever the chunk size. */
const CHUNK = 5000;

/**
 * Writes `messages` to the outbox through `executor` — the caller's transaction, so a message
 * exists if and only if the change that causes it commits. A key already in the outbox is
 * skipped (the same event enqueued twice is one message). Answers how many were new.
 *
 * `at` is when they were queued on the system's legal clock (the deposit's instant, the
 * sweep's): the evidence lists it beside the attempts, which the delivery worker dates on the
 * same clock, so a demo clock or a test clock never shows an aviso queued before its act.
 * Absent (tests of the outbox alone): the database's now().
 */
export async function enqueueMany(
  executor: Db,
  messages: OutboxMessage[],
  at?: Temporal.Instant,
): Promise<number> {
  const createdAt = at ? new Date(at.epochMilliseconds).toISOString() : null;
  let inserted = 0;
  for (let start = 0; start < messages.length; start += CHUNK) {
    const chunk = messages.slice(start, start + CHUNK).map(checked);
    // unnest of one array per column: one short statement per chunk, parsed once, however
    // many rows (a campaign enqueues a million).
    const result = await sql`
      insert into outbox
        (idempotency_key, channel, recipient, template, data, secret, rfc, next_attempt_at,
         created_at)
      select k, c, r, t, d::jsonb, s, f, n, coalesce(${createdAt}::timestamptz, now())
        from unnest(
          ${chunk.map((m) => m.key)}::text[],
          ${chunk.map((m) => m.channel)}::text[],
          ${chunk.map((m) => m.to)}::text[],
          ${chunk.map((m) => m.template)}::text[],
          ${chunk.map((m) => JSON.stringify(m.data))}::text[],
          ${chunk.map((m) => (m.secret && Object.keys(m.secret).length > 0 ? sealSecret(m.secret, m.key) : null))}::bytea[],
          ${chunk.map((m) => m.rfc ?? null)}::text[],
          ${chunk.map((m) => m.notBefore?.toISOString() ?? null)}::timestamptz[]
        ) as m(k, c, r, t, d, s, f, n)
      on conflict (idempotency_key) do nothing
    `.execute(executor);
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}

/** Writes one message to the outbox in the caller's transaction (see enqueueMany). */
export async function enqueue(
  executor: Db,
  message: OutboxMessage,
  at?: Temporal.Instant,
): Promise<void> {
  await enqueueMany(executor, [message], at);
}

/**
 * Withdraws the RFC's messages not yet sent whose key starts with `keyPrefix` (e.g. the avisos
 * of an act the Institute cancelled), in the caller's transaction: they end as `fallida` with
 * `retirado: <reason>` as their last response and no attempt recorded, so the worker never
 * claims them. Messages already sent stay as they are. One a courier has taken and is sending
 * (its claim committed, still `pendiente`) is withdrawn too, so it is never tried again; but
 * its send may complete: the courier then records the real result beside the withdrawal
 * (`enviada` if it was sent). Until that result, or its lease's end, nobody may state that it
 * was not sent (the sweep waits: sweeps.ts). Answers how many were withdrawn.
 */
export async function withdrawPending(
  executor: Db,
  filter: { rfc: string; keyPrefix: string },
  reason: string,
  at: Date,
): Promise<number> {
  const result = await sql`
    update outbox
       set status = 'fallida', finished_at = ${at}, secret = null,
           last_response = ${`retirado: ${reason}`}
     where rfc = ${filter.rfc}
       and status = 'pendiente'
       and starts_with(idempotency_key, ${filter.keyPrefix})
  `.execute(executor);
  return Number(result.numAffectedRows ?? 0n);
}
