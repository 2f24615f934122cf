import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import { IsoInstant, problems } from "../../platform/http/schemas.ts";
import { AVISO_EVIDENCE_FORMAT } from "./aviso.ts";
import { NotificacionParamsSchema } from "./schemas.ts";
import type { NotificacionSweeps } from "./sweeps.ts";

const Nullable = <T extends ReturnType<typeof Type.Object>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** The aviso's evidence as staff see it (addresses masked; whole in the evidence ZIP). */
export const AvisoEvidenceSchema = Type.Object(
  {
    format: Type.Literal(AVISO_EVIDENCE_FORMAT, {
      description:
        "Formato de esta evidencia (el de aviso.json del paquete). /2: `term` puede ser null (acto cancelado o en estrados), con `cancellation` y `estradosPublication`.",
    }),
    id: Type.String({ format: "uuid" }),
    addressee: Type.Object({
      rfc: Type.String(),
      registroPatronal: Type.Union([Type.String(), Type.Null()]),
    }),
    act: Type.Object({
      actType: Type.String(),
      actTypeName: Type.String(),
      oficio: Type.String(),
      issuingUnit: Type.String(),
      documentName: Type.String(),
      documentSha256: Type.String(),
    }),
    availableAt: IsoInstant("Cuando el documento quedó a disposición y el aviso cuenta (regla a)."),
    term: Type.Union(
      [
        Type.Object({
          openBy: Type.String({ format: "date" }),
          deemedNotifiedAt: IsoInstant("09:30 del cuarto día hábil (Lineamientos 7.5)."),
          calendarVersion: Type.String(),
          statement: Type.String(),
        }),
        Type.Null(),
      ],
      {
        description:
          "El plazo de tres días hábiles para abrir que declara el aviso, con las fechas del motor. `null` si el acto está cancelado, cuando sea que se canceló (no corre ningún plazo y `cancellation` dice lo que pasó), o si va a estrados (CFF art. 139: `estradosPublication`).",
      },
    ),
    cancellation: Type.Union(
      [
        Type.Object({
          cancelledAt: IsoInstant("Instante de la cancelación (el evento `cancelada`)."),
          acuseFolio: Type.Union([Type.String(), Type.Null()], {
            description: "Folio del acuse de cancelación (`cancelacion_notificacion`).",
          }),
          afterAviso: Type.Boolean({
            description:
              "true si se canceló en el instante del aviso o después: el documento estuvo a disposición y el acuse del aviso se sella (si el barrido lo selló después de la cancelación, con el texto «Aviso de notificación de un acto cancelado»); false si se canceló antes: nunca estuvo a disposición y el aviso no tiene acuse.",
          }),
          effect: Type.String({
            description:
              "El efecto de la cancelación, con las palabras del texto sellado del aviso de un acto cancelado: no corren los tres días ni habrá notificación.",
          }),
          statement: Type.String({
            description:
              "Lo que pasó, en lugar de la declaración del plazo: cuándo quedó a disposición (o que nunca lo estuvo), la cancelación con el folio de su acuse y su efecto; si el acuse del aviso se selló antes de la cancelación, que declara el plazo como corría entonces.",
          }),
        }),
        Type.Null(),
      ],
      { description: "La cancelación del acto; `null` si no está cancelado." },
    ),
    estradosPublication: Type.Union(
      [
        Type.Object({
          publishedAt: IsoInstant("Inicio de la publicación: el instante del aviso."),
          lastPublicationDay: Type.String({
            format: "date",
            description: "Décimo día hábil de publicación (CFF art. 139).",
          }),
          notifiedAt: IsoInstant("Notificada: el día hábil siguiente al décimo (CFF art. 139)."),
          acuseFolio: Type.Union([Type.String(), Type.Null()], {
            description: "Folio del acuse de la publicación (`publicacion_estrados`).",
          }),
        }),
        Type.Null(),
      ],
      {
        description:
          "De un acto en estrados, ya publicado, las fechas de su publicación (sin plazo de tres días del Buzón: `term` es null); `null` en otro caso.",
      },
    ),
    acuse: Nullable(
      Type.Object({
        folio: Type.String(),
        kind: Type.String(),
        eventAt: IsoInstant("Instante del evento."),
        countsAt: IsoInstant("Instante en que surte efectos."),
        rule: Type.String(),
        calendarVersion: Type.String(),
        rulesVersion: Type.String(),
        cadenaOriginal: Type.String(),
        seal: Type.Optional(
          Type.String({
            description:
              "El sello (base64), solo para `notificador`, `administrador` y `auditor`: sus últimos caracteres son el código de verificación del acuse, que el `operador` no recibe (ve el folio).",
          }),
        ),
        sealCertificateNumber: Type.String(),
      }),
    ),
    deliveries: Type.Array(
      Type.Object({
        aviso: Type.Union([Type.Literal("primero"), Type.Literal("segundo")]),
        channel: Type.Union([Type.Literal("correo"), Type.Literal("sms")]),
        address: Type.String(),
        status: Type.Union([
          Type.Literal("pendiente"),
          Type.Literal("enviada"),
          Type.Literal("fallida"),
        ]),
        enqueuedAt: IsoInstant("Cuando se escribió en la bandeja de salida."),
        attempts: Type.Array(
          Type.Object({
            attempt: Type.Integer(),
            outcome: Type.String(),
            at: IsoInstant("Instante del intento."),
            response: Type.String(),
          }),
        ),
      }),
    ),
  },
  { additionalProperties: false },
);

export interface AvisoRoutesOptions {
  sweeps: NotificacionSweeps;
  /** Staff who follow the acts (every staff role). */
  requireStaff: (request: FastifyRequest) => Promise<void>;
  /** Whether the caller receives acuse verification codes (EVIDENCE_READERS): the seal holds one. */
  seesAcuseCodes: (request: FastifyRequest) => boolean;
}

/** GET /api/v1/staff/notificaciones/{id}/aviso: the aviso's evidence (issue 11 §3). */
export const avisoRoutes: FastifyPluginAsyncTypebox<AvisoRoutesOptions> = async (
  app,
  { sweeps, requireStaff, seesAcuseCodes },
) => {
  app.get(
    "/api/v1/staff/notificaciones/:id/aviso",
    {
      onRequest: requireStaff,
      schema: {
        tags: ["Notificaciones"],
        summary: "Evidencia del aviso de un acto (personal)",
        description:
          "Destinatario, instante en que el documento quedó a disposición, cada dirección a la que se envió el aviso (y el segundo aviso) con el resultado de cada intento de entrega, la declaración del plazo de tres días con las fechas del motor, y el acuse del aviso (cadena original y sello) cuando ya se selló. De un acto cancelado, en lugar del plazo (`term` null: no corre), la cancelación con su instante, el folio de su acuse y su efecto (`cancellation`). Las direcciones se muestran enmascaradas; el paquete de evidencia las lleva completas.",
        security: [{ apiToken: [] }, { sessionCookie: [] }],
        params: NotificacionParamsSchema,
        response: { 200: AvisoEvidenceSchema, ...problems(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const found = await sweeps.avisoEvidence(request.params.id);
      if (!found) throw new AppError("not_found", "No hay un acto con ese identificador.");
      if (!found.acuse || seesAcuseCodes(request)) return found;
      const { seal: _withheld, ...acuse } = found.acuse;
      return { ...found, acuse };
    },
  );
};
