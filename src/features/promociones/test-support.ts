import { Buffer } from "node:buffer";
import { createHash, randomUUID } from "node:crypto";
import { expect } from "vitest";
import { signLikeTheBrowser } from "../../testing/efirma.ts";
import type { TestSystem } from "../../testing/server.ts";
import type { SignedIn } from "../../testing/sign-in.ts";

/** What the tests of promociones share: the multipart filing as the browser sends it. */

export interface FilePart {
  name: string;
  bytes: Buffer;
}

export const sha256 = (bytes: Uint8Array | string) =>
  createHash("sha256").update(bytes).digest("hex");

export const metaOf = (f: FilePart) => ({
  name: f.name,
  sha256: sha256(f.bytes),
  size: f.bytes.length,
});

/** A multipart/form-data body: the fields, then one `files` part per file. */
export function multipart(fields: Record<string, string>, files: FilePart[]) {
  const boundary = `----buzon${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Files an «aclaración u orientación» with these anexos, signed by the session's e.firma. */
export async function filePromocion(
  app: TestSystem["app"],
  who: SignedIn,
  files: FilePart[],
  subject = "Aclaración de cuotas de noviembre",
): Promise<{ id: string; receivedAt: string; acuse: { folio: string } }> {
  const desafio = await app.inject({
    method: "POST",
    url: "/api/v1/promociones/desafio",
    payload: {
      type: "aclaracion_orientacion",
      subject,
      text: "Solicito la aclaración de las cuotas.",
      attachments: files.map(metaOf),
    },
    cookies: { buzon_sesion: who.cookie },
    headers: { "x-csrf-token": who.csrf },
  });
  expect(desafio.statusCode, desafio.body).toBe(201);
  const { challengeId, toSign } = desafio.json();
  const signed = await signLikeTheBrowser(who.efirma, toSign);
  const { payload, contentType } = multipart({ challengeId, ...signed }, files);
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/promociones",
    payload,
    cookies: { buzon_sesion: who.cookie },
    headers: { "x-csrf-token": who.csrf, "content-type": contentType },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}
