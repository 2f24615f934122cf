import {
  computeEmision,
  computeEstrados,
  computeHabilitacion,
  computeNotificacion,
  computePromocion,
  computeValidacion,
} from "../../domain/plazos/index.ts";
import { parseInstant, parsePlainDate } from "../../domain/time/zona-centro.ts";
import { type CalendarService, TFJA } from "../calendario/service.ts";

/** Legal-time computations on the calendar in force (or a named version of it). */
export function createPlazosService(calendars: CalendarService) {
  return {
    async notificacion(input: {
      aviso: string;
      abierto?: string | undefined;
      version?: string | undefined;
      calendarioTfja?: string | undefined;
      sinMediosDeDefensa?: boolean | undefined;
      conocimiento?: string | undefined;
    }) {
      const avisoAt = parseInstant(input.aviso, "aviso");
      const openedAt = input.abierto ? parseInstant(input.abierto, "abierto") : undefined;
      const conocimiento = input.conocimiento
        ? parsePlainDate(input.conocimiento, "conocimiento")
        : undefined;
      return computeNotificacion(await calendars.calendar(input.version), {
        avisoAt,
        openedAt,
        tfja: await calendars.calendar(input.calendarioTfja, TFJA),
        sinMediosDeDefensa: input.sinMediosDeDefensa,
        conocimiento,
      });
    },
    async estrados(input: {
      publicada: string;
      version?: string | undefined;
      calendarioTfja?: string | undefined;
      sinMediosDeDefensa?: boolean | undefined;
    }) {
      const publishedAt = parseInstant(input.publicada, "publicada");
      return computeEstrados(await calendars.calendar(input.version), publishedAt, {
        tfja: await calendars.calendar(input.calendarioTfja, TFJA),
        sinMediosDeDefensa: input.sinMediosDeDefensa,
      });
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
    async habilitacion(input: { version?: string | undefined } = {}) {
      return computeHabilitacion(await calendars.calendar(input.version));
    },
  };
}

export type PlazosService = ReturnType<typeof createPlazosService>;
