/**
 * The e.firma in the browser. The private key and its password never leave this module's
 * callers' tab: only the certificate and a signature are sent to the server.
 */

export { base64ToBytes } from "./bytes.ts";
export { type CertificateFile, keyMatchesCertificate, readCertificateFile } from "./certificate.ts";
export { EfirmaBrowserError, type EfirmaErrorCode } from "./errors.ts";
export { openPrivateKey } from "./privateKey.ts";
export { signBytes, signText } from "./sign.ts";
