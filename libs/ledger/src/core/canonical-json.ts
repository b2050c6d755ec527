import canonicalizeJson from 'canonicalize';

/**
 * Canonical JSON per RFC 8785 (JSON Canonicalization Scheme): keys sorted by UTF-16 code
 * units, ECMAScript number serialisation, minimal string escaping, no whitespace.
 * These exact bytes are what the ledger hashes, stores and returns.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalizeJson(value);
  if (text === undefined) {
    throw new TypeError('canonicalJson: value has no JSON representation');
  }
  return text;
}
