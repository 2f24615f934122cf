import { randomBytes, randomUUID } from "node:crypto";
import { AppError } from "../../domain/errors.ts";
import { parseRfc } from "../../domain/identifiers/index.ts";
import type { Clock } from "../../platform/clock.ts";
import { sha256 } from "../../platform/crypto/digest.ts";
import type { Db, StaffRole } from "../../platform/db/schema.ts";
import { type ApiTokenRow, createApiTokenStore } from "./api-token-store.ts";
import { contextFields, type RequestContext } from "./service.ts";
import { STAFF_ROLES } from "./staff-service.ts";
import { type AuthEvent, createAuthStore } from "./store.ts";

/** What a token starts with, so a leaked one is recognised (secret scanners, logs, people). */
export const API_TOKEN_PREFIX = "bzn_";
/** `bzn_` and 256 random bits in base64url. */
const TOKEN_SHAPE = /^bzn_[A-Za-z0-9_-]{43}$/;
export const MAX_TOKEN_DAYS = 365;

/** A token as listed: never the token itself, which is shown once, at creation. */
export interface ApiTokenView {
  id: string;
  rfc: string;
  name: string;
  roles: StaffRole[];
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
}

/** Who a valid token speaks for, and with which role. */
export interface TokenIdentity {
  tokenId: string;
  rfc: string;
  role: StaffRole;
}

/**
 * Per-staff API tokens for automation: an administrator creates one for a staff member, scoped
 * to roles and with an expiry; it is shown once and stored as its SHA-256. It acts only while
 * its holder is active staff with one of its roles. Creation, revocation, every use and every
 * refusal go to the authentication log in the same transaction as the change they record.
 */
