import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { sql } from "kysely";
import { internalError } from "../../domain/errors.ts";
import { type Acuse, cadenaOriginal } from "../../domain/evidence/acuse.ts";
import {
  DEFAULT_FOLIO_PREFIX,
  formatFolio,
  nextFolio,
  parseFolio,
} from "../../domain/evidence/folio.ts";
import { frontierOf, leafHash, nodesCompletedBy } from "../../domain/evidence/merkle.ts";
import type { Clock } from "../../platform/clock.ts";
import { type InstituteSeal, sealText } from "../../platform/crypto/seal.ts";
import type { Db } from "../../platform/db/schema.ts";
import { type AcuseInput, type IssuedAcuse, toIssued } from "./issued.ts";
import type { SealRegistry } from "./seal-registry.ts";
import type { AcuseRow, EvidenceStore, StoredAcuseRow } from "./store.ts";

/**
 * An acuse sealed but not yet written: what `record` sees. Its leaf index is assigned only
 * after every `record` of the batch has run, since a refused one takes no leaf.
 */
export interface SealedAcuse extends Acuse {
  cadenaOriginal: string;
  /** Base64 RSA-SHA256 over the UTF-8 cadena original. */
  seal: string;
  sealCertificateNumber: string;
}

export interface IssueOptions {
  /**
   * The use case's own writes (the decision, its event, its outbox messages), run inside the
   * acuse's batch transaction, in a savepoint of their own, after the acuse is sealed and
   * before it is written: the decision and its acuse commit together or not at all. If it
   * throws, this acuse is not issued and `issue` rejects with that error; the rest of the batch
   * goes on. It rejects only once the batch's transaction has ended, so a caller that reads
   * after the refusal sees what the rest of the batch wrote (a decision already taken by an
   * acuse of the same batch, committed). It runs while the log lock is held: database work on
   * `tx` only — no network, and never `issue` again (it would wait for its own batch).
   */
  record?(tx: Db, sealed: SealedAcuse): Promise<void>;
  /**
   * A text the Institute wrote and the acuse seals as one of its documents (the means'
   * statement, ADR 0012): kept verbatim beside the acuse, in its transaction. The input must
   * name a document with this name whose SHA-256 and size are the text's UTF-8 bytes', or the
   * acuse is refused before sealing.
   */
  statement?: AcuseStatement;
}

/** One acuse of a group (see {@link GroupOptions}): its input and the statement it keeps. */
export interface GroupMember {
  input: AcuseInput;
  statement?: AcuseStatement | undefined;
}

/** An acuse given its folio and cadena original, not yet sealed: what a group's `record` sees. */
export interface NumberedAcuse extends Acuse {
  cadenaOriginal: string;
}

export interface GroupOptions<M extends GroupMember = GroupMember> {
  /**
   * The use case's writes for many acuses at once (a job deciding a batch of acts in a few
   * statements instead of a few per act): run once per issuance batch with the group's members
   * in it, in order, inside the batch's transaction and a savepoint of its own, after their
   * folios are assigned and before they are sealed. Answers, member by member, `undefined` to
   * issue it or the error that refuses it: a refused member is not sealed, takes no leaf and its
   * promise rejects with that error, so `record` must write nothing for it. If `record` throws,
   * its writes are undone and every member it was given is refused with that error; the rest of
   * the batch goes on. The log lock is held: database work on `tx` only.
   */
  record(
    tx: Db,
    members: readonly { member: M; acuse: NumberedAcuse }[],
  ): Promise<readonly (Error | undefined)[]>;
}

/** The exact text of a document an acuse seals, as kept (table acuse_statements). */
export interface AcuseStatement {
  name: string;
  text: string;
}

/** Whether the acuse's documents name this statement with its exact hash and size. */
function sealsStatement(acuse: Acuse, statement: AcuseStatement): boolean {
  const bytes = Buffer.from(statement.text, "utf8");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return acuse.documents.some(
    (d) =>
      d.name === statement.name && d.sha256.toLowerCase() === sha256 && d.bytes === bytes.length,
  );
}

interface Pending {
  input: AcuseInput;
  options: IssueOptions;
  group?: { options: GroupOptions; member: GroupMember } | undefined;
  resolve(issued: IssuedAcuse): void;
  reject(error: unknown): void;
}

/** An item refused inside the batch, told once the batch's transaction has ended. */
interface Refusal {
  item: Pending;
  error: unknown;
}

interface Prepared {
  item: Pending;
  acuse: Acuse;
  cadena: string;
}

const DEFAULT_MAX_BATCH = 256;

