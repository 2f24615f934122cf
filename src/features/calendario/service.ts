import {
  AUTHORITIES,
  type Authority,
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
/** The authority whose calendar governs the juicio de nulidad (LFPCA arts. 13 y 74). */
export const TFJA = "TFJA";

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

  const noCalendar = (authority: Authority) =>
    new AppError("unavailable", `No hay calendario ${authority} cargado; ejecute «buzon migrate».`);

  /**
   * The latest version of each authority, read by id: a request asks which versions are in
   * force (one small statement: a day declared by another process counts at once) and parses a
   * version's days only the first time it sees it.
   */
  const latestOf = async <const A extends readonly Authority[]>(
    authorities: A,
  ): Promise<{ [K in keyof A]: BusinessCalendar }> => {
    const ids = await store.latestIds(authorities);
    return (await Promise.all(
      authorities.map(async (authority) => {
        const id = ids.get(authority);
        if (id === undefined) throw noCalendar(authority);
        const cached = parsed.get(id);
        if (cached) return cached;
        const row = await store.byId(id);
        if (!row) throw noCalendar(authority);
        return toCalendar(row);
      }),
    )) as { [K in keyof A]: BusinessCalendar };
  };

  const stored = async (
    version: string | undefined,
    authority: Authority,
  ): Promise<StoredCalendarVersion> => {
    const found = version
      ? await store.byVersion(authority, version)
      : await store.latest(authority);
    if (!found) {
      throw version
        ? new AppError(
            "not_found",
            `No existe la versión «${version}» del calendario ${authority}.`,
          )
        : new AppError(
            "unavailable",
            `No hay calendario ${authority} cargado; ejecute «buzon migrate».`,
          );
    }
    return found;
  };

  return {
    /** The calendar terms are computed with: the latest version, or the one asked for. */
    async calendar(version?: string, authority: Authority = IMSS): Promise<BusinessCalendar> {
      if (!version) return (await latestOf([authority]))[0];
      return toCalendar(await stored(version, authority));
    },

    /** The IMSS and TFJA calendars in force, asked in one statement (every list of acts does). */
    async current(): Promise<{ imss: BusinessCalendar; tfja: BusinessCalendar }> {
      const [imss, tfja] = await latestOf([IMSS, TFJA] as const);
      return { imss, tfja };
    },

    async yearView(year: number, version?: string, authority: Authority = IMSS): Promise<YearView> {
      const calendar = toCalendar(await stored(version, authority));
      return {
        year,
        authority: calendar.authority,
        version: calendar.version,
        declared: calendar.declares(year),
        days: calendar.holidaysOf(year).map((d) => ({
          ...d,
          weekday: spanishWeekday(Temporal.PlainDate.from(d.date)),
        })),
      };
    },

    async versionFile(version: string, authority: Authority = IMSS): Promise<CalendarData> {
      const { authority: owner, version: label, years, days } = await stored(version, authority);
      return years
        ? { authority: owner, version: label, years, days }
        : { authority: owner, version: label, days };
    },

    listVersions(authority: Authority = IMSS) {
      return store.list(authority);
    },

    /**
     * Declares one more día inhábil: a new version holding every day of the previous one plus
     * this one, labelled `<year>-<n>` after the Zona Centro year of the change.
     */
    async declareDay(
      day: DeclaredDay,
      actor: Actor,
      authority: Authority = IMSS,
    ): Promise<StoredCalendarVersion> {
      return store.withAuthorityLock(authority, async (tx) => {
        const previous = await store.latest(authority, tx);
        const calendar = previous
          ? toCalendar(previous)
          : createCalendar({ authority, version: "-", days: [] });
        const reason = calendar.nonBusinessReason(Temporal.PlainDate.from(day.date));
        if (reason) {
          throw new AppError(
            "conflict",
            `El ${day.date} ya es inhábil (${reason.reason}; ${reason.source}) en la versión ${calendar.version}.`,
          );
        }
        const year = toZonaCentro(clock()).year;
        let n = (await store.countWithPrefix(authority, `${year}-`, tx)) + 1;
        while (await store.exists(authority, `${year}-${n}`, tx)) n++;
        const days = [...(previous?.days ?? []), day].sort((a, b) => a.date.localeCompare(b.date));
        // Declaring a day of a year is publishing (part of) that year's declaration.
        const dayYear = Number(day.date.slice(0, 4));
        const years = previous?.years
          ? [...new Set([...previous.years, dayYear])].sort((a, b) => a - b)
          : undefined;
        return store.insert(
          {
            authority,
            version: `${year}-${n}`,
            ...(years ? { years } : {}),
            days,
            note: actor.note,
            createdBy: actor.id,
          },
          tx,
        );
      });
    },

    /** Loads a whole calendar file as a new version (its label must be new). */
    async importVersion(data: CalendarData, actor: Actor): Promise<StoredCalendarVersion> {
      if (!(AUTHORITIES as readonly string[]).includes(data.authority)) {
        throw new AppError(
          "conflict",
          `Este sistema usa los calendarios de ${AUTHORITIES.join(" y ")}, no «${data.authority}».`,
        );
      }
      return store.withAuthorityLock(data.authority, async (tx) => {
        if (await store.exists(data.authority, data.version, tx)) {
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
      if (await store.latest(data.authority)) return undefined;
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
