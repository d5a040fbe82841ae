/**
 * The SASL mechanisms oslo-rx can use, and the reading of oslo's `sasl_mechanisms` text.
 * @module
 */

/** The SASL mechanisms oslo-rx can use (rhea has no Cyrus SASL, so no GSSAPI, SCRAM or DIGEST-MD5). */
export const SUPPORTED_SASL_MECHANISMS = ['ANONYMOUS', 'PLAIN', 'EXTERNAL'] as const;

/** A SASL mechanism oslo-rx can use. */
export type SaslMechanismName = (typeof SUPPORTED_SASL_MECHANISMS)[number];

/**
 * Reads oslo's `sasl_mechanisms` text: names separated by spaces (commas too), in any case.
 *
 * @param text e.g. `'plain EXTERNAL'`
 * @returns the names, upper-cased, without repeats (`[]` for `''`), or the first name oslo-rx does not support
 */
export function parseSaslMechanisms(text: string): { readonly mechanisms: readonly SaslMechanismName[] } | { readonly unsupported: string } {
  const names = [...new Set(text.split(/[\s,]+/).filter(Boolean).map((n) => n.toUpperCase()))];
  const unsupported = names.find((n) => !(SUPPORTED_SASL_MECHANISMS as readonly string[]).includes(n));
  return unsupported === undefined ? { mechanisms: names as SaslMechanismName[] } : { unsupported };
}
