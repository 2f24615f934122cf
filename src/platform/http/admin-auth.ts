import type { FastifyRequest } from "fastify";
import { sameDigest, sha256 } from "../crypto/digest.ts";
import { AppError } from "./errors.ts";

/**
 * Interim guard for administrative endpoints: a configured bearer token, compared in constant
 * time. Issue 3 replaces it with staff signed in by e.firma and their roles.
 */
export function adminGuard(token: string | undefined) {
  const expected = token ? sha256(token) : undefined;
  return async (request: FastifyRequest): Promise<void> => {
    if (!expected) {
      throw new AppError(
        "admin_disabled",
        "La administración por API no está habilitada en este servidor (falta BUZON_ADMIN_TOKEN).",
      );
    }
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1] || !sameDigest(sha256(match[1]), expected)) {
      throw new AppError("unauthorized", "Se requiere una credencial de administrador válida.");
    }
  };
}

/** The name recorded as author of an administrative change; never the token itself. */
export const ADMIN_ACTOR = "administrador (token de API)";