export function createApiTokenService(options: { db: Db; clock: Clock }) {
  const { db } = options;
  const now = () => new Date(options.clock().epochMilliseconds);
  const tokens = createApiTokenStore(db);
  const events = createAuthStore(db);
  /** One unit of work: the change and its audit event commit together or not at all. */
  const transact = <T>(
    work: (stores: {
      tokens: ReturnType<typeof createApiTokenStore>;
      events: ReturnType<typeof createAuthStore>;
    }) => Promise<T>,
  ) =>
    db
      .transaction()
      .execute((tx) => work({ tokens: createApiTokenStore(tx), events: createAuthStore(tx) }));

  const event = (
    outcome: AuthEvent["outcome"],
    reason: string,
    fields: { rfc?: string | null; ctx?: RequestContext | undefined; detail?: object },
  ): AuthEvent => ({
    at: now(),
    event: "token_api",
    outcome,
    reason,
    rfc: fields.rfc ?? null,
    ...(fields.ctx ? contextFields(fields.ctx) : {}),
    detail: { ...fields.detail },
  });

  const refuse = async (
    reason: string,
    ctx: RequestContext,
    row?: ApiTokenRow,
    error: AppError = new AppError("unauthorized", "El token de API no es válido."),
    /** The log's store: a transaction's, when the refusal is decided inside one. */
    log: Pick<ReturnType<typeof createAuthStore>, "recordEvent"> = events,
  ): Promise<never> => {
    await log.recordEvent(
      event("rechazado", reason, {
        rfc: row?.staff_rfc,
        ctx,
        detail: row ? { tokenId: row.id } : {},
      }),
    );
    throw error;
  };

  /** The role a token's holder acts with on a route open to `roles`, or the logged refusal. */
  const holderRole = async (
    row: ApiTokenRow,
    roles: readonly StaffRole[],
    ctx: RequestContext,
    /** Inside a transaction: its store, the holder's row read FOR SHARE, refusals logged in it. */
    within: { store: ReturnType<typeof createAuthStore>; share: boolean } = {
      store: events,
      share: false,
    },
  ): Promise<StaffRole> => {
    const log = within.store;
    const unauthorized = new AppError("unauthorized", "El token de API no es válido.");
    if (row.revoked_at) return refuse("token_revocado", ctx, row, unauthorized, log);
    if (row.expires_at <= now()) return refuse("token_vencido", ctx, row, unauthorized, log);
    // The token never outranks its holder: a removed person's or a changed role's token stops.
    const staff = await within.store.staffMember(row.staff_rfc, { share: within.share });
    if (!staff || !row.roles.includes(staff.role)) {
      return refuse("titular_sin_rol", ctx, row, unauthorized, log);
    }
    if (!roles.includes(staff.role)) {
      return refuse(
        `rol_insuficiente:${roles.join("|")}`,
        ctx,
        row,
        new AppError(
          "forbidden",
          `Esta función es solo para personal del Instituto con rol ${roles.join(" o ")}.`,
        ),
        log,
      );
    }
    return staff.role;
  };

  return {
    async create(
      input: { rfc: string; name: string; roles: string[]; days: number },
      actor: string,
      ctx?: RequestContext,
    ): Promise<{ token: string; view: ApiTokenView }> {
      const rfc = parseRfc(input.rfc, { context: "form", pointer: "/rfc" }).value;
      const name = input.name.trim();
      if (name.length === 0 || name.length > 100) {
        throw new AppError("validation", "El nombre del token debe tener de 1 a 100 caracteres.");
      }
      const roles = [...new Set(input.roles)];
      const unknown = roles.filter((r) => !STAFF_ROLES.includes(r as StaffRole));
      if (roles.length === 0 || unknown.length > 0) {
        throw new AppError(
          "validation",
          `Roles del token: uno o más de ${STAFF_ROLES.join(", ")}${unknown.length ? ` (desconocido: ${unknown.join(", ")})` : ""}.`,
        );
      }
      if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_TOKEN_DAYS) {
        throw new AppError(
          "validation",
          `La vigencia del token es de 1 a ${MAX_TOKEN_DAYS} días (recibido ${input.days}).`,
        );
      }
      const staff = await events.staffMember(rfc);
      if (!staff) {
        throw new AppError("not_found", `${rfc} no forma parte del personal activo.`);
      }
      const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
      const at = now();
      const row: ApiTokenRow = {
        id: randomUUID(),
        token_hash: sha256(token),
        staff_rfc: rfc,
        name,
        roles: roles as StaffRole[],
        created_at: at,
        created_by: actor,
        expires_at: new Date(at.getTime() + input.days * 86_400_000),
        revoked_at: null,
        revoked_by: null,
        last_used_at: null,
      };
      await transact(async (tx) => {
        await tx.tokens.insert(row);
        await tx.events.recordEvent(
          event("aceptado", "token_creado", {
            rfc,
            ctx,
            detail: { tokenId: row.id, name, roles, expiresAt: row.expires_at, by: actor },
          }),
        );
      });
      return { token, view: viewOf(row) };
    },

    async list(rfc?: string): Promise<ApiTokenView[]> {
      const staffRfc = rfc ? parseRfc(rfc, { context: "form", pointer: "/rfc" }).value : undefined;
      return (await tokens.list(staffRfc)).map(viewOf);
    },

    async revoke(id: string, actor: string, ctx?: RequestContext): Promise<ApiTokenView> {
      const missing = new AppError("not_found", "No existe un token vigente con ese id.");
      return transact(async (tx) => {
        // Locked first, its instant read after: a chunk of a lote that holds the row (FOR
        // SHARE, `recheck` within its transaction) commits before, and its acts' instants
        // come before this revocation's.
        const row = /^[0-9a-f-]{36}$/i.test(id) ? await tx.tokens.lockById(id) : undefined;
        const at = now();
        if (!row || !(await tx.tokens.revoke(id, at, actor))) throw missing;
        await tx.events.recordEvent(
          event("aceptado", "token_revocado", {
            rfc: row.staff_rfc,
            ctx,
            detail: { tokenId: id, by: actor },
          }),
        );
        return viewOf({ ...row, revoked_at: at, revoked_by: actor });
      });
    },

    /**
     * The identity an `Authorization: Bearer` header proves for a route open to `roles`, or a
     * refusal (401, or 403 for a valid token without the role), each logged with its reason.
     */
    async authenticate(
      header: string,
      roles: readonly StaffRole[],
      ctx: RequestContext,
      /** Counts a use of the valid token; the seconds to wait when it is past its limit. */
      countUse?: (tokenId: string) => Promise<number | undefined>,
    ): Promise<TokenIdentity> {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (!token || !TOKEN_SHAPE.test(token)) return refuse("token_malformado", ctx);
      const row = await tokens.byHash(sha256(token));
      if (!row) return refuse("token_desconocido", ctx);
      const role = await holderRole(row, roles, ctx);
      const at = now();
      const wait = await countUse?.(row.id);
      if (wait !== undefined) {
        return refuse(
          "token_limite_de_usos",
          ctx,
          row,
          new AppError(
            "rate_limited",
            `Este token de API hizo demasiadas solicitudes. Espera ${wait} segundos y vuelve a intentarlo.`,
          ),
        );
      }
      await transact(async (tx) => {
        await tx.tokens.touch(row.id, at);
        await tx.events.recordEvent(
          event("aceptado", "token_usado", {
            rfc: row.staff_rfc,
            ctx,
            detail: { tokenId: row.id, role },
          }),
        );
      });
      return { tokenId: row.id, rfc: row.staff_rfc, role };
    },

    /**
     * The token a request proved, judged again while the request still works in its name (a
     * lote's next chunk): the same checks as `authenticate` (revoked, expired, holder without
     * the role, role not allowed here), each refusal logged the same way; a pass is neither
     * counted as a use nor logged, since it is the same request.
     *
     * `within`: the transaction that acts in the token's name (a chunk's deposit). The token's
     * and its holder's rows are read in it FOR SHARE, so a revocation, a baja or a role change
     * committed first is seen here, and one issued later waits for this transaction: nothing
     * commits in the token's name after its revocation. A refusal is logged in it (it commits
     * with the transaction, which then writes nothing else).
     */
    async recheck(
      tokenId: string,
      roles: readonly StaffRole[],
      ctx: RequestContext,
      within?: Db,
    ): Promise<TokenIdentity> {
      const store = within ? createAuthStore(within) : events;
      const row = await (within ? createApiTokenStore(within) : tokens).byId(tokenId, {
        share: within !== undefined,
      });
      if (!row) return refuse("token_desconocido", ctx, undefined, undefined, store);
      const role = await holderRole(row, roles, ctx, { store, share: within !== undefined });
      return { tokenId: row.id, rfc: row.staff_rfc, role };
    },

    /** Logs a refusal decided before the token was looked at (the failure limit). */
    async recordRefusal(reason: string, ctx: RequestContext): Promise<void> {
      await events.recordEvent(event("rechazado", reason, { ctx }));
    },
  };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;

function viewOf(row: ApiTokenRow): ApiTokenView {
  return {
    id: row.id,
    rfc: row.staff_rfc,
    name: row.name,
    roles: row.roles,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
