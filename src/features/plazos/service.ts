import {
  computeEmision,
  computeHabilitacion,
  computeNotificacion,
  computePromocion,
  computeValidacion,
} from "../../domain/plazos/index.ts";
import { parseInstant } from "../../domain/time/zona-centro.ts";
import type { CalendarService } from "../calendario/service.ts";

/** Legal-time computations on the calendar in force (or a named version of it). */
export function createPlazosService(calendars: CalendarService) {
  return {
    async notificacion(input: {
      aviso: string;
      abierto?: string | undefined;
      version?: string | undefined;
    }) {
      const avisoAt = parseInstant(input.aviso, "aviso");
      const openedAt = input.abierto ? parseInstant(input.abierto, "abierto") : undefined;
      return computeNotificacion(await calendars.calendar(input.version), { avisoAt, openedAt });
    },
    async promocion(input: { enviada: string; version?: string | undefined }) {
      return computePromocion(
        await calendars.calendar(input.version),
        parseInstant(input.enviada, "enviada"),
      );
    },
    async emision(input: { at: string; version?: string | undefined }) {
      return computeEmision(await calendars.calendar(input.version), parseInstant(input.at, "at"));
    },
    validacion(input: { registrado: string }) {
      return computeValidacion(parseInstant(input.registrado, "registrado"));
    },
    habilitacion() {
      return computeHabilitacion();
    },
  };
}

export type PlazosService = ReturnType<typeof createPlazosService>;
