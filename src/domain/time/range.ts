/**
 * Earliest and latest years the engine reasons about. The rules are those of the Lineamientos
 * in force since 6 Aug 2024 (and Zona Centro has had no summer time since Oct 2022), so earlier
 * instants are outside what these rules can answer; past 2200 a date is a typo.
 */
export const MIN_YEAR = 2024;
export const MAX_YEAR = 2200;
