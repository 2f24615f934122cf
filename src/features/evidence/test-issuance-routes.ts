import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { parseRfc } from "../../domain/identifiers/index.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import type { Clock } from "../../platform/clock.ts";
import { problems } from "../../platform/http/schemas.ts";
import { FolioSchema } from "./schemas.ts";
import type { EvidenceService } from "./service.ts";

export const TestAcuseBodySchema = Type.Object(
  { rfc: Type.String({ maxLength: 20, description: "RFC del titular del buzón." }) },
  { additionalProperties: false },
);

export const TestAcuseSchema = Type.Object(
  {
    folio: FolioSchema,
    leafIndex: Type.Integer({ description: "Posición de la hoja en el registro, desde 0." }),
    verificationCode: Type.String({ description: "Código de verificación del acuse." }),
  },
  { additionalProperties: false },
);

export type TestAcuse = Static<typeof TestAcuseSchema>;

/**
 * POST /api/v1/pruebas/acuses: issues a demonstration acuse (registro de medios de contacto of
 * the RFC given, now) through the same issuance path as every acuse, for load and crash tests
 * of a running server. Registered only when ACUSE_TEST_ROUTE=true, which the configuration
 * refuses in production and with the Institute's real seal: no real acuse comes from here.
 * The 201 is sent after the acuse's batch committed. Each acuse costs a seal and a log leaf:
 * a per-address budget (ACUSE_TEST_RATE_LIMIT a minute) keeps a stray client from filling the
 * log; load and crash harnesses raise it.
 */
export const testIssuanceRoutes: FastifyPluginAsyncTypebox<{
  evidence: EvidenceService;
  clock: Clock;
  calendarVersion(): Promise<string>;
  /** Requests per client address and minute. */
  rateLimit: number;
}> = async (app, { evidence, clock, calendarVersion, rateLimit }) => {
  app.post(
    "/api/v1/pruebas/acuses",
    {
      config: { rateLimit: { max: rateLimit, timeWindow: "1 minute" } },
      schema: {
        tags: ["Pruebas"],
        summary: "Emitir un acuse de demostración (solo pruebas)",
        description:
          "Solo existe con ACUSE_TEST_ROUTE=true (nunca en producción ni con el sello real). Emite un acuse de registro de medios de contacto del RFC, sellado con el sello de desarrollo.",
        body: TestAcuseBodySchema,
        response: { 201: TestAcuseSchema, ...problems(400, 422, 429) },
      },
    },
    async (request, reply) => {
      const now = clock().round({ smallestUnit: "millisecond", roundingMode: "floor" });
      const rfc = parseRfc(request.body.rfc, { context: "form", pointer: "/rfc" }).value;
      const issued = await evidence.issueAcuse({
        kind: "registro_medios_contacto",
        parties: { rfc, actorRfc: rfc, capacity: "titular" },
        eventAt: now,
        countsAt: now,
        rule: "momento_del_evento",
        calendarVersion: await calendarVersion(),
        rulesVersion: RULES_VERSION,
        documents: [],
      });
      const answer: TestAcuse = {
        folio: issued.folio,
        leafIndex: issued.leafIndex,
        verificationCode: verificationCodeOf(issued.seal),
      };
      return reply.code(201).send(answer);
    },
  );
};
