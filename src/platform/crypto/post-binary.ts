import { Buffer } from "node:buffer";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/**
 * One binary POST (an OCSP or RFC 3161 query) on a fresh connection, bounded in time and size.
 * Simple responders (OpenSSL's among them) serve one request per connection, so a kept-alive
 * socket would hang until the timeout.
 */
export function postBinary(
  url: string,
  body: Buffer,
  options: { contentType: string; accept: string; timeoutMs: number; maxBytes: number },
): Promise<Buffer> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: "POST",
        agent: false,
        timeout: options.timeoutMs,
        headers: {
          "content-type": options.contentType,
          accept: options.accept,
          "content-length": body.length,
        },
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`respuesta HTTP ${response.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) request.destroy(new Error("respuesta demasiado grande"));
          else chunks.push(chunk);
        });
        response.on("end", () => resolve(Buffer.concat(chunks)));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error("el servicio no contestó a tiempo")));
    request.on("error", reject);
    request.end(body);
  });
}
