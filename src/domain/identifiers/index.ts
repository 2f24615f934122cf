export { CURP_ENTIDADES, type Curp, type CurpSexo, curpCheckDigit, parseCurp } from "./curp.ts";
export { type Email, parseEmail } from "./email.ts";
export type { IdentifierContext, ParseOptions } from "./normalize.ts";
export { type Nss, nssCheckDigit, parseNss } from "./nss.ts";
export { parseRegistroPatronal, type RegistroPatronal } from "./registro-patronal.ts";
export { GENERIC_RFCS, type Persona, parseRfc, type Rfc, rfcCheckDigit } from "./rfc.ts";
