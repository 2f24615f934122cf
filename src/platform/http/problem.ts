import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { DomainError } from "../../domain/errors.ts";
import { capitalize } from "../../domain/text.ts";
import { AppError, type FieldProblem, type ProblemCode, STATUS_OF, TITLE_OF } from "./errors.ts";

/** RFC 9457 problem details, with our stable `code` and the request id for support calls. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ProblemCode;
  requestId: string;
  errors?: FieldProblem[];
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8";

export function problemType(code: ProblemCode): string {
  return `urn:buzon-imss:problema:${code}`;
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  detail: string,
  errors?: FieldProblem[],
): FastifyReply {
  const status = STATUS_OF[code];
  const body: Problem = {
    type: problemType(code),
    title: TITLE_OF[code],
    status,
    detail,
    instance: request.url.split("?")[0] ?? request.url,
    code,
    requestId: String(request.id),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Turns anything thrown in a route into problem+json; unknown errors are logged, not shown. */
export function handleError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof AppError) {
    if (error.code === "internal") request.log.error({ err: error }, "error interno");
    return sendProblem(request, reply, error.code, error.detail, error.errors);
  }
  if (error instanceof EfirmaError) {
    return sendProblem(request, reply, error.code, error.message);
  }
  if (error instanceof DomainError) {
    return sendProblem(
      request,
      reply,
      error.code,
      error.message,
      error.pointer ? [{ pointer: error.pointer, detail: error.message }] : undefined,
    );
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const errors = fastifyError.validation.map((v) =>
      translateValidation(fastifyError.validationContext ?? "body", v),
    );
    return sendProblem(request, reply, "validation", errors.map((e) => e.detail).join(" "), errors);
  }
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return sendProblem(
        request,
        reply,
        "payload_too_large",
        "El contenido enviado excede el tamaño máximo permitido.",
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return sendProblem(
        request,
        reply,
        "unsupported_media_type",
        "El tipo de contenido no es admitido; envía application/json.",
      );
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return sendProblem(
        request,
        reply,
        "validation",
        "El cuerpo de la solicitud está vacío; se esperaba JSON.",
      );
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return sendProblem(
        request,
        reply,
        "validation",
        "El cuerpo de la solicitud no es JSON válido.",
      );
  }
  request.log.error({ err: error }, "error no controlado");
  return sendProblem(
    request,
    reply,
    "internal",
    "Ocurrió un error interno. Si persiste, repórtalo con el número de solicitud.",
  );
}

interface AjvLikeError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: "un texto",
  integer: "un número entero",
  number: "un número",
  object: "un objeto JSON",
  array: "una lista",
  boolean: "verdadero o falso",
  null: "nulo",
};

const CONTEXT_NAME: Record<string, string> = {
  querystring: "el parámetro",
  params: "el parámetro de ruta",
  body: "el campo",
  headers: "el encabezado",
};

/** AJV speaks English; people get Spanish, programs get a pointer. */
export function translateValidation(context: string, error: AjvLikeError): FieldProblem {
  const missing = error.params.missingProperty as string | undefined;
  const extra = error.params.additionalProperty as string | undefined;
  const field =
    missing ?? extra ?? (error.instancePath.replace(/^\//, "").replaceAll("/", ".") || "(raíz)");
  const what = `${CONTEXT_NAME[context] ?? "el campo"} «${field}»`;
  const pointer = missing
    ? `${error.instancePath}/${missing}`
    : extra
      ? `${error.instancePath}/${extra}`
      : error.instancePath || "/";
  let detail: string;
  switch (error.keyword) {
    case "required":
      detail = `Falta ${what}.`;
      break;
    case "additionalProperties":
      detail = `No se admite ${what}.`;
      break;
    case "type":
      detail = `${capitalize(what)} debe ser ${TYPE_NAMES[String(error.params.type)] ?? "de otro tipo"}.`;
      break;
    case "pattern":
    case "format":
      detail = `${capitalize(what)} no tiene el formato esperado.`;
      break;
    case "maxLength":
      detail = `${capitalize(what)} admite a lo más ${String(error.params.limit)} caracteres.`;
      break;
    case "minLength":
      detail = `${capitalize(what)} requiere al menos ${String(error.params.limit)} caracteres.`;
      break;
    case "minimum":
    case "maximum":
      detail = `${capitalize(what)} está fuera del intervalo permitido.`;
      break;
    case "maxItems":
      detail = `${capitalize(what)} admite a lo más ${String(error.params.limit)} elementos.`;
      break;
    default:
      detail = `${capitalize(what)} no es válido.`;
  }
  return { pointer: `${context === "body" ? "" : `${context}:`}${pointer}`, detail };
}
