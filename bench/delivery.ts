// Benchmark: delivery throughput into the loopback SMTP server of the demo, against a raw
// baseline in the same run. Run with `npm run bench:delivery` (PGlite in memory; set
// DATABASE_URL to measure on PostgreSQL). Figures go in the issue note, never in assertions.
//
// (a) raw: nodemailer sends the same rendered messages straight to the same SMTP server, with
//     the same transport options and the same 8 sends in flight — no database.
// (b) the pipeline: the messages are enqueued (not timed), then the worker claims them
//     (SKIP LOCKED), renders them, sends them and records each outcome append-only.
// The ratio (b)/(a) is the cost of the outbox's guarantees over the wire alone.
import { performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import { startDevSinks } from "../src/features/delivery/dev-sinks.ts";
import {
  enqueueMany,
  type OutboxMessage,
  type Templates,
} from "../src/features/delivery/outbox.ts";
import { createDelivery, messageIdOf } from "../src/features/delivery/service.ts";
import { smtpTransport } from "../src/features/delivery/transports.ts";
import { systemClock } from "../src/platform/clock.ts";
import { migrateToLatest, openDatabase } from "../src/platform/db/database.ts";
import { formatRate } from "./measure.ts";

const N = Number(process.env.BENCH_MESSAGES ?? 1000);
const PARALLEL = 8;

const templates: Templates = {
  codigo: {
    subject: (d) => `Valida tu correo, ${d.nombre}`,
    text: (d) => `Hola ${d.nombre}: tu código de validación es ${d.codigo}.`,
    html: (d) => `<p>Hola ${d.nombre}: tu código de validación es <b>${d.codigo}</b>.</p>`,
    sms: (d) => `Buzón IMSS: tu código es ${d.codigo}`,
  },
};

const messages = (run: string): OutboxMessage[] =>
  Array.from({ length: N }, (_, n) => ({
    key: `bench:${run}:${n}`,
    channel: "correo",
    to: `persona${n}@example.com`,
    template: "codigo",
    data: { nombre: `Persona ${n}` },
    secret: { codigo: String(100000 + n) },
  }));

const sinks = await startDevSinks();
const database = process.env.DATABASE_URL
  ? openDatabase({ engine: "postgres", url: process.env.DATABASE_URL })
  : openDatabase({ engine: "pglite", instance: await PGlite.create() });
await migrateToLatest(database.db);
const transport = () =>
  smtpTransport({ url: sinks.smtpUrl, from: "avisos@buzon.example", timeoutSeconds: 30 });

// (a) raw
const raw = transport();
const rawMessages = messages("raw");
let start = performance.now();
for (let i = 0; i < N; i += PARALLEL) {
  await Promise.all(
    rawMessages.slice(i, i + PARALLEL).map((m) => {
      const d = { ...m.data, ...m.secret };
      const t = templates.codigo as Templates[string];
      return raw.send({
        channel: "correo",
        to: m.to,
        messageId: messageIdOf(m.key, "buzon.example"),
        subject: t.subject(d),
        text: t.text(d),
        html: t.html(d),
        sms: "",
      });
    }),
  );
}
const rawSeconds = (performance.now() - start) / 1000;
raw.close?.();

// (b) the pipeline
await enqueueMany(database.db, messages("outbox"));
const delivery = createDelivery({
  db: database.db,
  clock: systemClock,
  templates,
  email: transport(),
  maxAttempts: 3,
  backoffSeconds: 30,
  messageIdDomain: "buzon.example",
  log: { info: () => {}, warn: () => {} },
});
start = performance.now();
const attempts = await delivery.deliverDue();
const pipelineSeconds = (performance.now() - start) / 1000;
delivery.close();

const received = sinks.messages().length;
const rawRate = N / rawSeconds;
const pipelineRate = attempts / pipelineSeconds;
process.stdout.write(
  [
    `Entrega por SMTP en loopback, ${N} mensajes, ${PARALLEL} envíos simultáneos (${database.engine})`,
    `  (a) nodemailer directo:         ${formatRate(rawRate)}`,
    `  (b) bandeja de salida completa: ${formatRate(pipelineRate)}`,
    `  razón (b)/(a): ${(pipelineRate / rawRate).toFixed(2)}`,
    `  recibidos por el servidor: ${received} (esperados ${2 * N})`,
    "",
  ].join("\n"),
);
await database.close();
await sinks.close();
