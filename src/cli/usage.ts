import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { CodedError, type CodedErrorOptions } from "../domain/errors.ts";

/** A refusal to show as is, with exit code 2 (bad usage or input). */
export class UsageError extends CodedError<"usage"> {
  constructor(detail: string, options?: CodedErrorOptions) {
    super("usage", detail, options);
  }
}

export function parse<const O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  let parsed: ReturnType<
    typeof parseArgs<{
      args: string[];
      options: O;
      strict: true;
      allowPositionals: true;
      tokens: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args,
      options,
      strict: true as const,
      allowPositionals: true as const,
      tokens: true as const,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new UsageError(`Opción desconocida: ${unknown[1]}. Ejecute «buzon help».`);
    // Node names the option with an English placeholder («--conocimiento <value>»): keep the name.
    const missingValue = /Option '(?:-\w, )?(--[^' ]+)[^']*'.* argument missing/.exec(message);
    if (missingValue) {
      throw new UsageError(`Falta el valor de la opción ${missingValue[1]}. Ejecute «buzon help».`);
    }
    const noValue = /Option '([^']+)' does not take an argument/.exec(message);
    if (noValue) throw new UsageError(`La opción ${noValue[1]} no lleva valor.`);
    throw new UsageError("Argumentos inválidos. Ejecute «buzon help».");
  }
  // A repeated option would silently keep the last value: with legal dates, refuse instead.
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name))
      throw new UsageError(`La opción --${token.name} se dio más de una vez.`);
    seen.add(token.name);
  }
  return parsed;
}

export function required(value: string | boolean | undefined, name: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(`Falta la opción obligatoria --${name}.`);
  }
  return value;
}

export function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`Argumento inesperado: «${positionals[0]}».`);
}

export type ArgsParser = typeof parse;
