import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StaffService } from "../features/auth/staff-service.ts";
import { initDevCa, issueEfirma } from "../platform/crypto/dev-ca.ts";

/** A demo e.firma as a person uses it: its files and its password. */
/** The demo's administrator: a persona física of the development CA. */
export const DEMO_ADMIN_RFC = "CACX7605101P8";

export interface DemoEfirma {
  label: string;
  cerPath: string;
  keyPath: string;
  password: string;
}

/**
 * The demo's people: a persona moral (through its representative) whose mailbox is not enabled
 * yet, to try the activation; a persona física who is also an administrator of the Institute; and
 * the demo padrón's persona física with a mailbox enabled under the 2020 rules, to whom the demo's
 * act goes (ensureDemoNotificaciones), so «Mis notificaciones» can be seen with an act in it.
 * Minted once by the demo's development CA, kept in the demo's data directory.
 */
export async function ensureDemoEfirmas(
  devCaDir: string,
  staff: StaffService,
): Promise<DemoEfirma[]> {
  const people = [
    {
      label: "Persona moral EKU9003173C9 (representante VADA800927DJ3)",
      options: {
        rfc: "EKU9003173C9",
        name: "ESCUELA KEMPER URGATE SA DE CV",
        representativeRfc: "VADA800927DJ3",
        representativeCurp: "VADA800927HSRSRL05",
      },
    },
    {
      label: "Persona física CACX7605101P8, administradora del Instituto",
      options: { rfc: "CACX7605101P8", name: "XOCHILT CASAS CHAVEZ", curp: "CACX760510MGTSHC04" },
    },
    {
      // Name as in the demo padrón (demo-padron.ts); the CURP's letters and date follow the RFC's.
      label: "Persona física XOJO740919U44, con buzón habilitado y un acto en «Mis notificaciones»",
      options: { rfc: "XOJO740919U44", name: "OSCAR XOCHITL JUAREZ", curp: "XOJO740919HDFCRS08" },
    },
  ];
  const ca = await initDevCa(devCaDir);
  const result: DemoEfirma[] = [];
  for (const person of people) {
    const { rfc } = person.options;
    const dir = join(devCaDir, "demo", rfc);
    const cerPath = join(dir, `${rfc}.cer`);
    if (!existsSync(cerPath)) await issueEfirma(ca, { ...person.options, outDir: dir });
    result.push({
      label: person.label,
      cerPath,
      keyPath: join(dir, `${rfc}.key`),
      password: (await readFile(join(dir, `${rfc}-password.txt`), "utf8")).trim(),
    });
  }
  await staff.set(
    { rfc: DEMO_ADMIN_RFC, role: "administrador", name: "XOCHILT CASAS CHAVEZ" },
    "demo",
  );
  return result;
}

/**
 * What a sign-in refused for its issuer adds in the demo: the demo trusts only its development
 * CA, so the SAT's test e.firmas (or any other) are refused; say which to use and where they are.
 */
export function demoIssuerNote(devCaDir: string): string {
  return `Esta demostración solo acepta las e.firmas de su AC de desarrollo, no las de prueba del SAT ni otras: usa una de las que imprimió al arrancar (están en ${join(devCaDir, "demo")}).`;
}
