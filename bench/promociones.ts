// Benchmark: filing a promoción with one large anexo through the real HTTP path (issue 12 §6):
// a loopback server listening on a port, a node:http client that streams the multipart body,
// @fastify/multipart, the signature checked before any file, the anexo hashed and bounded while
// it streams into the filesystem blob store (DATA_DIR/blobs), the acuse and the promoción in one
// transaction. Its throughput is compared, in the same run and on the same bytes, with two raw
// floors: SHA-256 of the bytes (node:crypto) and writing them to a file on the same disk with
// fsync. A third floor is the protocol's: a bare node:http server on another loopback port that
// only reads the same multipart body from the same client and hashes it (no parsing, no disk),
// so each run also says how much of what HTTP alone delivers on this machine the filing keeps.
// Memory: the process's RSS and external memory are sampled while each filing runs, and
// the peak above the level before it is reported for two sizes; flat memory means that peak
// does not grow with the anexo. Figures go in docs/promociones.md, never in assertions.
//
// Run with `npm run bench:promociones` (PGlite), or with TEST_DATABASE_URL=postgres://… for
// PostgreSQL. BENCH_SIZES_MB (default "50,200") sizes of the anexo, BENCH_REPS (default 5)
// filings per size, BENCH_CLIENT_READ_KIB (default 64) the client's reads from disk, so its
// writes to the socket: with 64 KiB the client alone sends 150–200 MB/s on the loaded 2-CPU
// machine, the ceiling of the whole path; with 1024 it sends twice that and the server's own
// work shows. No shipped type takes 50 MB (the largest takes 20 MiB per anexo,
// catalogos/promociones.json): the run uses a catalogue built for it, with one type whose limit
// is the largest size; the production limits are not changed. Challenges and signatures are made
// before the timer, as the browser does (it hashes and signs before it uploads).
import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { open, unlink } from "node:fs/promises";
import { createServer } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { rfcCheckDigit } from "../src/domain/identifiers/rfc.ts";
import { parsePromocionCatalogue } from "../src/domain/promociones/catalogo.ts";
import { PACKAGE_ROOT } from "../src/platform/config.ts";
import { issueTestEfirma, signLikeTheBrowser } from "../src/testing/efirma.ts";
import { createTestSystem } from "../src/testing/server.ts";
import { signInOverHttp } from "./session.ts";

const MIB = 1024 * 1024;
const SIZES = (process.env.BENCH_SIZES_MB ?? "50,200").split(",").map((s) => Number(s) * MIB);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const ENGINE = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
const LARGEST = Math.max(...SIZES);
const CLIENT_READ_KIB = Number(process.env.BENCH_CLIENT_READ_KIB ?? 64);
const TYPE = "bench_anexo_grande";
const CLIENT = join(import.meta.dirname, "upload-client.ts");
const run = promisify(execFile);

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const mb = (bytes: number) => bytes / 1e6;

// The shipped catalogue plus one type that takes a PDF as large as the largest size.
const shipped = JSON.parse(readFileSync(join(PACKAGE_ROOT, "catalogos/promociones.json"), "utf8"));
const catalogue = parsePromocionCatalogue({
  ...shipped,
  version: `${shipped.version}+bench`,
  types: [
    ...shipped.types,
    {
      id: TYPE,
      name: "Anexo grande (solo benchmark)",
      presentacion: "promociones",
      notificacion: "no_admitida",
      asunto: { maxLength: 200 },
      texto: { minLength: 1, maxLength: 20000 },
      adjuntos: {
        tipos: ["pdf"],
        maxArchivos: 1,
        maxBytesPorArchivo: LARGEST,
        maxBytesTotal: LARGEST,
      },
    },
  ],
});

const dataDir = mkdtempSync(join(tmpdir(), "buzon-bench-promociones-"));
const system = await createTestSystem({
  engine: ENGINE,
  trustDevCa: true,
  promocionCatalogue: catalogue,
  env: { DATA_DIR: dataDir },
});

