/**
 * Wire types of delivery administration and the demo's routes, the one source for the routes
 * and the web app (`Static<>`). Vite reads this file: no node-only imports.
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoInstant } from "../../platform/http/schemas.ts";

const Channel = Type.Union([Type.Literal("correo"), Type.Literal("sms")]);

export const DeliveryQuerySchema = Type.Object(
  {
    estado: Type.Union(
      [Type.Literal("fallida"), Type.Literal("pendiente"), Type.Literal("enviada")],
      { default: "fallida", description: "Estado de los mensajes; por omisión, los fallidos." },
    ),
    limite: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const DeliveryListSchema = Type.Object(
  {
    entregas: Type.Array(
      Type.Object(
        {
          key: Type.String({ description: "Clave de idempotencia (el evento que lo causó)." }),
          channel: Channel,
          to: Type.String(),
          template: Type.String(),
          rfc: Type.Union([Type.String(), Type.Null()]),
          status: Type.Union([
            Type.Literal("pendiente"),
            Type.Literal("enviada"),
            Type.Literal("fallida"),
          ]),
          attempts: Type.Integer(),
          lastResponse: Type.Union([Type.String(), Type.Null()], {
            description: "Última respuesta del servidor SMTP o estado HTTP de la pasarela SMS.",
          }),
          createdAt: IsoInstant("Cuándo se encoló."),
          finishedAt: Type.Union([IsoInstant("Resultado final."), Type.Null()]),
          nextAttemptAt: Type.Union([IsoInstant("Próximo intento."), Type.Null()]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type DeliveryList = Static<typeof DeliveryListSchema>;

export const DevMessagesQuerySchema = Type.Object(
  { para: Type.String({ minLength: 1, maxLength: 320, description: "Correo o celular (+52…)." }) },
  { additionalProperties: false },
);

export const DevMessagesSchema = Type.Array(
  Type.Object(
    {
      channel: Channel,
      to: Type.String(),
      subject: Type.String(),
      text: Type.String(),
      sentAt: IsoInstant("Cuándo lo recibió el servidor de la demostración."),
    },
    { additionalProperties: false },
  ),
);
export type DevMessages = Static<typeof DevMessagesSchema>;

export const DemoClockSchema = Type.Object(
  {
    now: IsoInstant("La hora del sistema (reloj de demostración)."),
    moved: Type.Boolean({ description: "Verdadero si el reloj va adelantado a la hora real." }),
    offsetSeconds: Type.Integer({ minimum: 0, description: "Segundos de adelanto." }),
  },
  { additionalProperties: false },
);
export type DemoClockState = Static<typeof DemoClockSchema>;

/**
 * What anyone may know of the demo clock (the banner on every page): whether it runs ahead and
 * what it marks. How far it was moved, and moving it, stay with the administrator.
 */
export const DemoClockNoticeSchema = Type.Object(
  {
    moved: Type.Boolean({ description: "Verdadero si el reloj va adelantado a la hora real." }),
    now: IsoInstant("La hora del sistema (reloj de demostración)."),
  },
  { additionalProperties: false },
);
export type DemoClockNotice = Static<typeof DemoClockNoticeSchema>;

export const MoveClockBodySchema = Type.Object(
  { at: IsoInstant("Instante al que se adelanta el reloj (ISO 8601 con zona).") },
  { additionalProperties: false },
);
