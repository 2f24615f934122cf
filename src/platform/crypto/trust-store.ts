import { X509Certificate } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { readPemBlocks } from "../../domain/efirma/pem.ts";
import { ConfigError } from "../config.ts";

/**
 * Issuer certificates trusted to have issued e.firmas: the files (DER or PEM, one or more
 * certificates each) of the configured directory. Each is a trust anchor: SAT's intermediate
 * CAs are placed here directly, as OpenSSL's CApath would hold them.
 */
export async function loadTrustStore(dir: string): Promise<X509Certificate[]> {
  const anchors: X509Certificate[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (!/\.(cer|crt|pem|der)$/i.test(name)) continue;
    const bytes = await readFile(join(dir, name));
    const blocks = readPemBlocks(bytes, "CERTIFICATE") ?? [bytes];
    for (const block of blocks) {
      try {
        const certificate = new X509Certificate(block);
        if (certificate.ca) anchors.push(certificate);
      } catch {
        throw new ConfigError(
          `El almacén de confianza tiene un archivo que no es un certificado: ${name}`,
        );
      }
    }
  }
  return anchors;
}
