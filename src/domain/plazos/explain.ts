import type { DayKind, NonBusinessDay } from "../calendar/cff-holidays.ts";
import { spanishDate } from "../time/zona-centro.ts";

const WEEKEND = new Set(["Sábado", "Domingo"]);

const KIND_TEXT: Record<DayKind, string> = {
  inhabil: "día inhábil",
  vacaciones_generales: "vacaciones generales",
  oficinas_cerradas: "oficinas cerradas",
};

export interface SkippedContext {
  /** The calendar's authority, so a declared day says who declared it. */
  authority?: string;
  /**
   * Days an earlier step of the same explanation already named (date, reason and source): each
   * is told once, and a later step only counts them. Updated with the days this call names.
   */
  named?: Set<string>;
}

/** Why a day does not count, with no parentheses of its own (reasons and sources carry some). */
export function dayWhy(day: NonBusinessDay, authority?: string): string {
  if (day.kind === "cff") return day.reason;
  const kind = KIND_TEXT[day.dayKind ?? "inhabil"];
  return `${day.reason}, declarado${authority ? ` por el ${authority}` : ""} como ${kind}`;
}

/** Consecutive dates with the same reason, source and kind: one run, told as a range. */
function runsOf(days: NonBusinessDay[]): NonBusinessDay[][] {
  const runs: NonBusinessDay[][] = [];
  for (const day of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    const consecutive =
      last !== undefined &&
      Temporal.PlainDate.from(last.date).add({ days: 1 }).toString() === day.date &&
      last.reason === day.reason &&
      last.source === day.source &&
      last.kind === day.kind &&
      last.dayKind === day.dayKind;
    if (run && consecutive) run.push(day);
    else runs.push([day]);
  }
  return runs;
}

function runText(run: NonBusinessDay[]): string {
  const first = spanishDate(Temporal.PlainDate.from(run[0]!.date));
  if (run.length === 1) return first;
  const last = spanishDate(Temporal.PlainDate.from(run.at(-1)!.date));
  return run.length === 2 ? `${first} y ${last}` : `del ${first} al ${last}`;
}

function countOf(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}

/**
 * «No se cuentan: jueves 17 de abril de 2025: Jueves Santo, día inhábil declarado por el IMSS;
 * además de 2 días de fin de semana. Fundamento: Acuerdo …» — the days a reader checks
 * (holidays, declared days by kind, in runs), each date once in an explanation; weekends only
 * counted; each source once; no parentheses around text that has its own. Empty when nothing
 * was skipped.
 */
export function describeSkipped(skipped: NonBusinessDay[], context: SkippedContext = {}): string {
  if (skipped.length === 0) return "";
  const { authority, named } = context;
  const weekends = skipped.filter((d) => d.kind === "cff" && WEEKEND.has(d.reason));
  const others = skipped.filter((d) => !weekends.includes(d));
  const key = (d: NonBusinessDay) => `${d.date}|${d.reason}|${d.source}`;
  const fresh = others.filter((d) => !named?.has(key(d)));
  const repeated = others.length - fresh.length;
  for (const d of fresh) named?.add(key(d));

  const extras: string[] = [];
  if (repeated > 0) extras.push(countOf(repeated, "día ya señalado", "días ya señalados"));
  if (weekends.length > 0) {
    extras.push(countOf(weekends.length, "día de fin de semana", "días de fin de semana"));
  }
  const extraText = joinSpanish(extras);
  if (fresh.length === 0) {
    const weekendSource = weekends.length > 0 ? `, ${weekends[0]!.source}` : "";
    return ` No se cuentan ${extraText}${repeated === 0 ? weekendSource : ""}.`;
  }
  const listed = runsOf(fresh).map((run) => `${runText(run)}: ${dayWhy(run[0]!, authority)}`);
  // A source's own final period would end up before the separator.
  const sources = [...new Set(fresh.map((d) => d.source.replace(/\.$/, "")))];
  if (weekends.length > 0 && !sources.includes(weekends[0]!.source)) {
    sources.push(weekends[0]!.source);
  }
  const besides = extraText === "" ? "" : `; además, ${extraText}`;
  return ` No se cuentan: ${listed.join("; ")}${besides}. Fundamento: ${sources.join("; ")}.`;
}

export function joinSpanish(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} y ${items.at(-1)}`;
}
