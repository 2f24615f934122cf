import { createStaffService } from "../features/auth/staff-service.ts";
import { createAuthStore } from "../features/auth/store.ts";
import { systemClock } from "../platform/clock.ts";
import { loadConfig } from "../platform/config.ts";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../platform/db/database.ts";
import { type ArgsParser, UsageError } from "./usage.ts";

/**
 * `buzon personal agregar|quitar|listar`: the Institute's staff and their roles. The database
 * is the configured one unless one is given (the tests give an already open one, left open).
 */
export async function personalCommand(
  args: string[],
  parse: ArgsParser,
  given?: DatabaseHandle,
): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, {
    rfc: { type: "string" },
    rol: { type: "string" },
    nombre: { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`Argumento inesperado: «${positionals[0]}».`);
  if (!["agregar", "quitar", "listar"].includes(sub ?? "")) {
    throw new UsageError("Use «personal agregar», «personal quitar» o «personal listar».");
  }
  const database = given ?? openConfiguredDatabase();
  try {
    await migrateToLatest(database.db);
    const staffService = createStaffService({
      store: createAuthStore(database.db),
      clock: systemClock,
    });
    const actor = `linea de comandos (${process.env.USER ?? "desconocido"})`;
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

function openConfiguredDatabase(): DatabaseHandle {
  const config = loadConfig();
  return openDatabase(
    config.databaseUrl
      ? { engine: "postgres", url: config.databaseUrl }
      : { engine: "pglite", dataDir: config.dataDir },
  );
}
