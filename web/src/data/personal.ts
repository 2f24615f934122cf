import type { ActionFunctionArgs, LoaderFunctionArgs } from "react-router";
import { redirect } from "react-router";
import { createKindSniffer, sniffKind } from "../../../src/domain/promociones/catalogo.ts";
import { EVIDENCE_READERS } from "../../../src/features/notificaciones/schemas.ts";
import { clientProblem, isUnauthenticated, problemOf } from "../api/client.ts";
import { notificacionesApi } from "../api/notificaciones.ts";
import { currentSession } from "../api/session.ts";
import { normalizeRfc, type OpenedEfirma, RFC_SHAPE } from "../api/signIn.ts";
import type {
  ActType,
  AcuseRef,
  AvisoEvidence,
  CurrentSession,
  Deposited,
  NotificacionState,
  ProblemDetails,
  StaffNotificacion,
  StaffNotificacionDetail,
} from "../api/types.ts";
import { bytesToBase64 } from "../efirma/bytes.ts";
import { type FieldErrors, textOf } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";
import { sessionEnded, signedInSession, signInPath } from "./auth.ts";
import { actTypes } from "./notificaciones.ts";

/**
 * The Institute's side of electronic notifications (issue 11 §1, §5): compose acts, sign each
 * PDF with the servant's e.firma in this tab (detached CMS; the key never leaves it), deposit
 * them one by one with an idempotency key each, follow their state and cancel them.
 */

const t = es.personal;

/** The staff area's frame: who is signed in, and whether they are staff at all. */
export type StaffData = { session: CurrentSession; allowed: boolean };

export async function staffLoader(): Promise<StaffData> {
  const session = await currentSession();
  if (!session.autenticado) throw redirect(signInPath("sessionEnded"));
  return { session, allowed: session.staffRole !== null };
}

export const STAFF_STATES = [
  "pendiente",
  "depositada",
  "notificada",
  "cancelada",
  "estrados",
] as const satisfies readonly NotificacionState[];

export const STATE_FIELD = "estado";

export type StaffListData =
  | {
      status: "loaded";
      items: StaffNotificacion[];
      estado: NotificacionState | undefined;
      types: ActType[];
    }
  | { status: "refused"; problem: ProblemDetails; estado: NotificacionState | undefined };

/** /personal/notificaciones — the acts deposited, in one state or all (`?estado=`). */
export async function staffListLoader({ request }: LoaderFunctionArgs): Promise<StaffListData> {
  await signedInSession();
  const asked = new URL(request.url).searchParams.get(STATE_FIELD);
  const estado = STAFF_STATES.find((s) => s === asked);
  try {
    const [{ items }, types] = await Promise.all([
      notificacionesApi.personal(estado, request.signal),
      actTypes(request.signal),
    ]);
    const sorted = [...items].sort((a, b) => b.depositedAt.localeCompare(a.depositedAt));
    return { status: "loaded", items: sorted, estado, types };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error), estado };
  }
}

/** Whether this servant may cancel the act: before it is notified, and their own unless administrador. */
export function cancellable(
  act: Pick<StaffNotificacion, "state" | "depositedBy" | "signerRfc">,
  session: CurrentSession | undefined,
): boolean {
  if (act.state !== "depositada" && act.state !== "pendiente") return false;
  // The server's rule (cancelacion.ts): its depositor, its signer, or an administrador.
  if (!session) return false;
  return (
    session.staffRole === "administrador" ||
    act.depositedBy === session.rfc ||
    act.signerRfc === session.rfc
  );
}

export const CANCEL_FIELDS = { id: "id", motivo: "motivo" } as const;
/** A motive says why in a sentence; the cancellation's acuse carries it. */
export const MIN_MOTIVO = 10;
export const MAX_MOTIVO = 1000;

export type CancelAnswer =
  | { status: "invalid"; errors: FieldErrors }
  | { status: "refused"; problem: ProblemDetails }
  | { status: "cancelled"; id: string; acuse: AcuseRef };

export function validateMotivo(motivo: string): string | undefined {
  const text = motivo.trim();
  if (text === "") return t.cancel.errors.motivoMissing;
  if (text.length < MIN_MOTIVO) return t.cancel.errors.motivoShort(MIN_MOTIVO);
  if (text.length > MAX_MOTIVO) return t.cancel.errors.motivoLong(MAX_MOTIVO);
  return undefined;
}

