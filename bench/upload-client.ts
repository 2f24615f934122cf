// The client side of bench/promociones.ts, in its own process (as a browser would be on its own
// machine): streams one multipart filing from a file on disk over a socket and prints, as one
// line of JSON, the HTTP status, the body and the seconds from the first byte sent to the last
// byte of the answer. Argument: one JSON object { port, path, headers, fields, file, filename,
// readBytes }.
import { Buffer } from "node:buffer";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { request } from "node:http";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";

const job = JSON.parse(process.argv[2] ?? "{}") as {
  port: number;
  path: string;
  headers: Record<string, string>;
  fields: Record<string, string>;
  file: string;
  filename: string;
  /** The size of each read from disk, so of each write to the socket: 64 KiB unless given. */
  readBytes?: number;
};
const boundary = `----buzonbench${process.pid}${Date.now()}`;
const head = Buffer.from(
  [
    ...Object.entries(job.fields).map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    ),
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${job.filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
  ].join(""),
);
const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
const size = (await stat(job.file)).size;

const t0 = performance.now();
const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
  const req = request(
    {
      host: "127.0.0.1",
      port: job.port,
      method: "POST",
      path: job.path,
      headers: {
        ...job.headers,
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": String(head.byteLength + size + tail.byteLength),
      },
    },
    (res) => {
      const parts: Buffer[] = [];
      res.on("data", (chunk: Buffer) => parts.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }),
      );
      res.on("error", reject);
    },
  );
  req.on("error", reject);
  req.write(head);
  // Reads written with backpressure: the body is never held whole.
  pipeline(createReadStream(job.file, { highWaterMark: job.readBytes ?? 64 * 1024 }), req, {
    end: false,
  })
    .then(() => req.end(tail))
    .catch(reject);
});
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ ...answer, seconds })}\n`);
