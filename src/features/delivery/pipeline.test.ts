import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer, type Server as NetServer } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../../platform/clock.ts";
import { openDatabase } from "../../platform/db/database.ts";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { type DevSinks, startDevSinks } from "./dev-sinks.ts";
import {
  enqueue,
  enqueueMany,
  type OutboxMessage,
  type Templates,
  withdrawPending,
} from "./outbox.ts";
import { createDelivery, messageIdOf } from "./service.ts";
import { smsGatewayTransport, smtpTransport, type Transport } from "./transports.ts";

const templates: Templates = {
  codigo: {
    subject: (d) => `Tu código, ${d.nombre}`,
    text: (d) => `Hola ${d.nombre}: tu código es ${d.codigo}.`,
    html: (d) => `<p>Hola ${d.nombre}: tu código es <b>${d.codigo}</b>.</p>`,
    sms: (d) => `Buzón IMSS: tu código es ${d.codigo}`,
  },
};

function movingClock(start = "2026-03-02T16:00:00Z") {
  let now = Temporal.Instant.from(start);
  const clock: Clock = () => now;
  return { clock, advance: (seconds: number) => (now = now.add({ seconds })) };
}

function capturingLog() {
  const lines: string[] = [];
  const write = (data: object, message: string) =>
    void lines.push(JSON.stringify({ ...data, message }));
  return { lines, log: { info: write, warn: write } };
}

const codeMessage = (n: number, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  key: `medio:${n}:codigo:1`,
  channel: "correo",
  to: `persona${n}@example.com`,
  template: "codigo",
  data: { nombre: `Persona ${n}` },
  secret: { codigo: `4938${String(n).padStart(2, "0")}` },
  rfc: "PEPJ800101AB1",
  ...extra,
});

