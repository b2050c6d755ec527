import { SEALED_VALUE_RE } from '../encryption/field-cipher.port.js';
import { findDate } from './date.rules.js';
import { findNameInFreeText, findNameInIdentifier } from './person-name.rules.js';

/**
 * Heuristic detector for identifiers that must never reach the ledger in clear
 * (HIPAA Safe Harbor §164.514(b)(2) categories that show up in imaging: names, dates of
 * birth, record numbers, phone, e-mail, SSN). It errs on refusing: a refused pseudonym
 * costs the site a retype, a leaked name costs an immutable ledger.
 *
 * Three layers: the fixed patterns below; full dates in any shape sites type them
 * (date.rules.ts: 02JAN60, 02-Jan-1960, 1960-01-02, 2.1.1960, 01/02/60, 19600102); and person
 * names (person-name.rules.ts: a given-name lexicon plus shape rules, so `Mueller-Hans` and
 * `SMITH-JOHN` are refused while `GRA-BER-001` and `GLIO-BRAIN-007` pass). The false-positive
 * check over realistic pseudonyms is phi-detector.unit.spec.ts with testdata/.
 */
export type PhiKind = 'person-name' | 'date' | 'medical-record-number' | 'contact' | 'national-id';

export interface PhiFinding {
  kind: PhiKind;
  rule: string;
}

interface Rule {
  kind: PhiKind;
  rule: string;
  re: RegExp;
}

