/**
 * Calendar dates in the shapes sites type them. HIPAA Safe Harbor §164.514(b)(2)(i)(C)
 * removes every element of a date (except the year) directly related to an individual; a
 * free-text field cannot tell a birth date from a scan date, so any full date is refused.
 * Matching runs on folded text (see `foldForMatching`): lower case, no diacritics.
 */

/** Month names and abbreviations: English, German, French, Spanish, Italian, Dutch (folded). */
const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'januar', 'februar', 'marz', 'maerz', 'mrz', 'mai', 'juni', 'juli', 'okt', 'oktober', 'dez', 'dezember',
  'janv', 'janvier', 'fev', 'fevr', 'fevrier', 'mars', 'avr', 'avril', 'juin', 'juil', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre',
  'ene', 'enero', 'febrero', 'marzo', 'abr', 'abril', 'mayo', 'junio', 'julio', 'ago', 'agosto', 'septiembre', 'octubre', 'noviembre', 'dic', 'diciembre',
  'gen', 'gennaio', 'febbraio', 'aprile', 'maggio', 'giu', 'giugno', 'lug', 'luglio', 'set', 'sett', 'settembre', 'ott', 'ottobre', 'dicembre',
  'mei', 'maart', 'augustus',
]
  .sort((a, b) => b.length - a.length)
  .join('|');

const DAY = '(?:0?[1-9]|[12]\\d|3[01])';
const MONTH_NUM = '(?:0?[1-9]|1[0-2])';
const YEAR4 = '(?:18|19|20)\\d{2}';
/** Not inside a longer run of letters or digits. */
const START = '(?<![\\p{L}\\p{N}])';
const END = '(?![\\p{L}\\p{N}])';

export interface DateRule {
  rule: string;
  re: RegExp;
}

/** Full dates refused in identifiers and in every free-text or parameter value. */
export const DATE_RULES: readonly DateRule[] = [
  // 02JAN60, 02-Jan-1960, 2.jan.1960, 02_JAN_60: the same joiner (or none) on both sides.
  { rule: 'date with month name (DDMONYY, DD-Mon-YYYY)', re: new RegExp(`(?<!\\p{N})${DAY}([-_./]?)(?:${MONTHS})\\1(?:${YEAR4}|\\d{2})(?!\\p{N})`, 'u') },
  // 2 January 1960, 2. Januar 1960: with spaces the year must have four digits ("2 may 25" is prose).
  { rule: 'date with month name (D Month YYYY)', re: new RegExp(`${START}${DAY}\\.?\\s(?:${MONTHS})\\.?,?\\s${YEAR4}${END}`, 'u') },
  // January 2, 1960 / Jan-02-1960 / JAN021960.
  { rule: 'date with month name (Month D, YYYY)', re: new RegExp(`${START}(?:${MONTHS})\\.?[-_ /]?${DAY}(?:,\\s?|[-_ /])?${YEAR4}${END}`, 'u') },
  // 1960-01-02, 1960/1/2 (ISO 8601 calendar date; timestamps with T are typed fields, not prose).
  { rule: 'calendar date (YYYY-MM-DD)', re: new RegExp(`(?<![\\p{N}.])${YEAR4}([-/])${MONTH_NUM}\\1${DAY}(?![\\p{N}.]|t\\d)`, 'u') },
  // 2.1.1960, 02/01/1960, 02-01-1960 (day-month-year or month-day-year).
  { rule: 'calendar date (D.M.YYYY, M/D/YYYY)', re: new RegExp(`(?<![\\p{N}.])${DAY}([-/.])${DAY}\\1${YEAR4}(?![\\p{N}]|\\.\\d)`, 'u') },
  // 01/02/60: two-digit years only with slashes (dotted triples are software versions: 3.1.12).
  { rule: 'calendar date (DD/MM/YY)', re: new RegExp(`(?<![\\p{N}/])${DAY}/${DAY}/\\d{2}(?![\\p{N}/])`, 'u') },
  // 19600102: DICOM DA (PS3.5 §6.2), standing alone.
  { rule: 'compact date (YYYYMMDD)', re: new RegExp(`${START}${YEAR4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])${END}`, 'u') },
  // 02011960: European compact date, standing alone.
  { rule: 'compact date (DDMMYYYY)', re: new RegExp(`${START}(?:0[1-9]|[12]\\d|3[01])(?:0[1-9]|1[0-2])${YEAR4}${END}`, 'u') },
];

/**
 * Weaker date shapes: refused only next to a name token (e.g. `Hans-02.01.60`), since on their
 * own they are study numbers or versions (`P-17-03-12`, `3.1.12`).
 */
export const WEAK_DATE_RE = new RegExp(`(?<!\\p{N})${DAY}([-_.])${DAY}\\1\\d{2}(?!\\p{N})|(?<!\\p{N})${DAY}${MONTH_NUM}\\d{2}(?!\\p{N})`, 'u');

/** Lower case, diacritics removed, ß → ss, so one pattern serves every spelling. */
export function foldForMatching(text: string): string {
  // Most values are ASCII ids and enums: skip the Unicode normalisation for them.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .replace(/[đĐ]/g, 'd')
    .replace(/ı/g, 'i')
    .toLowerCase();
}

export function findDate(text: string): DateRule | null {
  // Every full date has at least four digits.
  if (!/\d(?:\D*\d){3}/.test(text)) return null;
  const folded = foldForMatching(text);
  for (const r of DATE_RULES) if (r.re.test(folded)) return r;
  return null;
}
