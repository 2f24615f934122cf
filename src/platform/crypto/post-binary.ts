import { Buffer } from "node:buffer";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { CodedError } from "../../domain/errors.ts";

/** An outside service (OCSP responder, TSA) that did not give a usable answer. */
export class PeerError extends CodedError<"peer_unavailable"> {}

const peerFailure = (why: string) => new PeerError("peer_unavailable", why);

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
          reject(peerFailure(`respuesta HTTP ${response.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) request.destroy(peerFailure("respuesta demasiado grande"));
          else chunks.push(chunk);
        });
        response.on("end", () => resolve(Buffer.concat(chunks)));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(peerFailure("el servicio no contestó a tiempo")));
    request.on("error", reject);
    request.end(body);
  });
}
