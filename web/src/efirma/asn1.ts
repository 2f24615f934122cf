import forge from "node-forge";

/** Small readers over node-forge's ASN.1 tree, shared by the certificate and the key readers. */

export type Asn1 = forge.asn1.Asn1;

export const { Type } = forge.asn1;

/** The node's children, or none when it is absent or primitive. */
export function children(node: Asn1 | undefined | null): Asn1[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

/** Whether the node is present and of this universal type. */
export function isUniversal(node: Asn1 | undefined | null, type: forge.asn1.Type): node is Asn1 {
  return (
    node !== undefined &&
    node !== null &&
    node.tagClass === forge.asn1.Class.UNIVERSAL &&
    node.type === type
  );
}
