import { createApiTokenService } from "../features/auth/api-tokens.ts";
import { createStaffService } from "../features/auth/staff-service.ts";
import { createAuthStore } from "../features/auth/store.ts";
import { systemClock } from "../platform/clock.ts";
import { loadConfig } from "../platform/config.ts";
import {
  type DatabaseHandle,
  databaseTargetOf,
  ensureSchemaReady,
  migrateToLatest,
  openDatabase,
} from "../platform/db/database.ts";
import { type ArgsParser, UsageError } from "./usage.ts";

/**
 * `buzon personal agregar|quitar|listar|token …`: the Institute's staff, their roles and their
 * API tokens. The database
 * is the configured one unless one is given (the tests give an already open one, left open).
 */
export async function personalCommand(
  args: string[],
  parse: ArgsParser,
  given?: DatabaseHandle,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "token") return tokenCommand(rest, parse, given);
  const { values, positionals } = parse(rest, {
    rfc: { type: "string" },
    rol: { type: "string" },
    nombre: { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`Argumento inesperado: «${positionals[0]}».`);
  if (!["agregar", "quitar", "listar"].includes(sub ?? "")) {
    throw new UsageError(
      "Use «personal agregar», «personal quitar», «personal listar» o «personal token …».",
    );
  }
  const database = await readyDatabase(given);
  try {
    const staffService = createStaffService({
      store: createAuthStore(database.db),
      clock: systemClock,
    });
    const actor = cliActor();
    if (sub === "listar") {
      const staff = await staffService.list();
      for (const s of staff) {
        process.stdout.write(`${s.rfc}\t${s.role}\t${s.active ? "activo" : "baja"}\t${s.name}\n`);
      }
      if (staff.length === 0) process.stdout.write("No hay personal registrado.\n");
      return 0;
    }
    if (!values.rfc) throw new UsageError("Falta la opción obligatoria --rfc.");
    if (sub === "agregar") {
      if (!values.rol) throw new UsageError("Falta la opción obligatoria --rol.");
      const ended = await staffService.set(
        { rfc: values.rfc, role: values.rol, name: values.nombre },
        actor,
      );
      process.stdout.write(
        `${values.rfc.toUpperCase()}: rol ${values.rol}. Sesiones cerradas: ${ended}.\n`,
      );
    } else {
      const ended = await staffService.remove(values.rfc, actor);
      process.stdout.write(`${values.rfc.toUpperCase()}: baja. Sesiones cerradas: ${ended}.\n`);
    }
    return 0;
  } finally {
    if (!given) await database.close();
  }
}

/** Who acts from the command line, as records name them. */
function cliActor(): string {
  return `linea de comandos (${process.env.USER ?? "desconocido"})`;
}

/**
 * `buzon personal token crear|listar|revocar`: staff API tokens for automation. The token is
 * printed once, at creation; the database keeps its SHA-256 only.
 */
async function tokenCommand(
  args: string[],
  parse: ArgsParser,
  given?: DatabaseHandle,
): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, {
    rfc: { type: "string" },
    nombre: { type: "string" },
    rol: { type: "string" },
    dias: { type: "string" },
    id: { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`Argumento inesperado: «${positionals[0]}».`);
  if (!["crear", "listar", "revocar"].includes(sub ?? "")) {
    throw new UsageError(
      "Use «personal token crear», «personal token listar» o «personal token revocar».",
    );
  }
  const database = await readyDatabase(given);
  try {
    const tokens = createApiTokenService({ db: database.db, clock: systemClock });
    if (sub === "listar") {
      const list = await tokens.list(values.rfc);
      for (const t of list) {
        const state = t.revokedAt
          ? "revocado"
          : t.expiresAt < new Date().toISOString()
            ? "vencido"
            : "vigente";
        process.stdout.write(
          `${t.id}\t${t.rfc}\t${t.roles.join(",")}\t${state}\tvence ${t.expiresAt}\t${t.name}\n`,
        );
      }
      if (list.length === 0) process.stdout.write("No hay tokens de API.\n");
      return 0;
    }
    if (sub === "revocar") {
      if (!values.id) throw new UsageError("Falta la opción obligatoria --id.");
      const revoked = await tokens.revoke(values.id, cliActor());
      process.stdout.write(`Token ${revoked.id} de ${revoked.rfc} revocado.\n`);
      return 0;
    }
    if (!values.rfc) throw new UsageError("Falta la opción obligatoria --rfc.");
    if (!values.nombre) throw new UsageError("Falta la opción obligatoria --nombre.");
    if (!values.rol) throw new UsageError("Falta la opción obligatoria --rol.");
    const days = values.dias === undefined ? 90 : Number(values.dias);
    const created = await tokens.create(
      { rfc: values.rfc, name: values.nombre, roles: values.rol.split(","), days },
      cliActor(),
    );
    process.stdout.write(
      `Token ${created.view.id} de ${created.view.rfc} (${created.view.roles.join(", ")}), vence ${created.view.expiresAt}.\n` +
        "Guárdelo ahora: no se vuelve a mostrar.\n" +
        `${created.token}\n`,
    );
    return 0;
  } finally {
    if (!given) await database.close();
  }
}

/**
 * The configured database, its schema ready as for `buzon serve` (with the roles apart, never
 * migrated from here); a given one (the tests') is migrated.
 */
export async function readyDatabase(given: DatabaseHandle | undefined): Promise<DatabaseHandle> {
  if (given) {
    await migrateToLatest(given.db);
    return given;
  }
  const config = loadConfig();
  const database = openDatabase(databaseTargetOf(config));
  try {
    await ensureSchemaReady(database, config.databaseServingRole);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
