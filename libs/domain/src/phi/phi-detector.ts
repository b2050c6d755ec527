import { SEALED_VALUE_RE } from '../encryption/field-cipher.port.js';

/**
 * Heuristic detector for identifiers that must never reach the ledger in clear
 * (HIPAA Safe Harbor §164.514(b)(2) categories that show up in imaging: names, dates of
 * birth, record numbers, phone, e-mail, SSN). It errs on refusing: a refused pseudonym
 * costs the site a retype, a leaked name costs an immutable ledger.
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
  { kind: 'national-id', rule: 'US SSN', re: /\b\d{3}-\d{2}-\d{4}\b/ },
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

export function findPhiInFreeText(text: string): PhiFinding | null {
  for (const r of FREE_TEXT_RULES) if (r.re.test(text)) return { kind: r.kind, rule: r.rule };
  return null;
}

/** For values that must be pseudonyms: free-text rules plus name, date and MRN shapes. */
export function findPhiInIdentifier(value: string): PhiFinding | null {
  for (const r of IDENTIFIER_RULES) if (r.re.test(value)) return { kind: r.kind, rule: r.rule };
  return findPhiInFreeText(value);
}

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
 * matching a free-text PHI pattern. Used by the event validator for every append.
 */
export function scanForPhi(value: unknown, path = ''): PhiLocation | null {
  if (typeof value === 'string') {
    if (MACHINE_VALUE_RE.test(value)) return null;
    // Sealed free text (ADR 0007) was scanned as plaintext before sealing; random ciphertext could mimic a pattern.
    if (SEALED_VALUE_RE.test(value)) return null;
    const f = findPhiInFreeText(value);
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
