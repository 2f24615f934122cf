import { Readable } from "node:stream";
import { createPadronImporter, type ImportReport } from "../features/padron/import.ts";
import type { Clock } from "../platform/clock.ts";
import type { Db } from "../platform/db/schema.ts";

/**
 * The demo's padrón (docs/padron.md): the three demo e.firmas' particulars with their registros
 * patronales and e-mails on file, one of them a mailbox enabled under the 2020 rules (5.4), one
 * particular without an e-mail on file, and one more persona moral. Imported at every demo
 * start: a re-import of the same rows changes nothing.
 */
export const DEMO_PADRON_CSV = `rfc,nombre,persona,registros_patronales,correo,habilitado_2020
EKU9003173C9,ESCUELA KEMPER URGATE SA DE CV,moral,B5510768108;Y5412345109,nomina@kemper-urgate.example,
CACX7605101P8,XOCHILT CASAS CHAVEZ,fisica,C1234567890,xochilt.casas@example.com,
XOJO740919U44,OSCAR XOCHITL JUAREZ,fisica,D2345678901,oscar.xochitl@example.com,2021-03-15
MOTR930411HJ7,RAMON MORALES TORRES,fisica,,,
CON0905146ZA,CONSTRUCTORA DEL NORTE SA DE CV,moral,E3456789012;E3456789013,contacto@constructora-norte.example,
`;

export async function ensureDemoPadron(db: Db, clock: Clock): Promise<ImportReport> {
  const importPadron = createPadronImporter({ db, clock });
  return importPadron(Readable.from([DEMO_PADRON_CSV]), {
    fileName: "padron-demo.csv",
    actor: "demo",
  });
}
