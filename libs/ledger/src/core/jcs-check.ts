/**
 * A single-pass check that a text is exactly RFC 8785 canonical JSON — the same answer as
 * `canonicalJson(JSON.parse(text)) === text` (with `canonicalize` refusing lone
 * surrogates), without building the value or re-serialising it. The verifier runs it on
 * every stored event, so it avoids allocation: strings are skipped with indexOf and only
 * object keys are sliced.
 *
 * Canonical form (RFC 8785 §3.2): no whitespace; strings as ECMAScript JSON.stringify
 * writes them (§3.2.2.2: only `"` `\` and controls escaped, controls as \b \t \n \f \r or
 * \u00xx lowercase); numbers as ECMAScript Number-to-String (§3.2.2.3); object members
 * sorted by the UTF-16 code units of their keys (§3.2.3), no duplicates.
 */

import { canonicalJson } from './canonical-json.js';

// Controls that JSON.stringify writes with a two-character escape.
const SHORT_ESCAPES: Record<number, true> = { 0x08: true, 0x09: true, 0x0a: true, 0x0c: true, 0x0d: true };
const RAW_CONTROL = /[\u0000-\u001f]/;

class NotCanonical extends Error {}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * A sufficient (not necessary) test that t[start, end) is the ECMAScript Number-to-String
 * form of its value (RFC 8785 §3.2.2.3), without building the number: `-?(0|[1-9]d*)(.d*[1-9])?`
 * with at most 15 significant digits, and, below 1, at most 5 zeros after the point.
 * Why that suffices: distinct decimals of at most 15 significant digits are distinct
 * doubles (DBL_DIG = 15), so the shortest round-trip digits of the value are exactly these;
 * and ECMAScript writes values in [1e-6, 1e21) without an exponent. Anything else
 * (exponents, 16+ digits, "-0") goes to the exact check.
 */
function canonicalDecimal(t: string, start: number, end: number): boolean {
  let i = start;
  const negative = t.charCodeAt(i) === 0x2d;
  if (negative) i++;
  const intStart = i;
  while (i < end && isDigit(t.charCodeAt(i))) i++;
  const intLen = i - intStart;
  if (intLen === 0) return false;
  const zeroInt = t.charCodeAt(intStart) === 0x30;
  if (zeroInt && intLen > 1) return false;
  if (i === end) return intLen <= 15 && !(negative && zeroInt);
  if (t.charCodeAt(i) !== 0x2e) return false;
  const fracStart = ++i;
  while (i < end && isDigit(t.charCodeAt(i))) i++;
  const fracLen = i - fracStart;
  if (i !== end || fracLen === 0 || t.charCodeAt(end - 1) === 0x30) return false;
  if (!zeroInt) return intLen + fracLen <= 15;
  let zeros = 0;
  while (t.charCodeAt(fracStart + zeros) === 0x30) zeros++;
  return zeros <= 5 && fracLen - zeros <= 15;
}
const fail = (): never => {
  throw new NotCanonical();
};

class Scanner {
  pos = 0;
  /** Position of the next backslash at or after the last search, -1 if none: keeps escape search linear. */
  private nextBackslash: number;
  constructor(readonly text: string) {
    this.nextBackslash = text.indexOf('\\');
  }

  /** Moves `pos` past the string opening at `pos`, validating its escapes; true if it had any. */
  skipString(): boolean {
    const t = this.text;
    let i = this.pos + 1;
    let escaped = false;
    for (;;) {
      const quote = t.indexOf('"', i);
      if (quote < 0) fail();
      if (this.nextBackslash >= 0 && this.nextBackslash < i) this.nextBackslash = t.indexOf('\\', i);
      const backslash = this.nextBackslash;
      if (backslash < 0 || backslash > quote) {
        this.pos = quote + 1;
        return escaped;
      }
      escaped = true;
      const c = t.charCodeAt(backslash + 1);
      if (c === 0x22 || c === 0x5c || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) {
        i = backslash + 2; // \" \\ \b \f \n \r \t
      } else if (c === 0x75 && t.startsWith('u00', backslash + 1)) {
        const hex = t.slice(backslash + 4, backslash + 6);
        const code = /^[0-1][0-9a-f]$/.test(hex) ? parseInt(hex, 16) : -1;
        if (code < 0 || SHORT_ESCAPES[code]) fail();
        i = backslash + 6;
      } else {
        fail(); // any other escape (\/, \u0041, \ud800 ...) is not what JCS writes
      }
    }
  }

  value(): void {
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    if (c === 0x22) {
      this.skipString();
    } else if (c === 0x7b) {
      this.object();
    } else if (c === 0x5b) {
      this.array();
    } else if (t.startsWith('true', this.pos)) {
      this.pos += 4;
    } else if (t.startsWith('false', this.pos)) {
      this.pos += 5;
    } else if (t.startsWith('null', this.pos)) {
      this.pos += 4;
    } else {
      this.number();
    }
  }

  number(): void {
    const t = this.text;
    const start = this.pos;
    let end = start;
    for (;;) {
      const d = t.charCodeAt(end);
      if ((d >= 0x30 && d <= 0x39) || d === 0x2b || d === 0x2d || d === 0x2e || d === 0x65 || d === 0x45) end++;
      else break;
    }
    if (!canonicalDecimal(t, start, end)) {
      // The ECMAScript number form decides; this also refuses "1.0", "1E2", "-0" and overflow.
      const token = t.slice(start, end);
      if (token.length === 0 || JSON.stringify(Number(token)) !== token) fail();
    }
    this.pos = end;
  }

  array(): void {
    const t = this.text;
    this.pos++;
    if (t.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value();
      const c = t.charCodeAt(this.pos++);
      if (c === 0x5d) return;
      if (c !== 0x2c) fail();
    }
  }

