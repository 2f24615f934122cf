import { sha256 } from "@noble/hashes/sha2.js";
import { Link } from "react-router";
import {
  MANIFEST_NAME,
  MANIFEST_SIGNATURE_NAME,
} from "../../../../src/features/promociones/schemas.ts";
import type { PromocionDetail } from "../../api/promociones.ts";
import { base64ToBytes, bytesToBase64 } from "../../efirma/bytes.ts";
import { es } from "../../i18n/es.ts";
import { bytesToHex } from "../verification/files.ts";

const d = es.promociones.detail;

/**
 * What the e.firma signed and the signature itself, for the particular and the staff alike: the
 * exact manifest to read, and both as the files the acuse lists by name and SHA-256
 * (`manifiesto-firmado.txt`, `firma-promocion.p7s`), to check on the signature verification page
 * or with OpenSSL. Both come in the detail (a few KiB), so the links carry them as data: no
 * request, and the bytes are exactly the ones the detail gave.
 */
export function SignedManifest({
  detail,
}: {
  detail: Pick<PromocionDetail, "signedText" | "signedTextSha256" | "p7s">;
}) {
  const p7s = base64ToBytes(detail.p7s);
  const text = bytesToBase64(new TextEncoder().encode(detail.signedText));
  const files = [
    {
      name: MANIFEST_NAME,
      href: `data:text/plain;charset=utf-8;base64,${text}`,
      label: d.manifestDownload,
      sha256: detail.signedTextSha256,
    },
    {
      name: MANIFEST_SIGNATURE_NAME,
      href: `data:application/pkcs7-signature;base64,${detail.p7s}`,
      label: d.signatureDownload,
      sha256: bytesToHex(sha256(p7s)),
    },
  ];
  return (
    <section aria-labelledby="firma-promocion">
      <h2 id="firma-promocion">{d.manifest}</h2>
      <p>{d.signatureLead}</p>
      <ul className="promocion-files">
        {files.map((file) => (
          <li key={file.name}>
            <a href={file.href} download={file.name}>
              {file.label}
            </a>{" "}
            (<span className="notif-filename">{file.name}</span>)
            <br />
            <span className="promocion-files__hash">
              SHA-256: <code>{file.sha256}</code>
            </span>
          </li>
        ))}
      </ul>
      <p className="note">
        {d.signatureVerify} <Link to="/verificacion?tipo=firma">{d.signatureVerifyLink}</Link>{" "}
        {d.signatureOpenssl} <code className="promocion-hash">{d.opensslCommand}</code>
      </p>
      <details className="filters">
        <summary className="filters__summary">{d.manifestSummary}</summary>
        <pre className="promocion-manifest">{detail.signedText}</pre>
      </details>
    </section>
  );
}
