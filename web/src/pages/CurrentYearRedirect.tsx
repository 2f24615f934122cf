import { Navigate } from "react-router";
import { currentYearInZonaCentro } from "../format/dates.ts";

/** /dias-inhabiles → this year's page (the year in Zona Centro). */
export function CurrentYearRedirect() {
  return <Navigate replace to={`/dias-inhabiles/${currentYearInZonaCentro()}`} />;
}
