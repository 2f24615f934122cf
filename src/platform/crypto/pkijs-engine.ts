import { webcrypto } from "node:crypto";
import * as pkijs from "pkijs";

let installed = false;

/** pkijs signs and verifies through a WebCrypto engine; Node's is installed once. */
export function withPkijs(): typeof pkijs {
  if (!installed) {
    pkijs.setEngine("node", new pkijs.CryptoEngine({ name: "node", crypto: webcrypto as Crypto }));
    installed = true;
  }
  return pkijs;
}
