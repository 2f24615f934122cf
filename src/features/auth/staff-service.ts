import { AppError } from "../../domain/errors.ts";
import { parseRfc } from "../../domain/identifiers/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Db, StaffRole } from "../../platform/db/schema.ts";
import { type AuthStore, createAuthStore } from "./store.ts";

export const STAFF_ROLES: readonly StaffRole[] = [
  "notificador",
  "operador",
  "administrador",
  "auditor",
];

/** The Institute's staff and their roles. A change ends the person's open sessions at once. */
export function createStaffService(options: { store: AuthStore; clock: Clock }) {
  const { store } = options;
  const now = () => new Date(options.clock().epochMilliseconds);
  return {
    list() {
      return store.listStaff();
    },

    /**
     * The role of an active staff member, to say who signed a document. `within`: a transaction
     * that acts in the person's name (a chunk of `buzon notificar --lote`), where the row is read
     * FOR SHARE: a baja or role change committed first is seen, one issued meanwhile waits.
     */
    async roleOf(rfc: string, within?: Db): Promise<StaffRole | undefined> {
      const statements = within ? createAuthStore(within) : store;
      return (await statements.staffMember(rfc, { share: within !== undefined }))?.role;
    },

    async set(
      input: { rfc: string; role: string; name?: string | undefined },
      actor: string,
    ): Promise<number> {
      const rfc = parseRfc(input.rfc, { context: "form", pointer: "/rfc" });
      if (rfc.persona !== "fisica") {
        throw new AppError(
          "validation",
          "El personal del Instituto se identifica con el RFC de una persona física.",
        );
      }
      if (!STAFF_ROLES.includes(input.role as StaffRole)) {
        throw new AppError(
          "validation",
          `Rol desconocido «${input.role}»: usa ${STAFF_ROLES.join(", ")}.`,
        );
      }
      const at = now();
      // The role, the end of the sessions it invalidates and the event: all or nothing.
      return store.transaction(async (tx) => {
        await tx.upsertStaff({
          rfc: rfc.value,
          name: input.name?.trim() ?? "",
          role: input.role as StaffRole,
          at,
          by: actor,
        });
        const ended = await tx.endSessionsOfPerson(rfc.value, at, "cambio_de_rol");
        await tx.recordEvent({
          at,
          event: "personal",
          outcome: "aceptado",
          reason: "rol_asignado",
          rfc: rfc.value,
          detail: { role: input.role, by: actor, endedSessions: ended },
        });
        return ended;
      });
    },

    async remove(rfcText: string, actor: string): Promise<number> {
      const rfc = parseRfc(rfcText, { context: "form", pointer: "/rfc" }).value;
      const at = now();
      return store.transaction(async (tx) => {
        if (!(await tx.deactivateStaff(rfc, at, actor))) {
          throw new AppError("not_found", `${rfc} no forma parte del personal activo.`);
        }
        const ended = await tx.endSessionsOfPerson(rfc, at, "baja_de_personal");
        await tx.recordEvent({
          at,
          event: "personal",
          outcome: "aceptado",
          reason: "baja",
          rfc,
          detail: { by: actor, endedSessions: ended },
        });
        return ended;
      });
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
