import { Link } from "react-router";
import type { PromocionDetail } from "../../api/promociones.ts";
import { formatDate } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { Fact } from "../Fact.tsx";

const d = es.promociones.detail;

/**
 * The rows of a respuesta a requerimiento in a `facts` list, for the particular and the staff
 * alike: the act it answers (`actLink`: where each of them reads it), the term's last day and
 * whether it came in time — as computed at receipt (an answer before the act was notified is
 * in time).
 */
export function RespuestaFacts({
  respuesta,
  actLink,
}: {
  respuesta: NonNullable<PromocionDetail["respuesta"]>;
  actLink: string;
}) {
  return (
    <>
      <Fact label={d.notificacion}>
        <Link to={actLink}>{respuesta.notificacionId}</Link>
      </Fact>
      <Fact label={d.dueOn}>{respuesta.venceEl ? formatDate(respuesta.venceEl) : d.unknown}</Fact>
      <Fact label={d.inTime}>
        {respuesta.enTiempo === null ? d.unknown : respuesta.enTiempo ? d.yes : d.no}
      </Fact>
    </>
  );
}