/** A PDF as the kind sniffing takes it: «%PDF-» first, «%%EOF» last, random bytes between. */
function pdfOf(size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  randomFillSync(bytes);
  bytes.write("%PDF-1.7\n%bench\n", 0, "latin1");
  bytes.write("\n%%EOF\n", size - 7, "latin1");
  return bytes;
}

interface Memory {
  rss: number;
  external: number;
  heap: number;
}
const memory = (): Memory => {
  const m = process.memoryUsage();
  return { rss: m.rss, external: m.external + m.arrayBuffers, heap: m.heapUsed };
};

/**
 * Samples the process's RSS every 2 ms (cheap) and its external and heap memory every 20 ms
 * (process.memoryUsage() walks the heap: sampled more often it would slow the filing down)
 * until stopped; answers the peak of each.
 */
function sampler() {
  const peak = memory();
  let ticks = 0;
  const take = (full: boolean) => {
    peak.rss = Math.max(peak.rss, process.memoryUsage.rss());
    if (!full) return;
    const m = memory();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.external = Math.max(peak.external, m.external);
    peak.heap = Math.max(peak.heap, m.heap);
  };
  const timer = setInterval(() => take(++ticks % 10 === 0), 2);
  return () => {
    clearInterval(timer);
    take(true);
    return peak;
  };
}

// The protocol floor: reads the body and hashes it, answers 201; nothing else.
const bare = createServer((req, res) => {
  const hash = createHash("sha256");
  req.on("data", (chunk: Buffer) => hash.update(chunk));
  req.on("end", () => {
    hash.digest();
    res.writeHead(201, { "content-type": "application/json" }).end("{}");
  });
});

