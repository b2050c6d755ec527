/**
 * Canonical JSON per RFC 8785 (JSON Canonicalization Scheme). These exact bytes are what
 * the ledger hashes, stores and returns.
 *
 * The scheme is defined in terms of ECMAScript (§3.2.2): strings are written as
 * JSON.stringify writes them (§3.2.2.2), numbers as ECMAScript Number-to-String
 * (§3.2.2.3, which is what String(n) gives for finite n, "0" for -0 included), and object
 * members are sorted by the UTF-16 code units of their names (§3.2.3), which is what the
 * default Array.prototype.sort does. So a recursive writer that sorts keys and delegates
 * strings and numbers to the engine IS RFC 8785; a property test
 * (canonical-json.unit.spec.ts) pins it to the `canonicalize` package over arbitrary JSON.
 * Like `canonicalize`, it refuses NaN, Infinity and strings with lone surrogates (I-JSON,
 * RFC 7493 §2.1, which RFC 8785 §3.1 requires).
 */

/** Why a value has no canonical form; `path` names the offending member (`$` is the value itself). */
export class NotJsonError extends TypeError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`canonicalJson: ${path} ${reason}`);
  }
}

/** String.prototype.isWellFormed (Node >= 20; not yet in the ES2023 lib typings). */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** Thrown inside the writer; turned into a NotJsonError with a path by a second, slower walk. */
class Refused extends Error {}
const REFUSED = new Refused();

// Encoded `"name":` prefixes of object keys: event payloads repeat the same few hundred
// names, and a Map hit is cheaper than re-escaping. Bounded so odd inputs cannot grow it.
const KEY_CACHE_LIMIT = 8192;
const keyPrefixes = new Map<string, string>();

function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    if (!isWellFormed(key)) throw REFUSED;
    prefix = `${JSON.stringify(key)}:`;
    if (keyPrefixes.size < KEY_CACHE_LIMIT) keyPrefixes.set(key, prefix);
  }
  return prefix;
}

/** The JSON string literal of `text` (RFC 8785 §3.2.2.2); undefined if it has a lone surrogate. */
export function canonicalString(text: string): string | undefined {
  return isWellFormed(text) ? JSON.stringify(text) : undefined;
}

/**
 * One writer for both modes. `strict` (event payloads): only null, booleans, finite
 * numbers, well-formed strings, arrays and plain objects (prototype Object.prototype or
 * null); `undefined` members are left out. Otherwise JSON.stringify's and canonicalize's
 * leniency: toJSON() is honoured, undefined/function/symbol members are left out and
 * become null in arrays, other objects contribute their own enumerable keys.
 * `lossy` is set when the text would not parse back to an equal value (an undefined
 * member left out, -0 written as 0).
 */
class Writer {
  lossy = false;
  private depth = 0;

  constructor(private readonly strict: boolean) {}

  value(v: unknown): string {
    switch (typeof v) {
      case 'string':
        if (!isWellFormed(v)) throw REFUSED;
        return JSON.stringify(v);
      case 'number':
        if (!Number.isFinite(v)) throw REFUSED;
        if (v === 0 && 1 / v < 0) this.lossy = true;
        return String(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'object':
        if (v === null) return 'null';
        // Deeper than any event; also how a cycle ends (instead of a stack overflow).
        if (++this.depth > 512) throw REFUSED;
        try {
          return Array.isArray(v) ? this.array(v) : this.object(v as Record<string, unknown>);
        } finally {
          this.depth--;
        }
      default:
        throw REFUSED;
    }
  }

  private array(items: readonly unknown[]): string {
    const n = items.length;
    if (n === 0) return '[]';
    let out = '[';
    for (let i = 0; i < n; i++) {
      if (i > 0) out += ',';
      const item = items[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') {
        if (this.strict) throw REFUSED;
        out += 'null';
      } else {
        out += this.value(item);
      }
    }
    return `${out}]`;
  }

  private object(obj: Record<string, unknown>): string {
    if (this.strict) {
      const proto = Object.getPrototypeOf(obj);
      if (proto !== Object.prototype && proto !== null) throw REFUSED;
    } else if (typeof obj['toJSON'] === 'function') {
      return this.value((obj['toJSON'] as () => unknown)());
    }
    const keys = Object.keys(obj);
    if (keys.length > 1) keys.sort();
    let out = '{';
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const item = obj[key];
      if (item === undefined) {
        this.lossy = true;
        continue;
      }
      if (typeof item === 'function' || typeof item === 'symbol') {
        if (this.strict) throw REFUSED;
        continue;
      }
      if (!first) out += ',';
      first = false;
      out += keyPrefix(key) + this.value(item);
    }
    return `${out}}`;
  }
}

