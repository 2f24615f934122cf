import { createHash } from "node:crypto";
import { sql } from "kysely";
import { formatInstant } from "../../domain/time/zona-centro.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Db, DeliveryChannel } from "../../platform/db/schema.ts";
import type { MessageTemplate, Templates } from "./outbox.ts";
import { openSecret } from "./secret-box.ts";
import type { RenderedMessage, SendResult, Transport } from "./transports.ts";

export interface DeliveryLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
}

export interface DeliveryOptions {
  db: Db;
  clock: Clock;
  templates: Templates;
  /** Absent: messages of that channel wait in the outbox (logged once per run). */
  email?: Transport | undefined;
  sms?: Transport | undefined;
  /** Attempts per message before it is failed for good. */
  maxAttempts: number;
  /** First retry after this; each next one waits twice as long (capped at 6 hours). */
  backoffSeconds: number;
  /** Messages claimed at a time. */
  batchSize?: number;
  /**
   * How long a claimed message stays with its worker: if the worker dies between sending and
   * recording, the message is sent again (same Message-ID) after this.
   */
  claimSeconds?: number;
  /** Domain of the Message-IDs (the From address's). */
  messageIdDomain: string;
  log: DeliveryLog;
  /**
   * Asked once per claimed batch (so a calendar is read once, not per message): the rule for
   * messages that may not leave at any hour (an aviso only inside the notification window). A
   * message it holds is put back until then and one it withdraws ends `fallida` as
   * `retirado: <reason>` (it could no longer say anything true), neither counting an attempt.
   * If asking fails, the batch goes out as claimed and the failure is logged: a legal instant
   * was fixed long before, and a message sent outside its window beats one stranded.
   */
  holdPolicy?(): Promise<HoldPolicy>;
}

/** What to do with a message that may not leave now (see DeliveryOptions.holdPolicy). */
export type Hold = { until: Temporal.Instant } | { withdraw: string };

export type HoldPolicy = (
  message: { template: string; data: Record<string, string> },
  at: Temporal.Instant,
) => Hold | undefined;

/** One recorded attempt, as administrators see it. */
export interface DeliveryRecord {
  key: string;
  channel: DeliveryChannel;
  to: string;
  template: string;
  rfc: string | null;
  status: "pendiente" | "enviada" | "fallida";
  attempts: number;
  lastResponse: string | null;
  createdAt: string;
  finishedAt: string | null;
  nextAttemptAt: string | null;
}

const MAX_BACKOFF_SECONDS = 6 * 3600;
/** Sends in flight at a time per worker. */
const PARALLEL = 8;

/** The Message-ID of a message: the same for every attempt of one idempotency key. */
export function messageIdOf(key: string, domain: string): string {
  return `<${createHash("sha256").update(key, "utf8").digest("hex").slice(0, 40)}@${domain}>`;
}

interface Claimed {
  id: string;
  idempotency_key: string;
  channel: DeliveryChannel;
  recipient: string;
  template: string;
  data: Record<string, string>;
  secret: Uint8Array | null;
  rfc: string | null;
  attempts: number;
}

/**
 * The delivery worker: claims due messages (SKIP LOCKED, so several workers on one PostgreSQL
 * never take the same one), renders them, sends them, and records each outcome append-only.
 */