  /** Whether the unescaped key at [aStart, aEnd) sorts strictly before the one at [bStart, bEnd) (UTF-16 code units). */
  private before(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
    const t = this.text;
    const n = Math.min(aEnd - aStart, bEnd - bStart);
    for (let k = 0; k < n; k++) {
      const x = t.charCodeAt(aStart + k);
      const y = t.charCodeAt(bStart + k);
      if (x !== y) return x < y;
    }
    return aEnd - aStart < bEnd - bStart;
  }

  private decode(start: number, end: number): string {
    return JSON.parse(this.text.slice(start, end)) as string;
  }

  /**
   * Scans an object. With `members`, records all its members; with `wanted` and `found`,
   * records into found[i] the member named wanted[i] (matched in place, no slicing).
   * String values are decoded, other values recorded as null.
   */
  object(members?: Record<string, string | null>, wanted?: readonly string[], found?: (string | null | undefined)[]): void {
    const t = this.text;
    this.pos++;
    if (t.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return;
    }
    let prevStart = -1;
    let prevEnd = -1;
    let prevEscaped = false;
    for (;;) {
      if (t.charCodeAt(this.pos) !== 0x22) fail();
      const start = this.pos;
      const escaped = this.skipString();
      const end = this.pos;
      // RFC 8785 §3.2.3: strictly ascending UTF-16 code units, hence no duplicates either.
      if (prevStart >= 0) {
        const ordered =
          escaped || prevEscaped ? this.decode(prevStart, prevEnd) < this.decode(start, end) : this.before(prevStart + 1, prevEnd - 1, start + 1, end - 1);
        if (!ordered) fail();
      }
      prevStart = start;
      prevEnd = end;
      prevEscaped = escaped;
      if (t.charCodeAt(this.pos++) !== 0x3a) fail();
      let key: string | undefined;
      let slot = -1;
      if (members) {
        key = escaped ? this.decode(start, end) : t.slice(start + 1, end - 1);
      } else if (wanted) {
        if (escaped) {
          slot = wanted.indexOf(this.decode(start, end));
        } else {
          const length = end - start - 2;
          for (let w = 0; w < wanted.length; w++) {
            if (wanted[w]!.length === length && t.startsWith(wanted[w]!, start + 1)) {
              slot = w;
              break;
            }
          }
        }
      }
      const record = key !== undefined || slot >= 0;
      let captured: string | null = null;
      if (record && t.charCodeAt(this.pos) === 0x22) {
        const valueStart = this.pos;
        const valueEscaped = this.skipString();
        captured = valueEscaped ? this.decode(valueStart, this.pos) : t.slice(valueStart + 1, this.pos - 1);
      } else {
        this.value();
      }
      if (key !== undefined) members![key] = captured;
      if (slot >= 0) found![slot] = captured;
      const c = t.charCodeAt(this.pos++);
      if (c === 0x7d) return;
      if (c !== 0x2c) fail();
    }
  }
}

function precheck(text: string): boolean {
  // Raw controls never occur in canonical text (strings escape them, no whitespace
  // outside); lone surrogates make `canonicalize` refuse the value.
  return !RAW_CONTROL.test(text) && (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** The reference answer, for what the scanner cannot take (nesting deeper than the call stack). */
function slowCheck(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return canonicalJson(value) === text ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True iff `text` is exactly the RFC 8785 serialisation of the JSON value it denotes. */
export function isCanonicalJson(text: string): boolean {
  if (!precheck(text)) return false;
  const s = new Scanner(text);
  try {
    s.value();
  } catch (e) {
    if (e instanceof NotCanonical) return false;
    if (e instanceof RangeError) return slowCheck(text) !== undefined;
    throw e;
  }
  return s.pos === text.length;
}

/**
 * If `text` is RFC 8785 canonical JSON of an object, its top-level members: string values
 * decoded, every other value as null. Otherwise undefined.
 */
export function canonicalTopLevel(text: string): Record<string, string | null> | undefined {
  if (text.charCodeAt(0) !== 0x7b || !precheck(text)) return undefined;
  const members: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
  const s = new Scanner(text);
  try {
    s.object(members);
  } catch (e) {
    if (e instanceof NotCanonical) return undefined;
    if (e instanceof RangeError) return slowTopLevel(text);
    throw e;
  }
  return s.pos === text.length ? members : undefined;
}

/**
 * The verifier's per-event form of {@link canonicalTopLevel}: if `text` is canonical JSON
 * of an object, an array whose i-th entry is the top-level member named `wanted[i]` (names distinct)
 * (string decoded, other value null, absent undefined); otherwise undefined.
 */
export function canonicalTopLevelValues(text: string, wanted: readonly string[], prechecked = false): (string | null | undefined)[] | undefined {
  // `prechecked`: the caller already knows the text is well-formed and has no raw control
  // characters (e.g. it decoded UTF-8 bytes it scanned for them).
  if (text.charCodeAt(0) !== 0x7b || !(prechecked || precheck(text))) return undefined;
  const found = new Array<string | null | undefined>(wanted.length).fill(undefined);
  const s = new Scanner(text);
  try {
    s.object(undefined, wanted, found);
  } catch (e) {
    if (e instanceof NotCanonical) return undefined;
    if (e instanceof RangeError) {
      const members = slowTopLevel(text);
      return members && wanted.map((w) => members[w]);
    }
    throw e;
  }
  return s.pos === text.length ? found : undefined;
}

function slowTopLevel(text: string): Record<string, string | null> | undefined {
  const value = slowCheck(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const members: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
  for (const [k, v] of Object.entries(value)) members[k] = typeof v === 'string' ? v : null;
  return members;
}