/** Patterns that are PHI wherever they appear, including inside free text. */
const FREE_TEXT_RULES: Rule[] = [
  // DICOM PS3.5 §6.2 PN: family^given^middle^prefix^suffix
  { kind: 'person-name', rule: 'DICOM PatientName (family^given)', re: /[\p{L}'-]{2,}\^[\p{L}'-]*/u },
  { kind: 'date', rule: 'date of birth keyword', re: /\b(d\.?o\.?b\.?|date of birth|born( on)?|geb(\.|oren))\b/i },
  { kind: 'medical-record-number', rule: 'MRN keyword', re: /\b(mrn|medical record( number| no\.?)?|patient id|patientid|hospital number)\b\s*[:#]?\s*\w*/i },
  // SSA never issues area 000, 666 or 900-999, group 00 or serial 0000: REMBRANDT-900-00-5299 is a pseudonym.
  { kind: 'national-id', rule: 'US SSN', re: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/ },
  { kind: 'contact', rule: 'e-mail address', re: /[\w.+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/ },
  { kind: 'contact', rule: 'phone number', re: /(\+\d{1,3}[\s-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/ },
  // A bare calendar date in prose (acquisition timestamps live in typed fields, not in reasons).
  { kind: 'date', rule: 'calendar date (YYYY-MM-DD)', re: /\b(18|19|20)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b(?!T)/ },
  { kind: 'date', rule: 'calendar date (DD/MM/YYYY or MM/DD/YYYY)', re: /\b\d{1,2}[/.]\d{1,2}[/.](18|19|20)\d{2}\b/ },
];

/** Extra shapes refused for identifiers that must be pseudonyms (subject ids). */
const IDENTIFIER_RULES: Rule[] = [
  { kind: 'person-name', rule: 'personal name (Given Family / Family, Given)', re: /^\p{Lu}\p{Ll}+(?:[ ,]+\p{Lu}\p{Ll}+)+$/u },
  { kind: 'person-name', rule: 'personal name with spaces', re: /^\p{L}+(?:[ '-]\p{L}+)*[ ,]+\p{L}+$/u },
  { kind: 'person-name', rule: 'letters-only name joined by . or _', re: /^\p{L}{2,}(?:[._]\p{L}{2,})+$/u },
  // DICOM DA (YYYYMMDD) and compact dates
  { kind: 'date', rule: 'DICOM date (YYYYMMDD)', re: /(^|\D)(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(\D|$)/ },
  { kind: 'date', rule: 'calendar date', re: /(18|19|20)\d{2}[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01])/ },
  { kind: 'medical-record-number', rule: 'all-digit hospital number (6+ digits)', re: /^\d{6,}$/ },
];

export interface FreeTextScanOptions {
  /**
   * Look for person names (default true). Off only for fields that hold a staff member's or an
   * organisation's name by design (see NAME_FIELDS): a signer's printed name (21 CFR 11.50) or
   * a site's name is not a patient's, and would otherwise be refused.
   */
  names?: boolean;
}

/**
 * Short values already found clean (enums, tool names, ids repeat across events): every string
 * of every appended event passes through here. Only clean values are kept, so no refused text
 * lingers in memory; the set is dropped when it grows past its bound.
 */
const CLEAN_VALUES = new Set<string>();
const CLEAN_VALUES_MAX = 10_000;
const CLEAN_VALUE_MAX_LENGTH = 200;

/** Free text (reasons, comments, tool names, every string inside parameters): patterns, dates, names. */
export function findPhiInFreeText(text: string, options: FreeTextScanOptions = {}): PhiFinding | null {
  const names = options.names !== false;
  const key = names ? `n:${text}` : `-:${text}`;
  if (CLEAN_VALUES.has(key)) return null;
  const finding = scanFreeText(text, names);
  if (!finding && text.length <= CLEAN_VALUE_MAX_LENGTH) {
    if (CLEAN_VALUES.size >= CLEAN_VALUES_MAX) CLEAN_VALUES.clear();
    CLEAN_VALUES.add(key);
  }
  return finding;
}

function scanFreeText(text: string, names: boolean): PhiFinding | null {
  for (const r of FREE_TEXT_RULES) if (r.re.test(text)) return { kind: r.kind, rule: r.rule };
  const date = findDate(text);
  if (date) return { kind: 'date', rule: date.rule };
  if (names) {
    const name = findNameInFreeText(text);
    if (name) return { kind: 'person-name', rule: name.rule };
  }
  return null;
}

/** For values that must be pseudonyms: free-text rules plus name, date and MRN shapes. */
export function findPhiInIdentifier(value: string): PhiFinding | null {
  for (const r of IDENTIFIER_RULES) if (r.re.test(value)) return { kind: r.kind, rule: r.rule };
  const name = findNameInIdentifier(value);
  if (name) return { kind: 'person-name', rule: name.rule };
  // The identifier name rules above are the stricter reading of the same shapes.
  return findPhiInFreeText(value, { names: false });
}

/**
 * Event data fields that name a member of staff or an organisation by design, where a person
 * name is expected and is not patient data: printed names of signers and users (21 CFR 11.50),
 * site names, trial titles and sponsors, scanner vendor/model, contrast agent, extractor and
 * model tensor names. Dates, contact details and the other patterns are still refused there.
 * Paths are relative to the event's data; anything inside `parameters` is never exempt.
 */
export const NAME_FIELDS: readonly string[] = [
  '/printedName',
  '/name',
  '/title',
  '/sponsor',
  '/scanner/vendor',
  '/scanner/model',
  '/contrast/agent',
  '/extractor/name',
  '/decisionRule/probabilityOutput/name',
];
const NAME_FIELD_RE = new RegExp(`^(?:/data)?(?:${NAME_FIELDS.map((p) => p.replace(/\//g, '\\/')).join('|')}|\\/(?:inputs|outputs)\\/\\d+\\/name)$`);

/** Keys that name personal data fields (DICOM attribute keywords and their usual spellings). */
const PHI_KEY_RE =
  /^(patient_?name|patientsname|name_?of_?patient|(patient_?)?birth_?(date|day|time)|date_?of_?birth|dob|mrn|medical_?record(_?number)?|patient_?id|patientid|ssn|social_?security(_?number)?|patient_?address|home_?address|phone(_?number)?|telephone|e_?mail|email_?address|patients?_?(address|telephone_?numbers?))$/i;

export function isPhiKey(key: string): boolean {
  return PHI_KEY_RE.test(key);
}

/** Values that are plainly machine identifiers (hashes, uuids) are not scanned as prose. */
const MACHINE_VALUE_RE = /^([0-9a-f]{32,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2}))$/i;

export interface PhiLocation extends PhiFinding {
  /** JSON Pointer-ish path of the offending key or value, e.g. `/data/scanner/patientName`. */
  path: string;
}

/**
 * Walk any event data: refuses a key named like a personal-data field, and a string value
 * matching a free-text PHI pattern, a date or a person name (names not in NAME_FIELDS), at
 * any depth (every string inside `parameters` and `extractorSettings`). Used by the event
 * validator for every append.
 */
export function scanForPhi(value: unknown, path = ''): PhiLocation | null {
  if (typeof value === 'string') {
    if (MACHINE_VALUE_RE.test(value)) return null;
    // Sealed free text (ADR 0007) was scanned as plaintext before sealing; random ciphertext could mimic a pattern.
    if (SEALED_VALUE_RE.test(value)) return null;
    const f = findPhiInFreeText(value, { names: !NAME_FIELD_RE.test(path) });
    return f ? { ...f, path: path || '/' } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = scanForPhi(value[i], `${path}/${i}`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = `${path}/${k}`;
      if (isPhiKey(k)) return { kind: 'person-name', rule: `personal-data field name "${k}"`, path: p };
      const hit = scanForPhi(v, p);
      if (hit) return hit;
    }
  }
  return null;
}
