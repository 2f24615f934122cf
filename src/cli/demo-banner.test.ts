import { describe, expect, it } from "vitest";
import { demoBanner } from "./demo-banner.ts";

const efirmas = [
  {
    label: "Persona moral EKU9003173C9 (representante VADA800927DJ3)",
    cerPath: "/datos/demo/dev-ca/demo/EKU9003173C9/EKU9003173C9.cer",
    keyPath: "/datos/demo/dev-ca/demo/EKU9003173C9/EKU9003173C9.key",
    password: "clave-moral",
  },
  {
    label: "Persona física CACX7605101P8, administradora del Instituto",
    cerPath: "/datos/demo/dev-ca/demo/CACX7605101P8/CACX7605101P8.cer",
    keyPath: "/datos/demo/dev-ca/demo/CACX7605101P8/CACX7605101P8.key",
    password: "clave-fisica",
  },
  {
    label: "Persona física XOJO740919U44, con buzón habilitado y un acto en «Mis notificaciones»",
    cerPath: "/datos/demo/dev-ca/demo/XOJO740919U44/XOJO740919U44.cer",
    keyPath: "/datos/demo/dev-ca/demo/XOJO740919U44/XOJO740919U44.key",
    password: "clave-buzon",
  },
];

describe("demoBanner", () => {
  const banner = demoBanner({
    url: "http://127.0.0.1:8080",
    efirmas,
    acuseUrl: "http://127.0.0.1:8080/verificacion/BI-20250101-000000001?codigo=ABCD",
    token: "token-de-la-sesion-0123456789",
    requestLogs: false,
  });

  it("gives every e.firma's files and password, one per line to copy", () => {
    for (const e of efirmas) {
      expect(banner).toContain(`\n  ${e.label}\n`);
      expect(banner).toContain(`Certificado (.cer): ${e.cerPath}\n`);
      expect(banner).toContain(`Llave privada (.key): ${e.keyPath}\n`);
      expect(banner).toContain(`Contraseña: ${e.password}\n`);
    }
  });

  it("gives the address, the demo acuse, the token, and says the SAT's test e.firmas are refused", () => {
    expect(banner).toContain(
      "Buzón IMSS en http://127.0.0.1:8080  (API: http://127.0.0.1:8080/api/docs)",
    );
    expect(banner).toContain(
      "Acuse de demostración (verificación pública): http://127.0.0.1:8080/verificacion/BI-20250101-000000001?codigo=ABCD\n",
    );
    expect(banner).toContain(
      "Token de administración de esta sesión de demostración (API, 24 horas): token-de-la-sesion-0123456789\n",
    );
    expect(banner).toContain("las de prueba del SAT no se aceptan aquí");
  });

  it("links the Bandeja de desarrollo, and the demo clock with the token in the fragment", () => {
    expect(banner).toContain(
      "Bandeja de desarrollo (correos y SMS de la demostración): http://127.0.0.1:8080/desarrollo/bandeja\n",
    );
    expect(banner).toContain(
      "Reloj de demostración (con el token): http://127.0.0.1:8080/desarrollo/reloj#token=token-de-la-sesion-0123456789\n",
    );
    const tokenless = demoBanner({ url: "http://x", efirmas, requestLogs: false });
    expect(tokenless).not.toContain("Reloj de demostración");
  });

  it("says when the demo's acts reach the estrados and the mailbox if they are not there yet, and how to get there", () => {
    expect(banner).not.toContain("se ponen a disposición");
    const night = demoBanner({
      url: "http://127.0.0.1:8080",
      efirmas,
      requestLogs: false,
      actsAvailableAt: "martes 8 de diciembre de 2026 a las 09:30 (Zona Centro)",
    });
    expect(night).toContain(
      "se ponen a disposición el martes 8 de diciembre de 2026 a las 09:30 (Zona Centro) (regla a).\n",
    );
    expect(night).toContain("los estrados electrónicos (http://127.0.0.1:8080/estrados)");
    expect(night).toContain("adelante el reloj de demostración");
  });

  it("says how to see the request logs only when they are hidden", () => {
    expect(banner).toContain("LOG_LEVEL=info npm start");
    const verbose = demoBanner({ url: "http://x", efirmas, requestLogs: true });
    expect(verbose).not.toContain("LOG_LEVEL=info npm start");
    expect(verbose).not.toContain("Token de administración");
    expect(verbose).not.toContain("Acuse de demostración");
  });
});
