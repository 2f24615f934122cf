import {
  type BusinessCalendar,
  type CalendarData,
  createCalendar,
  type DeclaredDay,
} from "../../domain/calendar/calendar.ts";
import { AppError } from "../../domain/errors.ts";
import { spanishWeekday, toZonaCentro } from "../../domain/time/zona-centro.ts";
import type { Clock } from "../../platform/clock.ts";
import type { CalendarYear } from "./schemas.ts";
import type { CalendarStore, StoredCalendarVersion } from "./store.ts";

/** The authority whose business days govern Buzón IMSS terms. */
export const IMSS = "IMSS";

/** A year's non-business days as the API shows them: the wire type is the one source. */
export type YearView = CalendarYear;

export interface Actor {
  /** Who acted, as recorded in the version (never a secret). */
  id: string;
  note: string;
}

export function createCalendarService(store: CalendarStore, clock: Clock) {
  // Parsed calendars by stored row id: rows never change, so the cache never goes stale.
  const parsed = new Map<string, BusinessCalendar>();
  const toCalendar = (stored: StoredCalendarVersion): BusinessCalendar => {
    let calendar = parsed.get(stored.id);
    if (!calendar) {
      calendar = createCalendar(stored);
      parsed.set(stored.id, calendar);
    }
    return calendar;
  };

  const stored = async (version?: string): Promise<StoredCalendarVersion> => {
    const found = version ? await store.byVersion(IMSS, version) : await store.latest(IMSS);
    if (!found) {
      throw version
        ? new AppError("not_found", `No existe la versión «${version}» del calendario ${IMSS}.`)
        : new AppError(
            "unavailable",
            `No hay calendario ${IMSS} cargado; ejecute «buzon migrate».`,
          );
    }
    return found;
  };

  return {
    /** The calendar terms are computed with: the latest version, or the one asked for. */
    async calendar(version?: string): Promise<BusinessCalendar> {
      return toCalendar(await stored(version));
    },

    async yearView(year: number, version?: string): Promise<YearView> {
      const calendar = toCalendar(await stored(version));
      return {
        year,
        authority: calendar.authority,
        version: calendar.version,
        days: calendar.holidaysOf(year).map((d) => ({
          ...d,
          weekday: spanishWeekday(Temporal.PlainDate.from(d.date)),
        })),
      };
    },

    async versionFile(version: string): Promise<CalendarData> {
      const { authority, version: label, days } = await stored(version);
      return { authority, version: label, days };
    },

    listVersions() {
      return store.list(IMSS);
    },

    /**
     * Declares one more día inhábil: a new version holding every day of the previous one plus
     * this one, labelled `<year>-<n>` after the Zona Centro year of the change.
     */
    async declareDay(day: DeclaredDay, actor: Actor): Promise<StoredCalendarVersion> {
      return store.withAuthorityLock(IMSS, async (tx) => {
        const previous = await store.latest(IMSS, tx);
        const calendar = previous
          ? toCalendar(previous)
          : createCalendar({ authority: IMSS, version: "-", days: [] });
        const reason = calendar.nonBusinessReason(Temporal.PlainDate.from(day.date));
        if (reason) {
          throw new AppError(
            "conflict",
            `El ${day.date} ya es inhábil (${reason.reason}; ${reason.source}) en la versión ${calendar.version}.`,
          );
        }
        const year = toZonaCentro(clock()).year;
        let n = (await store.countWithPrefix(IMSS, `${year}-`, tx)) + 1;
        while (await store.exists(IMSS, `${year}-${n}`, tx)) n++;
        const days = [...(previous?.days ?? []), day].sort((a, b) => a.date.localeCompare(b.date));
        return store.insert(
          { authority: IMSS, version: `${year}-${n}`, days, note: actor.note, createdBy: actor.id },
          tx,
        );
      });
    },

    /** Loads a whole calendar file as a new version (its label must be new). */
    async importVersion(data: CalendarData, actor: Actor): Promise<StoredCalendarVersion> {
      if (data.authority !== IMSS) {
        throw new AppError(
          "conflict",
          `Este sistema usa el calendario de la autoridad ${IMSS}, no «${data.authority}».`,
        );
      }
      return store.withAuthorityLock(IMSS, async (tx) => {
        if (await store.exists(IMSS, data.version, tx)) {
          throw new AppError(
            "conflict",
            `La versión «${data.version}» del calendario ya existe; use una versión nueva.`,
          );
        }
        return store.insert({ ...data, note: actor.note, createdBy: actor.id }, tx);
      });
    },

    /** On first start: load the shipped calendar when the database has none. */
    async ensureInitial(
      data: CalendarData,
      actor: Actor,
    ): Promise<StoredCalendarVersion | undefined> {
      if (await store.latest(IMSS)) return undefined;
      try {
        return await this.importVersion(data, actor);
      } catch (error) {
        // Another process loaded it first: that is the outcome we wanted.
        if (error instanceof AppError && error.code === "conflict") return undefined;
        throw error;
      }
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