/** «Cancelar»: the motive is checked here and again by the server. */
export async function cancelAction({ request }: ActionFunctionArgs): Promise<CancelAnswer> {
  const form = await request.formData();
  const id = textOf(form, CANCEL_FIELDS.id);
  const motivo = textOf(form, CANCEL_FIELDS.motivo);
  const error = validateMotivo(motivo);
  if (error) return { status: "invalid", errors: { [CANCEL_FIELDS.motivo]: error } };
  const session = await signedInSession();
  try {
    const cancelled = await notificacionesApi.cancelar(id, motivo.trim(), session.csrfToken);
    return { status: "cancelled", id, acuse: cancelled.acuse };
  } catch (caught) {
    if (isUnauthenticated(caught)) throw sessionEnded();
    return { status: "refused", problem: problemOf(caught) };
  }
}

export type StaffActData =
  | {
      status: "loaded";
      aviso: AvisoEvidence;
      act: StaffNotificacionDetail;
      /** Whether the session's role receives the evidence package (EVIDENCE_READERS). */
      evidenceReader: boolean;
    }
  | { status: "refused"; problem: ProblemDetails };

/**
 * /personal/notificaciones/:id — the act's state and whole timeline with each acuse, and its
 * aviso as evidence: addresses, attempts, acuse.
 */