/** An SMTP server on loopback that answers RCPT TO with `refuse(n)` (n = 1, 2, …) or accepts. */
async function refusingSmtp(refuse: (n: number) => { code: number; text: string } | undefined) {
  let n = 0;
  const accepted: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      n += 1;
      const refusal = refuse(n);
      if (!refusal) return callback();
      const error = new Error(refusal.text) as Error & { responseCode: number };
      error.responseCode = refusal.code;
      callback(error);
    },
    onData(stream, _session, callback) {
      let text = "";
      stream.on("data", (c: Buffer) => (text += c.toString("utf8")));
      stream.on("end", () => {
        accepted.push(text);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(ENGINES)("delivery pipeline on %s", (engine) => {
  let database: TestDatabase;
  let sinks: DevSinks;
  const closers: Array<() => Promise<void> | void> = [];
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    sinks = await startDevSinks();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await sinks.close();
    await database.dispose();
  });

  function delivery(clock: Clock, overrides: Partial<Parameters<typeof createDelivery>[0]> = {}) {
    const { log, lines } = capturingLog();
    const service = createDelivery({
      db: database.db,
      clock,
      templates,
      email: smtpTransport({
        url: sinks.smtpUrl,
        from: "Buzón IMSS <avisos@buzon.example>",
        timeoutSeconds: 5,
      }),
      sms: smsGatewayTransport({
        url: sinks.smsUrl,
        user: undefined,
        password: undefined,
        token: "demo",
        payload: '{"to":"{{to}}","text":"{{text}}"}',
        timeoutSeconds: 5,
      }),
      maxAttempts: 3,
      backoffSeconds: 60,
      messageIdDomain: "buzon.example",
      log,
      ...overrides,
    });
    closers.push(() => service.close());
    return { service, lines };
  }

  it("sends e-mail and SMS through real loopback servers, records the outcome, wipes the code", async () => {
    const { clock } = movingClock();
    const { service, lines } = delivery(clock);
    await database.db.transaction().execute(async (tx) => {
      await enqueue(tx, codeMessage(1));
      await enqueue(tx, codeMessage(2, { channel: "sms", to: "+525512345678" }));
    });
    expect(await service.deliverDue()).toBe(2);
    expect(await service.deliverDue()).toBe(0);

    const [mail] = sinks.messages("persona1@example.com");
    expect(mail).toMatchObject({ channel: "correo", subject: "Tu código, Persona 1" });
    expect(mail?.text).toContain("tu código es 493801");
    expect(mail?.messageId).toBe(messageIdOf("medio:1:codigo:1", "buzon.example"));
    expect(sinks.messages("+525512345678")).toMatchObject([
      { channel: "sms", to: "+525512345678", text: "Buzón IMSS: tu código es 493802" },
    ]);

    const outbox = await database.db.selectFrom("outbox").selectAll().orderBy("id").execute();
    expect(outbox.map((r) => [r.status, r.attempts, r.secret])).toEqual([
      ["enviada", 1, null],
      ["enviada", 1, null],
    ]);
    const attempts = await database.db
      .selectFrom("delivery_attempts")
      .selectAll()
      .orderBy("id")
      .execute();
    attempts.sort((a, b) => a.recipient.localeCompare(b.recipient));
    expect(attempts.map((a) => [a.recipient, a.attempt, a.outcome, a.rfc])).toEqual([
      ["+525512345678", 1, "enviado", "PEPJ800101AB1"],
      ["persona1@example.com", 1, "enviado", "PEPJ800101AB1"],
    ]);
    expect(attempts[1]?.response).toMatch(/^250/);
    expect(attempts[0]?.response).toBe("HTTP 202");
    expect(attempts[0]?.at.toISOString()).toBe("2026-03-02T16:00:00.000Z");
    // The codes are nowhere but in what was delivered.
    const stored = JSON.stringify([outbox, attempts, lines]);
    expect(stored).not.toContain("493801");
    expect(stored).not.toContain("493802");
    // Outcomes are evidence: the database refuses to change them.
    await expect(database.db.deleteFrom("delivery_attempts").execute()).rejects.toThrow();
  });

  it("retries a server that refuses for now, with backoff, until it comes back", async () => {
    const smtp = await refusingSmtp((n) =>
      n <= 2 ? { code: 451, text: "Intente más tarde" } : undefined,
    );
    closers.push(smtp.close);
    const { clock, advance } = movingClock();
    const { service, lines } = delivery(clock, {
      email: smtpTransport({ url: smtp.url, from: "avisos@buzon.example", timeoutSeconds: 5 }),
    });
    await enqueue(database.db, codeMessage(1));
    expect(await service.deliverDue()).toBe(1); // refused (451): retry in 60 s
    expect(await service.deliverDue()).toBe(0); // not due yet
    advance(60);
    expect(await service.deliverDue()).toBe(1); // refused again: retry in 120 s
    advance(119);
    expect(await service.deliverDue()).toBe(0);
    advance(1);
    expect(await service.deliverDue()).toBe(1); // back: sent
    expect(smtp.accepted).toHaveLength(1);
    const attempts = await database.db
      .selectFrom("delivery_attempts")
      .selectAll()
      .orderBy("id")
      .execute();
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, "reintento"],
      [2, "reintento"],
      [3, "enviado"],
    ]);
    expect(attempts[0]?.response).toContain("451");
    expect(new Set(attempts.map((a) => a.message_id)).size).toBe(1);
    expect(JSON.stringify(lines)).not.toContain("493801");
  });

  it("fails for good on a permanent refusal, and after the last retry; administrators see both", async () => {
    const smtp = await refusingSmtp((n) =>
      n === 1
        ? { code: 550, text: "Buzón inexistente" }
        : { code: 421, text: "Servicio no disponible" },
    );
    closers.push(smtp.close);
    const { clock, advance } = movingClock();
    const { service } = delivery(clock, {
      email: smtpTransport({ url: smtp.url, from: "avisos@buzon.example", timeoutSeconds: 5 }),
    });
    await enqueue(database.db, codeMessage(1));
    await service.deliverDue(); // 550: final at once
    await enqueue(database.db, codeMessage(2));
    for (let i = 0; i < 3; i++) {
      await service.deliverDue();
      advance(3600);
    }
    const failed = await service.list({ estado: "fallida", limit: 10 });
    expect(failed.map((f) => [f.key, f.attempts])).toEqual([
      ["medio:2:codigo:1", 3],
      ["medio:1:codigo:1", 1],
    ]);
    expect(failed[1]?.lastResponse).toContain("550");
    const secrets = await database.db.selectFrom("outbox").select("secret").execute();
    expect(secrets.every((s) => s.secret === null)).toBe(true);
    const outcomes = await database.db
      .selectFrom("delivery_attempts")
      .select(["outbox_id", "outcome"])
      .orderBy("id")
      .execute();
    expect(outcomes.map((o) => o.outcome)).toEqual([
      "fallido",
      "reintento",
      "reintento",
      "fallido",
    ]);
  });

  it("retries a server that never answers (timeout), then delivers when one does", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const silent: NetServer = createNetServer((socket) => void sockets.add(socket)); // never greets
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    closers.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const { clock, advance } = movingClock();
    const { service: first } = delivery(clock, {
      email: smtpTransport({
        url: `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        from: "avisos@buzon.example",
        timeoutSeconds: 1,
      }),
    });
    await enqueue(database.db, codeMessage(1));
    expect(await first.deliverDue()).toBe(1);
    const [attempt] = await database.db.selectFrom("delivery_attempts").selectAll().execute();
    expect(attempt?.outcome).toBe("reintento");
    advance(60);
    const { service: second } = delivery(clock);
    expect(await second.deliverDue()).toBe(1);
    expect(sinks.messages("persona1@example.com")).toHaveLength(1);
  });

  it("retries an SMS gateway that answers 503, and fails for good on 400", async () => {
    let calls = 0;
    const gateway: Server = createServer((request, response) => {
      request.resume();
      calls += 1;
      const body = request.headers["x-caso"];
      response.writeHead(calls === 1 ? 503 : body === "x" ? 400 : 202).end();
    });
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise<void>((resolve) => gateway.close(() => resolve())));
    const { clock, advance } = movingClock();
    const { service } = delivery(clock, {
      sms: smsGatewayTransport({
        url: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/`,
        user: "buzon",
        password: "clave",
        token: undefined,
        payload: '{"numero":"{{to}}","mensaje":"{{text}}","id":"{{messageId}}"}',
        timeoutSeconds: 5,
      }),
    });
    await enqueue(database.db, codeMessage(1, { channel: "sms", to: "+525512345678" }));
    await service.deliverDue();
    advance(60);
    await service.deliverDue();
    const attempts = await database.db
      .selectFrom("delivery_attempts")
      .select(["outcome", "response"])
      .orderBy("id")
      .execute();
    expect(attempts).toEqual([
      { outcome: "reintento", response: "HTTP 503" },
      { outcome: "enviado", response: "HTTP 202" },
    ]);
  });

  it("resends a message whose worker died after sending with the same Message-ID, once", async () => {
    const { clock, advance } = movingClock();
    const { service } = delivery(clock, { claimSeconds: 300 });
    await enqueue(database.db, codeMessage(1));
    // A worker claims the message and dies before recording: simulate its claim.
    await database.db
      .updateTable("outbox")
      .set({
        attempts: 1,
        next_attempt_at: new Date(clock().add({ seconds: 300 }).epochMilliseconds),
      })
      .execute();
    expect(await service.deliverDue()).toBe(0); // still claimed by the dead worker
    advance(300);
    expect(await service.deliverDue()).toBe(1);
    const [attempt] = await database.db.selectFrom("delivery_attempts").selectAll().execute();
    expect(attempt).toMatchObject({
      attempt: 2,
      outcome: "enviado",
      message_id: messageIdOf("medio:1:codigo:1", "buzon.example"),
    });
  });

  it("fails for good a message of an unknown template", async () => {
    const { clock } = movingClock();
    const { service } = delivery(clock);
    await enqueue(database.db, codeMessage(1, { template: "no-existe" }));
    await service.deliverDue();
    const [row] = await service.list({ estado: "fallida", limit: 5 });
    expect(row?.lastResponse).toContain("plantilla desconocida");
  });

  it("a message withdrawn while a courier sends it: its real result is recorded with the withdrawal beside it (sent: enviada; failed: stays withdrawn, not retried)", async () => {
    const { clock } = movingClock();
    // The cancellation commits while both sends are under way (once, whichever asks first).
    let withdrawal: Promise<void> | undefined;
    const withdrawOnce = () => {
      withdrawal ??= (async () => {
        for (const key of ["medio:1:", "medio:2:"]) {
          await withdrawPending(
            database.db,
            { rfc: "PEPJ800101AB1", keyPrefix: key },
            "acto cancelado",
            new Date(clock().epochMilliseconds),
          );
        }
      })();
      return withdrawal;
    };
    const held: Transport = {
      async send(message) {
        await withdrawOnce();
        return message.to.startsWith("persona1@")
          ? { ok: true, response: "250 ok" }
          : { ok: false, permanent: false, response: "451 más tarde" };
      },
    };
    const { service } = delivery(clock, { email: held });
    await enqueueMany(database.db, [codeMessage(1), codeMessage(2)]);
    expect(await service.deliverDue()).toBe(2);
    const rows = await database.db
      .selectFrom("outbox")
      .select(["idempotency_key", "status", "attempts", "last_response"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      {
        idempotency_key: "medio:1:codigo:1",
        status: "enviada",
        attempts: 1,
        last_response: expect.stringMatching(
          /^250 ok \(retirado: acto cancelado, el .+, con este envío en curso\)$/,
        ),
      },
      {
        idempotency_key: "medio:2:codigo:1",
        status: "fallida",
        attempts: 1,
        last_response: "retirado: acto cancelado",
      },
    ]);
    const attempts = await database.db
      .selectFrom("delivery_attempts")
      .select(["idempotency_key", "outcome", "response"])
      .orderBy("idempotency_key")
      .execute();
    expect(attempts).toEqual([
      { idempotency_key: "medio:1:codigo:1", outcome: "enviado", response: rows[0]!.last_response },
      {
        idempotency_key: "medio:2:codigo:1",
        outcome: "fallido",
        response: expect.stringMatching(/^451 más tarde \(retirado: acto cancelado, el /),
      },
    ]);
    // Never taken again.
    expect(await service.deliverDue()).toBe(0);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)(
  "a withdrawal not yet committed on PostgreSQL",
  () => {
    it("a courier's result waits for the cancellation that withdraws its message and keeps it withdrawn", async () => {
      const database = await createTestDatabase("postgres");
      try {
        await enqueue(database.db, codeMessage(1));
        const { clock } = movingClock();
        const { log } = capturingLog();
        let commit: () => void = () => {};
        let cancellation: Promise<void> | undefined;
        // The cancellation withdraws the message while the send is under way and keeps sealing
        // (its transaction open) while the courier records a transient failure.
        const held: Transport = {
          async send() {
            let withdrawn: () => void = () => {};
            const ready = new Promise<void>((resolve) => {
              withdrawn = resolve;
            });
            cancellation = database.db.transaction().execute(async (tx) => {
              await withdrawPending(
                tx,
                { rfc: "PEPJ800101AB1", keyPrefix: "medio:1:" },
                "acto cancelado",
                new Date(clock().epochMilliseconds),
              );
              withdrawn();
              await new Promise<void>((resolve) => {
                commit = resolve;
              });
            });
            await ready;
            setTimeout(() => commit(), 200);
            return { ok: false, permanent: false, response: "451 más tarde" };
          },
        };
        const service = createDelivery({
          db: database.db,
          clock,
          templates,
          email: held,
          maxAttempts: 3,
          backoffSeconds: 60,
          messageIdDomain: "buzon.example",
          log,
        });
        expect(await service.deliverDue()).toBe(1);
        await cancellation;
        const row = await database.db
          .selectFrom("outbox")
          .select(["status", "last_response"])
          .executeTakeFirstOrThrow();
        // Not overwritten by the courier's «451» as if still pending: the withdrawal stands.
        expect(row).toEqual({ status: "fallida", last_response: "retirado: acto cancelado" });
        const attempts = await database.db
          .selectFrom("delivery_attempts")
          .select(["outcome", "response"])
          .execute();
        expect(attempts).toEqual([
          {
            outcome: "fallido",
            response: expect.stringMatching(
              /^451 más tarde \(retirado: acto cancelado, el \d{4}-\d{2}-\d{2}T[\d:.]+-06:00, con este envío en curso\)$/,
            ),
          },
        ]);
        expect(await service.deliverDue()).toBe(0);
        service.close();
      } finally {
        await database.dispose();
      }
    });
  },
);

describe.runIf(process.env.TEST_DATABASE_URL)("two workers on one PostgreSQL outbox", () => {
  it("deliver every message exactly once between them", async () => {
    const database = await createTestDatabase("postgres");
    const sinks = await startDevSinks();
    const other = openDatabase({ engine: "postgres", url: database.url as string, poolSize: 4 });
    try {
      const messages = Array.from({ length: 300 }, (_, n) => codeMessage(n));
      await enqueueMany(database.db, messages);
      const { clock } = movingClock();
      const { log } = capturingLog();
      const workers = [database.db, other.db].map((db) =>
        createDelivery({
          db,
          clock,
          templates,
          email: smtpTransport({
            url: sinks.smtpUrl,
            from: "avisos@buzon.example",
            timeoutSeconds: 5,
          }),
          maxAttempts: 3,
          backoffSeconds: 60,
          batchSize: 10,
          messageIdDomain: "buzon.example",
          log,
        }),
      );
      const [one = 0, two = 0] = await Promise.all(workers.map((w) => w.deliverDue()));
      expect(one + two).toBe(300);
      expect(one).toBeGreaterThan(0);
      expect(two).toBeGreaterThan(0);
      const received = sinks.messages();
      expect(received).toHaveLength(300);
      expect(new Set(received.map((m) => m.messageId)).size).toBe(300);
      const attempts = await database.db
        .selectFrom("delivery_attempts")
        .select("outbox_id")
        .execute();
      expect(attempts).toHaveLength(300);
      for (const w of workers) w.close();
    } finally {
      await other.close();
      await sinks.close();
      await database.dispose();
    }
  });
});