/** RFC 8785 text of a JSON value; throws NotJsonError (a TypeError) naming the first member that has none. */
export function canonicalJson(value: unknown): string {
  try {
    return new Writer(false).value(value);
  } catch (error) {
    if (error === REFUSED || error instanceof RangeError) throw explain(value, false);
    throw error;
  }
}

/**
 * The strict form used for event payloads: plain JSON only (see Writer). `lossy` tells
 * whether JSON.parse(text) would differ from `value` (undefined members, -0). Throws
 * NotJsonError naming the offending member, as a path from `name`.
 */
export function canonicalPlainJson(value: unknown, name = '$'): { text: string; lossy: boolean } {
  const writer = new Writer(true);
  try {
    return { text: writer.value(value), lossy: writer.lossy };
  } catch (error) {
    if (error === REFUSED || error instanceof RangeError) throw explain(value, true, name);
    throw error;
  }
}

/** The slow path, only after a refusal: find the first offending member and say why. */
function explain(value: unknown, strict: boolean, name = '$'): NotJsonError {
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): NotJsonError | undefined => {
    switch (typeof v) {
      case 'string':
        return isWellFormed(v) ? undefined : new NotJsonError(path, 'contains a lone surrogate (not I-JSON, RFC 8785 §3.1)');
      case 'number':
        return Number.isFinite(v) ? undefined : new NotJsonError(path, `is ${String(v)} (RFC 8785 §3.2.2.3 has no form for it)`);
      case 'boolean':
        return undefined;
      case 'object': {
        if (v === null) return undefined;
        if (seen.has(v)) return new NotJsonError(path, 'is a cyclic reference');
        if (seen.size >= 512) return new NotJsonError(path, 'is nested more than 512 levels deep');
        seen.add(v);
        try {
          if (Array.isArray(v)) {
            for (let i = 0; i < v.length; i++) {
              const item: unknown = v[i];
              if (strict && (item === undefined || typeof item === 'function' || typeof item === 'symbol')) {
                return new NotJsonError(`${path}[${i}]`, `is of type ${typeof item}`);
              }
              const found = walk(item, `${path}[${i}]`);
              if (found) return found;
            }
            return undefined;
          }
          const proto = Object.getPrototypeOf(v);
          if (strict && proto !== Object.prototype && proto !== null) {
            return new NotJsonError(path, `is a ${(proto as { constructor?: { name?: string } })?.constructor?.name ?? 'non-plain'} object`);
          }
          if (!strict && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
            return walk((v as { toJSON(): unknown }).toJSON(), path);
          }
          for (const key of Object.keys(v)) {
            const memberPath = `${path}.${key}`;
            if (!isWellFormed(key)) return new NotJsonError(memberPath, 'is a key with a lone surrogate (not I-JSON, RFC 8785 §3.1)');
            const item = (v as Record<string, unknown>)[key];
            if (strict && (typeof item === 'function' || typeof item === 'symbol')) {
              return new NotJsonError(memberPath, `is of type ${typeof item}`);
            }
            const found = walk(item, memberPath);
            if (found) return found;
          }
          return undefined;
        } finally {
          seen.delete(v);
        }
      }
      case 'undefined':
        return path === name ? new NotJsonError(path, 'is undefined') : undefined;
      default:
        return new NotJsonError(path, `is of type ${typeof v}`);
    }
  };
  return walk(value, name) ?? new NotJsonError(name, 'has no JSON representation');
}
