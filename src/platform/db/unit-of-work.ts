import type { Db } from "./schema.ts";

/**
 * A use case's unit of work (docs/adr/0005-errores-y-unidad-de-trabajo.md): `transaction(work)`
 * hands `work` the stores bound to one database transaction, so a decision and its audit event
 * commit together or not at all. Stores are built from an executor — the database or a
 * transaction of it (Kysely's Transaction is a Kysely) — and never hold one of their own.
 */
export type Transactional<S> = <T>(work: (stores: S) => Promise<T>) => Promise<T>;

/**
 * Binds `bind` (a store factory) to a fresh transaction per call; called on an executor that is
 * already a transaction, it joins it. Joining matters: Kysely has no nested transactions, and
 * PGlite has one connection, so a second transaction begun from inside the first would wait for
 * that connection forever. Inside `work`, every statement must go through the stores it is
 * handed, never through the outer ones, for the same reason.
 */
export function transactional<S>(executor: Db, bind: (executor: Db) => S): Transactional<S> {
  return (work) =>
    executor.isTransaction
      ? work(bind(executor))
      : executor.transaction().execute((tx) => work(bind(tx)));
}
