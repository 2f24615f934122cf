// Benchmark: legal-time computations per second, in the engine and through the HTTP API on
// loopback. Run with `npm run bench`. Figures go in the issue note, never in assertions.
import { performance } from "node:perf_hooks";
import { createCalendar } from "../src/domain/calendar/calendar.ts";
import { computeNotificacion } from "../src/domain/plazos/index.ts";
import { createTestSystem } from "../src/testing/server.ts";
import { percentile, seeded } from "./measure.ts";

const calendarData = {
  authority: "IMSS",
  version: "bench-1",
  days: [
    { date: "2025-04-17", reason: "Jueves Santo", source: "bench" },
    { date: "2025-04-18", reason: "Viernes Santo", source: "bench" },
  ],
};

function avisos(n: number): Temporal.Instant[] {
  const start = Temporal.Instant.from("2024-01-01T06:00:00Z").epochMilliseconds;
  const span = 3 * 365 * 86_400_000;
  const random = seeded(42);
  return Array.from({ length: n }, () =>
    Temporal.Instant.fromEpochMilliseconds(start + Math.floor(random() * span)),
  );
}

function benchEngine(): void {
  const calendar = createCalendar(calendarData);
  const inputs = avisos(20_000);
  for (const avisoAt of inputs.slice(0, 2_000)) computeNotificacion(calendar, { avisoAt }); // warm-up
  const t0 = performance.now();
  for (const avisoAt of inputs) computeNotificacion(calendar, { avisoAt });
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `engine: computeNotificacion ${Math.round(inputs.length / seconds)} /s (${inputs.length} avisos, full explanation)`,
  );
}

async function benchHttp(concurrency: number, durationMs: number): Promise<void> {
  const { app } = await createTestSystem({ calendar: calendarData });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  const inputs = avisos(5_000).map(
    (a) => `${url}/api/v1/plazos/notificacion?aviso=${encodeURIComponent(a.toString())}`,
  );
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + durationMs;
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const target = inputs[next++ % inputs.length]!;
      const t0 = performance.now();
      const response = await fetch(target);
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (response.status !== 200) errors++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  await app.close();
  const pct = (p: number) => percentile(latencies, p).toFixed(1);
  console.log(
    `http: GET /api/v1/plazos/notificacion ${Math.round(latencies.length / seconds)} req/s, p50 ${pct(50)} ms, p99 ${pct(99)} ms, ${errors} errors (concurrency ${concurrency}, ${durationMs / 1000} s, client in the same process)`,
  );
}

benchEngine();
await benchHttp(16, 5_000);