try {
  const address = await system.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = new URL(address);
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const barePort = (bare.address() as { port: number }).port;
  const body = "BEN0101019A";
  const efirma = await issueTestEfirma({
    rfc: `${body}${rfcCheckDigit(body)}`,
    name: "EMPRESA DE PRUEBA SA DE CV",
  });
  const { cookie, csrf } = await signInOverHttp(system.app, efirma);

  /** Desafío and signature for one anexo: before the timer, as the browser does. */
  async function prepare(name: string, bytes: Buffer, sha256: string) {
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/promociones/desafio",
      payload: {
        type: TYPE,
        subject: "Anexo grande",
        text: "Presento el anexo.",
        attachments: [{ name, sha256, size: bytes.byteLength }],
      },
      cookies: { buzon_sesion: cookie },
      headers: { "x-csrf-token": csrf },
    });
    if (response.statusCode !== 201) throw new Error(`desafío: ${response.body}`);
    const { challengeId, toSign } = response.json() as { challengeId: string; toSign: string };
    return { challengeId, ...(await signLikeTheBrowser(efirma, toSign)) };
  }

  /** The filing from the client's own process (bench/upload-client.ts), streamed from disk. */
  async function post(
    fields: Record<string, string>,
    filename: string,
    file: string,
    target = { port: Number(port), path: "/api/v1/promociones" },
  ) {
    const job = {
      ...target,
      headers: { cookie: `buzon_sesion=${cookie}`, "x-csrf-token": csrf },
      fields,
      file,
      filename,
      readBytes: CLIENT_READ_KIB * 1024,
    };
    const { stdout } = await run(process.execPath, [CLIENT, JSON.stringify(job)], {
      maxBuffer: 1024 * 1024,
    });
    return JSON.parse(stdout) as { status: number; body: string; seconds: number };
  }

  const rows: string[] = [];
  const summary: Record<string, unknown>[] = [];
  process.stderr.write(
    `Motor ${ENGINE}; tamaños ${SIZES.map((s) => s / MIB).join(", ")} MiB; ${REPS} repeticiones; lecturas del cliente de ${CLIENT_READ_KIB} KiB; carga ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}\n`,
  );
  for (const size of SIZES) {
    const bytes = pdfOf(size);
    const filing: number[] = [];
    const hashing: number[] = [];
    const writing: number[] = [];
    const floor: number[] = [];
    const rss: number[] = [];
    const external: number[] = [];
    const heap: number[] = [];
    // One warm-up filing (not counted), then REPS: each with other bytes (a new blob each time).
    for (let rep = -1; rep < REPS; rep++) {
      bytes.write(`%${String(rep + 1).padStart(6, "0")}${Date.now()}\n`, 16, "latin1");
      const name = `anexo-${size / MIB}MiB-${rep + 1}.pdf`;

      let t0 = performance.now();
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const hashSeconds = (performance.now() - t0) / 1000;

      const raw = join(dataDir, `raw-${rep + 1}.bin`);
      t0 = performance.now();
      const handle = await open(raw, "wx");
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const writeSeconds = (performance.now() - t0) / 1000;

      // The same body from the same client to the bare server, just before the filing.
      const floorAnswer = await post({}, name, raw, { port: barePort, path: "/" });
      if (floorAnswer.status !== 201) throw new Error(`servidor desnudo ${floorAnswer.status}`);

      const fields = await prepare(name, bytes, sha256);
      gc();
      const before = memory();
      const stop = sampler();
      // The client streams the file the raw write left (the browser reads the person's file).
      const response = await post(fields, name, raw);
      const fileSeconds = response.seconds;
      const peak = stop();
      await unlink(raw);
      if (response.status !== 201)
        throw new Error(`presentación ${response.status}: ${response.body}`);
      if (!(await system.blobs.has(sha256))) throw new Error("el anexo no quedó en el almacén");
      if (rep < 0) continue;
      filing.push(fileSeconds);
      hashing.push(hashSeconds);
      writing.push(writeSeconds);
      floor.push(floorAnswer.seconds);
      rss.push(peak.rss - before.rss);
      external.push(peak.external - before.external);
      heap.push(peak.heap - before.heap);
    }
    const fileRate = mb(size) / median(filing);
    const hashRate = mb(size) / median(hashing);
    const writeRate = mb(size) / median(writing);
    const floorRate = mb(size) / median(floor);
    const row = {
      MiB: size / MIB,
      filingMBs: Math.round(fileRate),
      sha256MBs: Math.round(hashRate),
      writeFsyncMBs: Math.round(writeRate),
      bareHttpMBs: Math.round(floorRate),
      vsSha256: Number((fileRate / hashRate).toFixed(2)),
      vsWriteFsync: Number((fileRate / writeRate).toFixed(2)),
      bareHttpVsSha256: Number((floorRate / hashRate).toFixed(2)),
      vsBareHttp: Number((fileRate / floorRate).toFixed(2)),
      peakRssMiB: Number((median(rss) / MIB).toFixed(1)),
      peakRssMaxMiB: Number((Math.max(...rss) / MIB).toFixed(1)),
      peakExternalMiB: Number((median(external) / MIB).toFixed(1)),
      peakHeapMiB: Number((median(heap) / MIB).toFixed(1)),
    };
    summary.push(row);
    rows.push(
      `| ${row.MiB} MiB | ${row.filingMBs} MB/s | ${row.sha256MBs} MB/s | ${row.writeFsyncMBs} MB/s | ${row.bareHttpMBs} MB/s (${row.bareHttpVsSha256} de SHA-256) | ${row.vsSha256} | ${row.vsWriteFsync} | ${row.vsBareHttp} | ${row.peakRssMiB} (máx. ${row.peakRssMaxMiB}) MiB | ${row.peakExternalMiB} MiB | ${row.peakHeapMiB} MiB |`,
    );
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
  process.stdout.write(
    [
      `Presentación de una promoción con un anexo, HTTP real (${ENGINE}), mediana de ${REPS}, lecturas del cliente de ${CLIENT_READ_KIB} KiB; carga ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
      "| anexo | presentación | SHA-256 | escritura+fsync | HTTP desnudo | vs SHA-256 | vs escritura | vs HTTP desnudo | pico RSS | pico externa | pico heap |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...rows,
      "",
    ].join("\n"),
  );
} finally {
  bare.close();
  await system.app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
