import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { CodedError, type FieldProblem } from "../../domain/errors.ts";
import { capitalize } from "../../domain/text.ts";
import { isProblemCode, PROBLEMS, type ProblemCode } from "./errors.ts";

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
  /** A 4xx other than the code's own, kept from a framework refusal. */
  statusOverride?: number,
): FastifyReply {
  const body = problemBody(request, code, detail, errors, statusOverride);
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** The problem+json body of `code` for this request (sendProblem's, and a stream's last line). */
export function problemBody(
  request: FastifyRequest,
  code: ProblemCode,
  detail: string,
  errors?: FieldProblem[],
  statusOverride?: number,
): Problem {
  const kind = PROBLEMS[code];
  return {
    type: problemType(code),
    title: kind.title,
    status: statusOverride ?? kind.status,
    detail,
    instance: request.url.split("?")[0] ?? request.url,
    code,
    requestId: String(request.id),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/**
 * The problem an error becomes once the answer has begun (a stream cannot change its status):
 * a coded error its own, anything else logged and told as internal, as handleError does.
 */
export function problemOfError(request: FastifyRequest, error: unknown): Problem {
  if (error instanceof CodedError && isProblemCode(error.code)) {
    if (PROBLEMS[error.code].status >= 500) request.log.warn({ err: error }, "error en un lote");
    return problemBody(request, error.code, error.detail, error.errors);
  }
  request.log.error({ err: error }, "error no controlado en un lote");
  return problemBody(
    request,
    "internal",
    "Ocurrió un error interno. Si persiste, repórtalo con el número de solicitud.",
  );
}

/**
 * Turns anything thrown in a route into problem+json: a CodedError through the one table of
 * codes, a framework error by its own 4xx status, anything else as a logged internal error.
 */
export function handleError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof CodedError && isProblemCode(error.code)) {
    if (error.code === "internal") request.log.error({ err: error }, "error interno");
    else if (PROBLEMS[error.code].status >= 500)
      request.log.warn({ err: error }, "servicio no disponible");
    return sendProblem(request, reply, error.code, error.detail, error.errors);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    // A union refuses once per branch; the same Spanish sentence at the same place is said once.
    const seen = new Set<string>();
    const errors = fastifyError.validation
      .map((v) => translateValidation(fastifyError.validationContext ?? "body", v))
      .filter((e) => {
        const key = `${e.pointer}\u0000${e.detail}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    return sendProblem(request, reply, "validation", errors.map((e) => e.detail).join(" "), errors);
  }
  const known = fastifyError.code ? FRAMEWORK_PROBLEMS[fastifyError.code] : undefined;
  if (known) return sendProblem(request, reply, known.code, known.detail);
  const status = fastifyError.statusCode;
  if (
    !(error instanceof CodedError) &&
    typeof status === "number" &&
    status >= 400 &&
    status < 500
  ) {
    // A framework or plugin refusal (a path @fastify/static forbids, a malformed header…): the
    // caller's mistake keeps its status; its English message is not shown.
    request.log.info(
      { code: fastifyError.code, status },
      "solicitud rechazada por el servidor HTTP",
    );
    const generic = GENERIC_OF_STATUS[status] ?? GENERIC_OF_STATUS[400];
    return sendProblem(request, reply, generic.code, generic.detail, undefined, status);
  }
  request.log.error({ err: error }, "error no controlado");
  return sendProblem(
    request,
    reply,
    "internal",
    "Ocurrió un error interno. Si persiste, repórtalo con el número de solicitud.",
  );
}

interface FrameworkProblem {
  code: ProblemCode;
  detail: string;
}

/** Fastify's own refusals that have a code of ours and a Spanish explanation. */
const FRAMEWORK_PROBLEMS: Record<string, FrameworkProblem> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: "payload_too_large",
    detail: "El contenido enviado excede el tamaño máximo permitido.",
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: "unsupported_media_type",
    detail: "El tipo de contenido no es admitido; envía application/json.",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: "validation",
    detail: "El cuerpo de la solicitud está vacío; se esperaba JSON.",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: "validation",
    detail: "El cuerpo de la solicitud no es JSON válido.",
  },
};

/** Any other 4xx from the framework or a plugin: the nearest code of ours, a plain detail. */
const GENERIC_OF_STATUS: Record<number, FrameworkProblem> & { 400: FrameworkProblem } = {
  400: { code: "validation", detail: "La solicitud no es válida." },
  401: { code: "unauthorized", detail: "Se requiere identificarse para esta solicitud." },
  403: { code: "forbidden", detail: "La solicitud no está permitida." },
  404: { code: "not_found", detail: "No existe lo que se pidió." },
  409: { code: "conflict", detail: "La solicitud choca con el estado actual." },
  413: {
    code: "payload_too_large",
    detail: "El contenido enviado excede el tamaño máximo permitido.",
  },
  415: { code: "unsupported_media_type", detail: "El tipo de contenido no es admitido." },
  429: { code: "rate_limited", detail: "Demasiadas solicitudes; espera un momento." },
};

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