export async function staffActLoader({
  request,
  params,
}: LoaderFunctionArgs): Promise<StaffActData> {
  const session = await signedInSession();
  try {
    const id = params.id ?? "";
    const [aviso, act] = await Promise.all([
      notificacionesApi.aviso(id, request.signal),
      notificacionesApi.seguimiento(id, request.signal),
    ]);
    const role = session.staffRole;
    return {
      status: "loaded",
      aviso,
      act,
      evidenceReader: role !== null && EVIDENCE_READERS.includes(role),
    };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

export type DepositData = { types: ActType[] };

/** /personal/notificaciones/nueva — the catalogue for the act type's choice. */
export async function depositLoader({ request }: LoaderFunctionArgs): Promise<DepositData> {
  await signedInSession();
  return { types: await actTypes(request.signal) };
}

/* ---- Composing acts ---- */

/** The largest PDF an act may carry (the server's NOTIFICACION_MAX_BYTES by default). */
export const MAX_PDF_BYTES = 20 * 1024 * 1024;

/** The act's fields, as the deposit names them. */
export interface ActFields {
  rfc: string;
  registroPatronal: string;
  actType: string;
  oficio: string;
  issuingUnit: string;
}

export const ACT_FIELDS = {
  rfc: "rfc",
  registroPatronal: "registro-patronal",
  actType: "tipo-acto",
  oficio: "oficio",
  issuingUnit: "unidad-emisora",
  document: "documento",
} as const;

const REGISTRO_PATRONAL = /^[A-Z]\d{10}$/;

/** The act's fields checked, every error at once, by input id. */
export function validateAct(
  fields: ActFields,
  types: ActType[],
  file: File | undefined,
  ids: Record<keyof typeof ACT_FIELDS, string> = ACT_FIELDS,
): FieldErrors {
  const errors: FieldErrors = {};
  const e = t.compose.errors;
  const rfc = normalizeRfc(fields.rfc);
  if (rfc === "") errors[ids.rfc] = e.rfcMissing;
  else if (!RFC_SHAPE.test(rfc)) errors[ids.rfc] = e.rfcInvalid;
  const registro = fields.registroPatronal.trim().toUpperCase();
  if (registro !== "" && !REGISTRO_PATRONAL.test(registro)) {
    errors[ids.registroPatronal] = e.registroInvalid;
  }
  if (fields.actType === "") errors[ids.actType] = e.actTypeMissing;
  else if (types.length > 0 && !types.some((type) => type.id === fields.actType)) {
    errors[ids.actType] = e.actTypeUnknown(fields.actType);
  }
  if (fields.oficio.trim() === "") errors[ids.oficio] = e.oficioMissing;
  if (fields.issuingUnit.trim() === "") errors[ids.issuingUnit] = e.issuingUnitMissing;
  const fileError = file ? pdfFileError(file) : e.documentMissing;
  if (fileError) errors[ids.document] = fileError;
  return errors;
}

/** What is wrong with a chosen PDF before reading it: its name and size. */
export function pdfFileError(file: File): string | undefined {
  const e = t.compose.errors;
  if (!/\.pdf$/i.test(file.name)) return e.notPdf(file.name);
  if (file.size === 0) return e.emptyPdf(file.name);
  if (file.size > MAX_PDF_BYTES) return e.pdfTooLarge(file.name);
  return undefined;
}

/** One act to sign and deposit; its idempotency key is made once and kept for every retry. */
export interface ActItem {
  key: string;
  fields: ActFields;
  file: File;
  result?: ItemResult;
}

export type ItemResult =
  | { status: "deposited"; deposited: Deposited }
  /** `retryable`: a transient failure; else the act is refused as it is and is not tried again. */
  | { status: "refused"; problem: ProblemDetails; retryable: boolean };

/** Whether the act still goes to «Firmar y depositar»: not tried, or failed for a while only. */
export function toBeSigned(item: ActItem): boolean {
  return item.result === undefined || (item.result.status === "refused" && item.result.retryable);
}

/**
 * The «Firmar y depositar» button's text: how many acts it signs, or a retry's; once every act
 * on the list was deposited or refused for good, that none is left (not «0 actos»).
 */
export function signButtonLabel(items: readonly ActItem[]): string {
  const toSign = items.filter(toBeSigned);
  if (toSign.some((item) => item.result?.status === "refused")) {
    return t.sign.retry(toSign.length);
  }
  if (items.length > 0 && toSign.length === 0) return t.sign.noneLeft;
  return t.sign.submit(toSign.length);
}

function refused(problem: ProblemDetails): ItemResult {
  return { status: "refused", problem, retryable: retryable(problem) };
}

export function newItem(fields: ActFields, file: File): ActItem {
  return {
    key: crypto.randomUUID(),
    fields: {
      ...fields,
      rfc: normalizeRfc(fields.rfc),
      registroPatronal: fields.registroPatronal.trim().toUpperCase(),
      oficio: fields.oficio.trim(),
      issuingUnit: fields.issuingUnit.trim(),
    },
    file,
  };
}

/* ---- The batch: a CSV of fields and its PDFs ---- */

/** The CSV's columns (Spanish names; the deposit's own names are accepted too). */
export const CSV_COLUMNS = {
  rfc: ["rfc"],
  registroPatronal: ["registro_patronal", "registropatronal", "registro patronal"],
  actType: ["tipo", "tipo_acto", "acttype"],
  oficio: ["oficio"],
  issuingUnit: ["unidad_emisora", "issuingunit", "unidad emisora"],
  document: ["documento", "archivo", "documentname"],
} as const;

/** RFC 4180 CSV, comma or semicolon separated (the first line decides), quotes doubled. */
export function parseCsv(text: string): string[][] {
  const clean = text.replace(/^\uFEFF/, "");
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? "";
  const separator = firstLine.split(";").length > firstLine.split(",").length ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < clean.length; i++) {
    const char = clean[i];
    if (quoted) {
      if (char === '"' && clean[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      row.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && clean[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ""));
}

export interface CsvReading {
  items: ActItem[];
  /** Each refused line: its number in the file and every reason, in Spanish. */
  refused: { line: number; reasons: string[] }[];
  /** PDFs chosen that no line names. */
  unused: string[];
}

/**
 * A batch from a CSV (one act per line, naming its PDF in «documento») and the chosen PDFs,
 * matched by file name. Every line is checked; the good ones become items.
 */
export function readBatch(
  csv: string,
  files: File[],
  types: ActType[],
  /** PDFs whose bytes are refused (pdfBytesError), by name: the lines naming them are too. */
  badPdfs: ReadonlyMap<string, string> = new Map(),
): CsvReading {
  const e = t.batch.errors;
  const rows = parseCsv(csv);
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const column = (key: keyof typeof CSV_COLUMNS) =>
    header.findIndex((h) => (CSV_COLUMNS[key] as readonly string[]).includes(h));
  const missing = (["rfc", "actType", "oficio", "issuingUnit", "document"] as const).filter(
    (key) => column(key) < 0,
  );
  if (rows.length === 0 || missing.length > 0) {
    return {
      items: [],
      refused: [{ line: 1, reasons: [e.header(missing.map((key) => CSV_COLUMNS[key][0]))] }],
      unused: files.map((f) => f.name),
    };
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const used = new Set<string>();
  const items: ActItem[] = [];
  const refused: CsvReading["refused"] = [];
  const cell = (row: string[], key: keyof typeof CSV_COLUMNS) => {
    const index = column(key);
    return index < 0 ? "" : (row[index] ?? "").trim();
  };
  rows.slice(1).forEach((row, index) => {
    const line = index + 2;
    const fields: ActFields = {
      rfc: cell(row, "rfc"),
      registroPatronal: cell(row, "registroPatronal"),
      actType: cell(row, "actType"),
      oficio: cell(row, "oficio"),
      issuingUnit: cell(row, "issuingUnit"),
    };
    const name = cell(row, "document");
    const file = byName.get(name);
    const errors = validateAct(fields, types, file);
    const reasons = Object.values(errors);
    if (!file) {
      const at = reasons.indexOf(t.compose.errors.documentMissing);
      reasons.splice(at < 0 ? reasons.length : at, at < 0 ? 0 : 1, e.pdfNotChosen(name));
    } else if (used.has(name)) reasons.push(e.pdfTwice(name));
    else if (badPdfs.has(name) && !errors[ACT_FIELDS.document]) {
      reasons.push(badPdfs.get(name) as string);
    }
    if (reasons.length > 0) {
      refused.push({ line, reasons });
      return;
    }
    used.add(name);
    items.push(newItem(fields, file as File));
  });
  return { items, refused, unused: files.map((f) => f.name).filter((n) => !used.has(n)) };
}

/* ---- Signing and depositing ---- */

/**
 * What is wrong with a chosen PDF's bytes, read in pieces with the sniffing the anexos use
 * (createKindSniffer, the server's sniffKind): a whole PDF starts with «%PDF-» within its first
 * KiB and ends with «%%EOF» within its last, as the deposit demands. Asked when the file is
 * chosen and when it joins the list, so a file named «.pdf» that is not one is refused there,
 * never after the e.firma has been opened.
 */
export async function pdfBytesError(file: File): Promise<string | undefined> {
  const e = t.compose.errors;
  const sniffer = createKindSniffer();
  try {
    const reader = file.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sniffer.update(value);
    }
  } catch {
    return e.pdfUnreadable(file.name);
  }
  return sniffer.kind() === "pdf" ? undefined : e.notPdfContent(file.name);
}

/**
 * Whether trying the act again may succeed: when no answer came (the network, status 0) or the
 * server failed (5xx, or 408/429: try later). A refusal of the act itself (4xx: an RFC outside
 * the padrón, a document that is not a PDF) answers the same every time.
 */
export function retryable(problem: ProblemDetails): boolean {
  const status = problem.status;
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/**
 * Signs one act's PDF with the opened e.firma and deposits it with the item's own idempotency
 * key: a retry after a lost answer sends the same key and content, and the server answers the
 * deposit it already made instead of making a second one.
 */
export async function depositItem(
  item: ActItem,
  efirma: OpenedEfirma,
  csrfToken: string,
): Promise<ItemResult> {
  try {
    const bytes = new Uint8Array(await item.file.arrayBuffer());
    // Checked when chosen; the file may have changed on disk since.
    if (sniffKind(bytes) !== "pdf") {
      return refused(clientProblem(t.compose.errors.notPdfContent(item.file.name), 422));
    }
    const signature = await efirma.signDocument(bytes);
    const deposited = await notificacionesApi.depositar(
      {
        idempotencyKey: item.key,
        rfc: item.fields.rfc,
        ...(item.fields.registroPatronal ? { registroPatronal: item.fields.registroPatronal } : {}),
        actType: item.fields.actType,
        oficio: item.fields.oficio,
        issuingUnit: item.fields.issuingUnit,
        documentName: item.file.name,
        document: bytesToBase64(bytes),
        signature,
      },
      csrfToken,
    );
    return { status: "deposited", deposited };
  } catch (error) {
    if (isUnauthenticated(error)) throw error;
    return refused(problemOf(error));
  }
}
