import { sql } from "kysely";
import { AppError } from "../../domain/errors.ts";
import { computeHabilitacion } from "../../domain/plazos/habilitacion.ts";
import { spanishDate, toZonaCentro } from "../../domain/time/zona-centro.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Db } from "../../platform/db/schema.ts";
import { enqueueMany, type OutboxMessage } from "../delivery/outbox.ts";
import { RECORDATORIO_TEMPLATE } from "./templates.ts";

/** Rows enqueued per transaction. */
export const CAMPAIGN_BATCH_ROWS = 5000;

/** A campaign's name goes into every idempotency key: short and plain. */
const CAMPAIGN_NAME = /^[a-z0-9][a-z0-9._-]{0,59}$/;

export interface CampaignProgress {
  /** Particulars not enabled with an e-mail on file, seen so far. */
  recipients: number;
  /** Messages newly written to the outbox. */
  enqueued: number;
  /** Already in the outbox from an earlier run of this campaign: not sent again. */
  alreadyEnqueued: number;
}

export interface CampaignReport extends CampaignProgress {
  campaign: string;
  template: string;
  deadline: string;
  /** Particulars not enabled and without an e-mail on file: nobody to write to. */
  withoutEmail: number;
}

/**
 * Particulars notifiable por estrados (Lineamientos transitorio primero and 7.8; LSS 286-M;
 * CFF 134-III): in the padrón, without a mailbox enabled — neither under the 2020 rules (5.4)
 * nor by signing the Terms. The mailbox's state is read from its projection (`mailboxes`).
 */
export function notEnabled(executor: Db) {
  return executor
    .selectFrom("padron_entries as p")
    .where("p.habilitacion_2020_at", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("mailboxes as m")
            .select(sql`1`.as("one"))
            .whereRef("m.rfc", "=", "p.rfc")
            .where("m.state", "=", "habilitado"),
        ),
      ),
    );
}

export interface EstradosPage {
  total: number;
  items: { rfc: string; name: string; persona: "fisica" | "moral"; emailOnFile: string | null }[];
}

/** One page of the particulars notifiable por estrados, by RFC. */
export async function listNotifiablePorEstrados(
  db: Db,
  page: { after?: string | undefined; limit: number },
): Promise<EstradosPage> {
  const total = await notEnabled(db)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  let query = notEnabled(db)
    .select(["p.rfc", "p.name", "p.persona", "p.email_on_file"])
    .orderBy("p.rfc")
    .limit(page.limit);
  if (page.after) query = query.where("p.rfc", ">", page.after);
  const rows = await query.execute();
  return {
    total: Number(total.n),
    items: rows.map((r) => ({
      rfc: r.rfc,
      name: r.name,
      persona: r.persona,
      emailOnFile: r.email_on_file,
    })),
  };
}

/**
 * The reminder campaign «Cumple con tu obligación de activar el Buzón IMSS» (seed 004): one
 * e-mail to the address on file of each particular not enabled, through the outbox. The key is
 * `padron:recordatorio:<campaign>:<rfc>`, so running a campaign again sends nothing twice and
 * only reaches those added since; a new campaign name is a new round of reminders.
 */
export function createReminderCampaign(deps: { db: Db; clock: Clock; publicUrl: string }) {
  const { db, clock, publicUrl } = deps;
  return async function runCampaign(options: {
    campaign?: string | undefined;
    onProgress?: (progress: CampaignProgress) => void;
  }): Promise<CampaignReport> {
    const campaign =
      options.campaign ?? `recordatorio-${toZonaCentro(clock()).toPlainDate().toString()}`;
    if (!CAMPAIGN_NAME.test(campaign)) {
      throw new AppError(
        "validation",
        `El nombre de campaña «${campaign.slice(0, 60)}» no es válido: use minúsculas sin acento, dígitos, punto, guion o guion bajo (hasta 60 caracteres).`,
        { pointer: "campana" },
      );
    }
    const habilitacion = computeHabilitacion();
    const fechaLimite = spanishDate(Temporal.PlainDate.from(habilitacion.deadline));
    const url = new URL("/", publicUrl).toString();
    const progress: CampaignProgress = { recipients: 0, enqueued: 0, alreadyEnqueued: 0 };
    let after = "";
    for (;;) {
      const done = await db.transaction().execute(async (tx) => {
        const rows = await notEnabled(tx)
          .select(["p.rfc", "p.name", "p.email_on_file"])
          .where("p.email_on_file", "is not", null)
          .where("p.rfc", ">", after)
          .orderBy("p.rfc")
          .limit(CAMPAIGN_BATCH_ROWS)
          .execute();
        if (rows.length === 0) return true;
        const messages: OutboxMessage[] = rows.map((r) => ({
          key: `padron:recordatorio:${campaign}:${r.rfc}`,
          channel: "correo",
          to: r.email_on_file!,
          template: RECORDATORIO_TEMPLATE,
          data: { nombre: r.name, rfc: r.rfc, fechaLimite, url },
          rfc: r.rfc,
        }));
        const enqueued = await enqueueMany(tx, messages, clock());
        progress.recipients += rows.length;
        progress.enqueued += enqueued;
        progress.alreadyEnqueued += rows.length - enqueued;
        after = rows.at(-1)!.rfc;
        return rows.length < CAMPAIGN_BATCH_ROWS;
      });
      options.onProgress?.({ ...progress });
      if (done) break;
    }
    const withoutEmail = await notEnabled(db)
      .where("p.email_on_file", "is", null)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    return {
      campaign,
      template: RECORDATORIO_TEMPLATE,
      deadline: habilitacion.deadline,
      ...progress,
      withoutEmail: Number(withoutEmail.n),
    };
  };
}

export type ReminderCampaign = ReturnType<typeof createReminderCampaign>;