/**
 * Issuance in batches: callers queue acuses; one drain at a time seals and writes up to
 * `maxBatch` of them per transaction, and `onIssued` hears of each committed batch.
 */
export function createIssuanceQueue(options: {
  store: EvidenceStore;
  seal: InstituteSeal;
  sealRegistry: SealRegistry;
  clock: Clock;
  maxBatch?: number | undefined;
  onIssued(rows: readonly StoredAcuseRow[]): void;
}) {
  const { store, seal, clock } = options;
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const queue: Pending[] = [];
  let draining: Promise<void> | undefined;

  /**
   * Seals and writes a batch in one transaction under the log lock: folios are the clock's
   * millisecond or one after the last issued by any process (unique, strictly increasing), the
   * seals are computed in parallel on libuv's threads, and acuses, leaves and completed nodes go
   * in three statements. An acuse that fails validation, or that its `record` refuses, is
   * refused alone, and told so once the transaction has ended: its caller may then read what
   * the rest of the batch decided (two acuses of one batch racing for one decision: the second
   * is refused and finds the first's, committed).
   */
  async function issueBatch(batch: Pending[]): Promise<void> {
    let kept: (Prepared & { seal: string })[] = [];
    const refusals: Refusal[] = [];
    const refuse = (item: Pending, error: unknown) => refusals.push({ item, error });
    let rows: StoredAcuseRow[];
    try {
      rows = await store.withLogLock(async (tx) => {
        await options.sealRegistry.registerCurrent(tx);
        const head = await store.head(tx);
        const frontier = frontierOf(head.size);
        const frontierNodes = await store.nodes(frontier, tx);
        const frontierHashes = frontier.map((c) => {
          const found = frontierNodes.find((n) => n.level === c.level && n.index === c.index);
          if (!found) throw internalError(`Falta el nodo ${c.level}/${c.index} del registro.`);
          return found.hash;
        });
        let last: { instant: Temporal.Instant; sequence: number } | undefined =
          head.lastFolio === undefined ? undefined : parseFolio(head.lastFolio);
        const now = clock();
        const prepared: Prepared[] = [];
        kept = [];
        for (const item of batch) {
          const next = nextFolio(last, now);
          const acuse: Acuse = {
            ...item.input,
            folio: formatFolio(next.instant, DEFAULT_FOLIO_PREFIX, next.sequence),
          };
          try {
            const { statement } = item.options;
            if (statement && !sealsStatement(acuse, statement)) {
              throw internalError(
                `El acuse no sella el texto «${statement.name}» que se pidió conservar con él.`,
              );
            }
            prepared.push({ item, acuse, cadena: cadenaOriginal(acuse) });
            last = next;
          } catch (error) {
            refuse(item, error);
          }
        }
        const decided = await groupsRecorded(tx, prepared, refuse);
        if (decided.length === 0) return [];
        const seals = await Promise.all(decided.map((p) => sealText(seal, p.cadena)));
        for (const [i, p] of decided.entries()) {
          const sealed = seals[i]!;
          if (await recorded(tx, p, sealed, refuse)) kept.push({ ...p, seal: sealed });
        }
        if (kept.length === 0) return [];
        const leaves = kept.map((p) => leafHash(Buffer.from(p.cadena, "utf8")));
        const acuses: AcuseRow[] = kept.map(({ acuse, cadena, seal: sealed }, i) => ({
          folio: acuse.folio,
          kind: acuse.kind,
          rfc: acuse.parties.rfc,
          actorRfc: acuse.parties.actorRfc,
          capacity: acuse.parties.capacity,
          eventAt: new Date(acuse.eventAt.epochMilliseconds),
          countsAt: new Date(acuse.countsAt.epochMilliseconds),
          rule: acuse.rule,
          calendarVersion: acuse.calendarVersion,
          rulesVersion: acuse.rulesVersion,
          documents: acuse.documents,
          habilitacion: acuse.habilitacion ?? null,
          cadenaOriginal: cadena,
          seal: sealed,
          sealCertificateNumber: seal.certificateNumber,
          leafIndex: head.size + i,
        }));
        const nodes = nodesCompletedBy(head.size, frontierHashes, leaves);
        const appended = await store.appendBatch(acuses, leaves, nodes, tx);
        await store.appendStatements(
          kept.flatMap(({ acuse, item }) =>
            item.options.statement ? [{ folio: acuse.folio, ...item.options.statement }] : [],
          ),
          tx,
        );
        return appended;
      });
    } catch (error) {
      // Nothing of the batch was written. Items refused earlier (by validation or by their
      // `record`) get their own refusal, and a promise settles once: the rest get this error.
      for (const { item, error: refusal } of refusals) item.reject(refusal);
      for (const item of batch) item.reject(error);
      return;
    }
    for (const { item, error } of refusals) item.reject(error);
    options.sealRegistry.committed();
    kept.forEach((p, i) => {
      p.item.resolve(toIssued(rows[i]!));
    });
    options.onIssued(rows);
  }

  /**
   * Runs each group's `record` once for its members in the batch (in a savepoint: if it throws,
   * its writes are undone and those members are refused), and answers the batch's items still
   * to seal, in order: those of no group and the members their group kept.
   */
  async function groupsRecorded(
    tx: Db,
    prepared: Prepared[],
    refuse: (item: Pending, error: unknown) => void,
  ): Promise<Prepared[]> {
    const groups = new Map<GroupOptions, Prepared[]>();
    for (const p of prepared) {
      const group = p.item.group?.options;
      if (!group) continue;
      const members = groups.get(group);
      if (members) members.push(p);
      else groups.set(group, [p]);
    }
    if (groups.size === 0) return prepared;
    const refused = new Set<Prepared>();
    for (const [group, members] of groups) {
      await sql`savepoint acuse_group`.execute(tx);
      let verdicts: readonly (Error | undefined)[];
      try {
        verdicts = await group.record(
          tx,
          members.map((p) => ({
            member: p.item.group!.member,
            acuse: { ...p.acuse, cadenaOriginal: p.cadena },
          })),
        );
        if (verdicts.length !== members.length) {
          throw internalError(
            `El registro del grupo respondió ${verdicts.length} veces por ${members.length} acuses.`,
          );
        }
      } catch (error) {
        await sql`rollback to savepoint acuse_group`.execute(tx);
        for (const p of members) {
          refuse(p.item, error);
          refused.add(p);
        }
        continue;
      }
      await sql`release savepoint acuse_group`.execute(tx);
      members.forEach((p, i) => {
        const verdict = verdicts[i];
        if (verdict === undefined) return;
        refuse(p.item, verdict);
        refused.add(p);
      });
    }
    return prepared.filter((p) => !refused.has(p));
  }

  /**
   * Runs the item's `record` in a savepoint: if it throws, its writes are undone and the item
   * is refused with that error, the batch goes on. Without `record` the item is simply kept.
   */
  async function recorded(
    tx: Db,
    p: Prepared,
    sealed: string,
    refuse: (item: Pending, error: unknown) => void,
  ): Promise<boolean> {
    const { record } = p.item.options;
    if (!record) return true;
    await sql`savepoint acuse_record`.execute(tx);
    try {
      await record(tx, {
        ...p.acuse,
        cadenaOriginal: p.cadena,
        seal: sealed,
        sealCertificateNumber: seal.certificateNumber,
      });
    } catch (error) {
      await sql`rollback to savepoint acuse_record`.execute(tx);
      refuse(p.item, error);
      return false;
    }
    await sql`release savepoint acuse_record`.execute(tx);
    return true;
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          await issueBatch(batch);
        } catch (error) {
          // issueBatch answers its callers itself; this only keeps the queue alive.
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      draining = undefined;
    }
  }

  return {
    /**
     * Queues an acuse for the next batch; the promise settles when its batch is committed, with
     * the sealed acuse, or with the error that refused it (nothing of it is written then).
     */
    issue(input: AcuseInput, issueOptions: IssueOptions = {}): Promise<IssuedAcuse> {
      return new Promise<IssuedAcuse>((resolve, reject) => {
        queue.push({ input, options: issueOptions, resolve, reject });
        draining ??= drain();
      });
    },

    /**
     * Queues the members of a group together, decided by one `record` (see GroupOptions): one
     * promise per member, each settling as `issue`'s does.
     */
    issueGroup<M extends GroupMember>(
      members: readonly M[],
      group: GroupOptions<M>,
    ): Promise<IssuedAcuse>[] {
      const promises = members.map(
        (member) =>
          new Promise<IssuedAcuse>((resolve, reject) => {
            queue.push({
              input: member.input,
              options: member.statement ? { statement: member.statement } : {},
              group: { options: group as GroupOptions, member },
              resolve,
              reject,
            });
          }),
      );
      if (members.length > 0) draining ??= drain();
      return promises;
    },

    /** Whether a drain is running. */
    busy(): boolean {
      return draining !== undefined;
    },

    /** Waits for the drain in progress. */
    async settle(): Promise<void> {
      await draining;
    },
  };
}
