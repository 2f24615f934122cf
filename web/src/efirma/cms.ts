import { detachedCmsOf } from "../../../src/platform/crypto/detached-cms.ts";
import { bytesToBase64 } from "./bytes.ts";

/**
 * The .p7s of a document signed in this tab: the server's own builder of detached CMS (no
 * signed attributes, so the signature is over the document's digest), loaded only when a
 * public servant signs (it bundles pkijs). Answers base64 DER.
 */
export function detachedCmsBase64(certificateDer: Uint8Array, signature: Uint8Array): string {
  return bytesToBase64(detachedCmsOf(certificateDer, signature));
}
