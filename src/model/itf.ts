// Values in the Informal Trace Format's JSON encoding (ITF, Apalache ADR-015): integers as
// {"#bigint": "…"}, sets as {"#set": […]}, maps as {"#map": [[k, v], …]}, records as objects.
// The state view, trace files and the primitive families' decoders all speak it.

export type ItfValue =
  | boolean
  | string
  | ItfValue[]
  | { '#bigint': string }
  | { '#set': ItfValue[] }
  | { '#map': [ItfValue, ItfValue][] }
  | { [field: string]: ItfValue };

export const big = (n: number): { '#bigint': string } => ({ '#bigint': String(n) });
