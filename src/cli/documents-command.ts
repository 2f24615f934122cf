import { auditBlobs } from "../platform/blobs/blob-audit.ts";
import type { BlobStore } from "../platform/blobs/blob-store.ts";
import { loadConfig } from "../platform/config.ts";
import type { DatabaseHandle } from "../platform/db/database.ts";
import { buildBlobStore } from "../system.ts";
import { documentosPublicarCommand } from "./documentos-publicar-command.ts";
import { readyDatabase } from "./personal-command.ts";
import { type ArgsParser, noPositionals, UsageError } from "./usage.ts";

const PROBLEM_TEXT = {
  blob_missing: "falta en el almacén",
  blob_corrupt: "alterado: sus bytes ya no coinciden con su SHA-256",
  size_mismatch: "de otro tamaño que el registrado",
} as const;

/**
 * `buzon documentos verificar [--json]`: reads back every recorded document through the
 * configured store (BLOB_STORE), re-hashing each. Exit 0 when all are intact, 1 when any is
 * missing or altered (each named by its hash), so a scheduled run can alert. The database and
 * store are the configured ones unless given (the tests give theirs).
 */
export async function documentsCommand(
  args: string[],
  parse: ArgsParser,
  given?: { database: DatabaseHandle; store: BlobStore },
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "publicar") return documentosPublicarCommand(rest, parse);
  if (sub !== "verificar") {
    throw new UsageError(
      "Use «documentos verificar [--json]» o «documentos publicar --lote <carpeta|lote.csv> --publicador RFC».",
    );
  }
  const { values, positionals } = parse(rest, { json: { type: "boolean" } });
  noPositionals(positionals);
  const store = given?.store ?? (await buildBlobStore(loadConfig()));
  const database = await readyDatabase(given?.database);
  try {
    const audit = await auditBlobs(database.db, store);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ store: store.kind, ...audit })}\n`);
    } else {
      for (const { sha256, problem } of audit.problems) {
        process.stdout.write(`${sha256}\t${PROBLEM_TEXT[problem]}\n`);
      }
      process.stdout.write(
        audit.problems.length === 0
          ? `${audit.checked} documentos verificados en el almacén (${store.kind}): todos íntegros.\n`
          : `${audit.checked} documentos verificados en el almacén (${store.kind}): ${audit.problems.length} con problemas. Restáurelos del respaldo (docs/operacion.md, «Almacén de documentos»).\n`,
      );
    }
    return audit.problems.length === 0 ? 0 : 1;
  } finally {
    if (!given) await database.close();
  }
}