export function createDelivery(options: DeliveryOptions) {
  const { db, clock, templates, log } = options;
  const batchSize = options.batchSize ?? 50;
  const claimSeconds = options.claimSeconds ?? 300;

  async function claim(): Promise<Claimed[]> {
    const now = new Date(clock().epochMilliseconds);
    const until = new Date(now.getTime() + claimSeconds * 1000);
    const channels = [options.email ? "correo" : null, options.sms ? "sms" : null].filter(
      (c): c is string => c !== null,
    );
    if (channels.length === 0) return [];
    const { rows } = await sql<Claimed>`
      update outbox set attempts = attempts + 1, next_attempt_at = ${until}
      where id in (
        select id from outbox
        where status = 'pendiente'
          and (next_attempt_at is null or next_attempt_at <= ${now})
          and channel = any(${channels}::text[])
        order by next_attempt_at nulls first, id
        limit ${batchSize}
        for update skip locked
      )
      returning id, idempotency_key, channel, recipient, template, data, secret, rfc, attempts
    `.execute(db);
    return rows;
  }

  function render(message: Claimed): RenderedMessage | string {
    const template: MessageTemplate | undefined = templates[message.template];
    if (!template) return `plantilla desconocida: ${message.template}`;
    let secret: Record<string, string> = {};
    if (message.secret) {
      const opened = openSecret(message.secret, message.idempotency_key);
      if (!opened)
        return "el secreto no abre con ninguna llave de este proceso (DELIVERY_KEY_FILE)";
      secret = opened;
    }
    const d = { ...message.data, ...secret };
    try {
      return {
        channel: message.channel,
        to: message.recipient,
        messageId: messageIdOf(message.idempotency_key, options.messageIdDomain),
        subject: message.channel === "correo" ? template.subject(d) : "",
        text: message.channel === "correo" ? template.text(d) : "",
        html: message.channel === "correo" ? template.html(d) : "",
        sms: message.channel === "sms" ? template.sms(d) : "",
      };
    } catch (error) {
      // The error may quote the data; record only that rendering failed.
      return `la plantilla ${message.template} falló: ${error instanceof Error ? error.name : "error"}`;
    }
  }

  async function record(message: Claimed, result: SendResult): Promise<void> {
    const at = new Date(clock().epochMilliseconds);
    const outcome = result.ok
      ? "enviado"
      : !result.permanent && message.attempts < options.maxAttempts
        ? "reintento"
        : "fallido";
    const wait = Math.min(
      MAX_BACKOFF_SECONDS,
      options.backoffSeconds * 2 ** Math.max(0, message.attempts - 1),
    );
    const recorded = await db.transaction().execute(async (tx) => {
      // Withdrawn while this courier held it (a cancellation, an opening: withdrawPending takes
      // every pending message, and a claimed one is still pending): the send happened or not
      // all the same. Its real result is recorded, with the withdrawal beside it: sent, it ends
      // `enviada` (never said unsent); failed, it stays withdrawn and is not tried again.
      // The row is locked whatever its state: a cancellation still sealing (its withdrawal not
      // yet committed) is waited for and then seen, never overwritten as if still pending.
      const { rows } = await sql<{
        status: string;
        last_response: string | null;
        finished_at: Date | null;
      }>`
        select status, last_response, finished_at from outbox where id = ${message.id} for update
      `.execute(tx);
      const row = rows[0];
      const withdrawn =
        row?.status === "fallida" && row.last_response?.startsWith("retirado: ") ? row : undefined;
      const final = withdrawn && outcome === "reintento" ? "fallido" : outcome;
      const response = withdrawn
        ? `${result.response} (${withdrawn.last_response}, el ${withdrawn.finished_at ? formatInstant(Temporal.Instant.fromEpochMilliseconds(withdrawn.finished_at.getTime())) : "—"}, con este envío en curso)`
        : result.response;
      await tx
        .insertInto("delivery_attempts")
        .values({
          outbox_id: message.id,
          idempotency_key: message.idempotency_key,
          message_id: messageIdOf(message.idempotency_key, options.messageIdDomain),
          channel: message.channel,
          recipient: message.recipient,
          rfc: message.rfc,
          attempt: message.attempts,
          outcome: final,
          response,
          at,
        })
        .execute();
      // A withdrawn message whose send failed stays as withdrawn: its attempt says the rest.
      if (withdrawn && final !== "enviado") return final;
      await tx
        .updateTable("outbox")
        .set(
          final === "reintento"
            ? {
                next_attempt_at: new Date(at.getTime() + wait * 1000),
                last_response: response,
              }
            : {
                status: final === "enviado" ? "enviada" : "fallida",
                finished_at: at,
                // The code has done its job (or never will): it leaves the database.
                secret: null,
                last_response: response,
              },
        )
        .where("id", "=", message.id)
        .execute();
      return final;
    });
    if (recorded !== "enviado") {
      // Never the data nor the secret: the key names the event, the response the peer's answer.
      log.warn(
        {
          key: message.idempotency_key,
          channel: message.channel,
          attempt: message.attempts,
          outcome: recorded,
          response: result.response,
        },
        recorded === "fallido"
          ? "entrega fallida definitivamente"
          : "entrega fallida; se reintentará",
      );
    }
  }

  /**
   * Undoes the claim's count of an attempt on a message withdrawn while this courier held it
   * (it stays withdrawn): no attempt was made, and none is left «taken without a result».
   */
  async function uncount(message: Claimed): Promise<void> {
    await sql`
      update outbox set attempts = attempts - 1
       where id = ${message.id} and status = 'fallida' and starts_with(last_response, 'retirado: ')
    `.execute(db);
  }

  /** Puts a claimed message back until `until`, undoing the claim's count of an attempt. */
  async function hold(message: Claimed, until: Temporal.Instant): Promise<void> {
    const result = await db
      .updateTable("outbox")
      .set((eb) => ({
        attempts: eb("attempts", "-", 1),
        next_attempt_at: new Date(until.epochMilliseconds),
      }))
      .where("id", "=", message.id)
      .where("status", "=", "pendiente")
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) await uncount(message);
  }

  /** Ends a claimed message as withdrawn: no attempt, its secret gone, the reason on record. */
  async function withdraw(message: Claimed, reason: string): Promise<void> {
    const result = await db
      .updateTable("outbox")
      .set((eb) => ({
        attempts: eb("attempts", "-", 1),
        status: "fallida",
        finished_at: new Date(clock().epochMilliseconds),
        secret: null,
        last_response: `retirado: ${reason}`,
      }))
      .where("id", "=", message.id)
      .where("status", "=", "pendiente")
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) await uncount(message);
  }

  /** The batch's hold rule; none (send as claimed) when there is none or asking failed. */
  async function policyOf(): Promise<HoldPolicy | undefined> {
    if (!options.holdPolicy) return undefined;
    try {
      return await options.holdPolicy();
    } catch (error) {
      log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        "no se pudo consultar la regla de retención; el lote sale como se tomó",
      );
      return undefined;
    }
  }

  /** Sends one claimed message and records the attempt; answers false when held or withdrawn. */
  async function deliver(message: Claimed, policy: HoldPolicy | undefined): Promise<boolean> {
    const now = clock();
    const decision = policy?.(message, now);
    if (decision && "withdraw" in decision) {
      await withdraw(message, decision.withdraw);
      log.info({ key: message.idempotency_key }, "mensaje retirado sin enviarse");
      return false;
    }
    if (decision && Temporal.Instant.compare(decision.until, now) > 0) {
      await hold(message, decision.until);
      return false;
    }
    const rendered = render(message);
    const transport = message.channel === "correo" ? options.email : options.sms;
    const result: SendResult =
      typeof rendered === "string"
        ? { ok: false, permanent: true, response: rendered }
        : transport
          ? await transport.send(rendered)
          : { ok: false, permanent: false, response: "canal sin configurar" };
    await record(message, result);
    return true;
  }

  /** Delivers every message due now; answers how many attempts were made. */
  async function deliverDue(): Promise<number> {
    let attempts = 0;
    for (;;) {
      const batch = await claim();
      if (batch.length === 0) return attempts;
      const policy = await policyOf();
      for (let i = 0; i < batch.length; i += PARALLEL) {
        const made = await Promise.all(
          batch.slice(i, i + PARALLEL).map((message) => deliver(message, policy)),
        );
        attempts += made.filter(Boolean).length;
      }
    }
  }

  /** Messages by state, newest first (administration: «entregas fallidas»). */
  async function list(query: {
    estado: "pendiente" | "enviada" | "fallida";
    limit: number;
  }): Promise<DeliveryRecord[]> {
    const rows = await db
      .selectFrom("outbox")
      .select([
        "idempotency_key",
        "channel",
        "recipient",
        "template",
        "rfc",
        "status",
        "attempts",
        "last_response",
        "created_at",
        "finished_at",
        "next_attempt_at",
      ])
      .where("status", "=", query.estado)
      .orderBy(query.estado === "pendiente" ? "id" : "finished_at", "desc")
      .limit(query.limit)
      .execute();
    return rows.map((r) => ({
      key: r.idempotency_key,
      channel: r.channel,
      to: r.recipient,
      template: r.template,
      rfc: r.rfc,
      status: r.status,
      attempts: r.attempts,
      lastResponse: r.last_response,
      createdAt: r.created_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
      nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
    }));
  }

  return {
    deliverDue,
    list,
    close() {
      options.email?.close?.();
      options.sms?.close?.();
    },
  };
}

export type DeliveryService = ReturnType<typeof createDelivery>;
