import { GIVEN_NAMES_TEXT, SURNAMES_TEXT } from './name.lexicon.js';
import { WEAK_DATE_RE, foldForMatching } from './date.rules.js';

/**
 * Person names in identifiers and free text.
 *
 * A pseudonym such as `GRA-BER-001` or `GLIO-BRAIN-007` and a name such as `Mueller-Hans` or
 * `SMITH-JOHN-02JAN60` have the same shape: letter groups joined by `-`, `_`, `.`, a space or
 * a comma. What tells them apart is whether a group is a given name, so the detector needs a
 * given-name lexicon (name.lexicon.ts), and then weighs the evidence around it:
 *
 *  - given-name strength: 2 for a lexicon name of four letters or more; 1 for a shorter one
 *    (Li, Wei, Max, Jan collide with site codes and abbreviations) or one that is also an
 *    everyday or imaging word (Mark, Grace, Long, Iris);
 *  - a neighbouring letter group that could be a surname: four letters or more and not a
 *    trial/imaging word (glio, brain, site, flair…), or a listed surname of any length
 *    (Li, Kim, Lee) — required for a name pair;
 *  - +1 when the value has no digits other than a year or date (names have none; pseudonyms
 *    carry a sequence number);
 *  - +1 when both groups are written like names (Title or lower case) rather than as an
 *    upper-case code;
 *  - +1 when a birth year (1900–2029) or a short date stands in the value.
 *
 * A pair scoring 3 or more is a person name. A given name next to a birth year is one too
 * (`Hans1960`), and so is an initial beside a listed surname with a year or in Title case
 * (`J.Smith-1960`), and, in identifiers only, a Title-case given name on its own (`Maria_007`).
 * In free text three more shapes count: a lay title before a capitalised word (`Frau Weber`),
 * a Title-case "Given Surname" or "Surname, Given" pair in prose, and name-shaped chunks
 * (`hans.mueller`, `SMITH-JOHN`) as above; lower-case chunks count only when both halves are
 * listed names, because snake_case and kebab-case values (`fixed-bin-size`, `max_iterations`)
 * fill parameter objects. A handful of eponyms and institutions that look like names
 * (Kaplan-Meier, Mann-Whitney, Max Planck, Dana-Farber) are removed before matching.
 *
 * The false-positive rate is checked in phi-detector.unit.spec.ts against a corpus of several
 * hundred pseudonyms in the styles trials and public collections use (testdata/), and by a
 * property over a pseudonym grammar; every name-bearing id of the second corpus is refused.
 */

const words = (text: string): Set<string> => new Set(text.split(/\s+/).filter(Boolean));

const GIVEN_NAMES = words(GIVEN_NAMES_TEXT);
const SURNAMES = words(SURNAMES_TEXT);

/** Given names that are also everyday, technical or imaging words: weak evidence on their own. */
const AMBIGUOUS_GIVEN_NAMES = words(`
  mark frank rose grace holly amber daisy lily poppy willow iris jade ivy ruby pearl hazel olive violet crystal
  long song hang bing ping gang fang kang hong dong ming peng ling wang xiang zhen shan feng guo
  victor gene summer dawn faith hope hunter grant penny ginger angel heather aurora stella nova luna gloria victoria
  august april june may noel sky bill will ray art don pat sue guy dean drew wade lane chase miles
  mercedes porsche bruno otto hugo leon noah felix oscar alice sandy sunny rusty
  can deniz kaya ela efe emir sinan mert arda nur
  max min bin bo mai ren rin per ana eva ida lea mia nan kai jan kim tim tom sam ben ole ola lu yu hu na yi
  sara dina mona nina tina lina nora vera alma elsa selma nadia maya sana hana rana rima reem hind
  jens lars nils sven bent bengt
  kiran om hari ravi uma asha usha
`);

/** Trial, imaging and pseudonym vocabulary: never a surname, never a given name. */
const DOMAIN_WORDS = words(`
  sub subj subject subjects pat pt pts patient patients case cases site sites ses session sess run scan scans study trial cohort arm
  visit visits center centre clinic hosp hospital brain glio glioma gbm lgg hgg tumor tumour rad radio radiomics mri ct pet
  flair base baseline followup pre post op ctrl control test train val valid pilot phantom mask seg image img roi label atlas
  template bids brats tcga upenn ucsf ivy cptac rider rembrandt lumiere qin mgmt idh codel grade rano screen screening
  week month year day cycle dose boost chemo tmz bev dual echo dwi adc swi perf dsc dce fet t1 t2 t1c t1ce t1gd
  anon anonymous pseudo id ids no nr num number ref reference sample specimen donor participant enrol enroll
  berlin boston tokyo munich paris london madrid rome milan vienna zurich basel geneva oslo stockholm helsinki
  copenhagen amsterdam brussels warsaw prague istanbul ankara cairo dubai riyadh mumbai delhi beijing shanghai seoul
  osaka kyoto sydney toronto chicago houston seattle denver atlanta dallas miami
  left right whole core edema oedema enhancing necrosis necrotic cavity resection
  fixed size width count linear nearest cubic bspline merged averaged slice direction automatic manual semi
  iterations iteration shrink factor level levels sigma radius kernel threshold smoothing spacing bias field
  correction registration rigid affine deformable skull strip stripping extraction normalisation normalization
  histogram matching zscore mean median std max min sum upper lower first last
`);

/** Eponyms and institutions spelled like personal names; removed before matching. */
const NAME_LIKE_TERMS = [
  'kaplan-meier', 'kaplan meier', 'mann-whitney', 'mann whitney', 'bland-altman', 'bland altman', 'kruskal-wallis', 'kruskal wallis',
  'perona-malik', 'chan-vese', 'nelder-mead', 'levenberg-marquardt', 'gauss-seidel', 'runge-kutta', 'cohen kappa', 'fleiss kappa',
  'max planck', 'max-planck', 'carl zeiss', 'dana-farber', 'dana farber', 'beth israel', 'gustave roussy', 'leon berard', 'marie curie',
  'carl gustav carus', 'johns hopkins', 'sloan kettering', 'ludwig maximilian', 'julius maximilian', 'otto von guericke',
  'friedrich schiller', 'heinrich heine', 'albert ludwig', 'christian albrecht', 'johann wolfgang goethe', 'martin luther',
  'justus liebig', 'georg august', 'eberhard karl', 'carl von ossietzky', 'henry ford', 'rudolf virchow', 'georges pompidou',
  'henri mondor', 'paul strauss', 'niels bohr', 'anna meyer', 'king abdullah', 'king fahad', 'king faisal', 'king khalid',
  'prince sultan', 'sheikh khalifa', 'queen elizabeth', 'queen mary', 'king edward', 'sir run run shaw',
];
const NAME_LIKE_TERMS_RE = new RegExp(`(?<![\\p{L}])(?:${NAME_LIKE_TERMS.map((t) => t.replace(/[-. ]/g, '[-. ]')).join('|')})s?(?![\\p{L}])`, 'giu');

type LetterCase = 'upper' | 'lower' | 'title' | 'mixed';

interface Token {
  raw: string;
  /** Folded: lower-case ASCII. */
  norm: string;
  alpha: boolean;
  letterCase: LetterCase;
}

function letterCaseOf(s: string): LetterCase {
  if (s === s.toUpperCase() && s !== s.toLowerCase()) return 'upper';
  if (s === s.toLowerCase()) return 'lower';
  if (/^\p{Lu}[\p{Ll}']+$/u.test(s)) return 'title';
  return 'mixed';
}

/**
 * Letter and digit groups of a value: split at any separator, between letters and digits,
 * and inside `HansMueller`-style words (only when the whole word is two or three Title-case parts).
 */
function tokenize(value: string): Token[] {
  const out: Token[] = [];
  for (const piece of value.split(/[^\p{L}\p{N}']+/u)) {
    if (!piece) continue;
    for (const run of piece.match(/\p{L}[\p{L}']*|\p{N}+/gu) ?? []) {
      const parts = /^(?:\p{Lu}\p{Ll}+){2,3}$/u.test(run) ? run.match(/\p{Lu}\p{Ll}+/gu)! : [run];
      for (const raw of parts) {
        const alpha = /^\p{L}/u.test(raw);
        out.push({ raw, norm: foldForMatching(raw).replace(/'/g, ''), alpha, letterCase: alpha ? letterCaseOf(raw) : 'lower' });
      }
    }
  }
  return out;
}

/** 0: not a given name; 1: weak (short or ambiguous); 2: strong. */
function givenStrength(t: Token): 0 | 1 | 2 {
  if (!t.alpha || t.norm.length < 2 || DOMAIN_WORDS.has(t.norm) || !GIVEN_NAMES.has(t.norm)) return 0;
  return t.norm.length >= 4 && !AMBIGUOUS_GIVEN_NAMES.has(t.norm) ? 2 : 1;
}

function surnameLike(t: Token): boolean {
  if (!t.alpha || t.norm.length < 2 || DOMAIN_WORDS.has(t.norm)) return false;
  return SURNAMES.has(t.norm) || (t.norm.length >= 4 && t.letterCase !== 'mixed');
}

const isBirthYear = (t: Token): boolean => !t.alpha && t.raw.length === 4 && Number(t.raw) >= 1900 && Number(t.raw) <= 2029;
const nameCased = (t: Token): boolean => t.letterCase === 'title' || t.letterCase === 'lower';

export interface NameFinding {
  rule: string;
}

export interface NameScanOptions {
  /** Identifier rules: a Title-case given name alone is refused too. */
  identifier: boolean;
}

/**
 * Cheap pre-check run before tokenising: does any letter run (split like `tokenize`) hold a
 * listed given name, or an initial beside a listed surname? Most values (ids, enums, versions)
 * hold neither, and every event string passes through here on append.
 */
function mayHoldName(value: string): boolean {
  let initial = false;
  let surname = false;
  for (const run of value.match(/\p{L}+/gu) ?? []) {
    const parts = run.length > 5 && /^(?:\p{Lu}\p{Ll}+){2,3}$/u.test(run) ? run.match(/\p{Lu}\p{Ll}+/gu)! : [run];
    for (const part of parts) {
      const norm = foldForMatching(part);
      if (GIVEN_NAMES.has(norm)) return true;
      if (norm.length === 1) initial = true;
      else if (SURNAMES.has(norm)) surname = true;
    }
  }
  return initial && surname;
}

/** A given-name token paired with a surname-like neighbour, weighed as documented above. */
function namePairIn(value: string, opts: NameScanOptions): NameFinding | null {
  if (!mayHoldName(value)) return null;
  const tokens = tokenize(value);
  if (tokens.length === 0) return null;
  const digitTokens = tokens.filter((t) => !t.alpha);
  const yearPresent = digitTokens.some(isBirthYear) || WEAK_DATE_RE.test(value);
  const onlyYearDigits = digitTokens.every(isBirthYear) || (digitTokens.length > 0 && WEAK_DATE_RE.test(value) && digitTokens.length <= 3);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // "J.Smith-1960": an initial beside a listed surname, with a birth year or written as a name.
    if (t.alpha && t.norm.length === 1) {
      for (const n of [tokens[i - 1], tokens[i + 1]]) {
        if (n && n.norm.length >= 4 && SURNAMES.has(n.norm) && !DOMAIN_WORDS.has(n.norm) && (yearPresent || n.letterCase === 'title')) return { rule: 'initial and surname' };
      }
    }
    const g = givenStrength(t);
    if (g === 0) continue;
    for (const j of [i - 1, i + 1]) {
      const n = tokens[j];
      if (!n) continue;
      if (isBirthYear(n) && (g === 2 || nameCased(t))) return { rule: 'given name next to a year of birth' };
      if (n === t || !surnameLike(n)) continue;
      // Lower-case compounds fill parameter values (fixed-bin-size): both halves must be listed names.
      if (!opts.identifier && t.letterCase === 'lower' && n.letterCase === 'lower' && !(g === 2 && SURNAMES.has(n.norm))) continue;
      const score = g + 1 + (onlyYearDigits ? 1 : 0) + (nameCased(t) && nameCased(n) ? 1 : 0) + (yearPresent ? 1 : 0);
      if (score >= 3) return { rule: j < i ? 'personal name (Surname-Given)' : 'personal name (Given-Surname)' };
    }
    if (opts.identifier && g === 2 && t.letterCase === 'title') return { rule: 'given name (Title case)' };
  }
  return null;
}

/**
 * Lay titles before a capitalised word ("Frau Weber", "Mr Smith"): how notes name a patient.
 * Professional titles (Dr, Prof) name staff, whose names in sealed reasons are expected
 * (ADR 0007: sealed free text, redactable), so they are not refused on the title alone.
 * Case-sensitive on purpose: the word after the title must be capitalised.
 */
const HONORIFIC_RE = /(?<![\p{L}])(?:Mr|Mrs|Ms|MR|MRS|MS|Mme|Mlle|Herr|Frau|HERR|FRAU|Sr|Sra|Srta|Sig|Sig\.ra)\.?\s+\p{Lu}\p{Ll}+/u;

/** Prose: "Given Surname", "Surname, Given", "GIVEN SURNAME", a given name beside a birth year. */
function prosePairIn(text: string): NameFinding | null {
  if (!mayHoldName(text)) return null;
  const wordsIn = text.match(/[\p{L}']+|\p{N}+|,/gu) ?? [];
  const toks = wordsIn.map((raw) => ({ raw, norm: foldForMatching(raw).replace(/'/g, ''), alpha: /^\p{L}/u.test(raw), letterCase: /^\p{L}/u.test(raw) ? letterCaseOf(raw) : ('lower' as LetterCase) }));
  for (let i = 0; i < toks.length; i++) {
    const a = toks[i]!;
    if (a.letterCase !== 'title' && a.letterCase !== 'upper') continue;
    const g = givenStrength(a);
    const b = toks[i + 1];
    const prev = toks[i - 1];
    if (g === 2) {
      if (b && b.letterCase === a.letterCase && surnameLike(b)) return { rule: 'personal name (Given Surname)' };
      if (b && isBirthYear(b)) return { rule: 'given name next to a year of birth' };
      // "Mueller, Hans"
      if (prev?.raw === ',' && toks[i - 2] && toks[i - 2]!.letterCase === a.letterCase && surnameLike(toks[i - 2]!)) return { rule: 'personal name (Surname, Given)' };
    }
    // "Mueller Hans": a listed surname followed by a given name.
    if (g >= 1 && prev && prev.letterCase === a.letterCase && SURNAMES.has(prev.norm) && !DOMAIN_WORDS.has(prev.norm) && !AMBIGUOUS_GIVEN_NAMES.has(prev.norm)) {
      return { rule: 'personal name (Surname Given)' };
    }
  }
  return null;
}

/**
 * Runs `detect` on the value; on a hit, runs it again with the eponyms and institutions removed,
 * so the common case (no name at all) pays for no eponym matching.
 */
function withoutNameLikeTerms(value: string, detect: (v: string) => NameFinding | null): NameFinding | null {
  if (!detect(value)) return null;
  NAME_LIKE_TERMS_RE.lastIndex = 0;
  return NAME_LIKE_TERMS_RE.test(value) ? detect(value.replace(NAME_LIKE_TERMS_RE, ' ')) : detect(value);
}

/** For values that must be pseudonyms (subject ids). */
export function findNameInIdentifier(value: string): NameFinding | null {
  return withoutNameLikeTerms(value, (v) => namePairIn(v, { identifier: true }));
}

/** Letters that may start a name: without an upper-case letter or a joined chunk, free text holds none we refuse. */
const MAY_HOLD_NAME_RE = /\p{Lu}|\p{L}[-_.,]\p{L}|\p{L}\p{N}|\p{N}\p{L}/u;

/** For free text and parameter values: prose pairs, lay titles, and name-shaped chunks. */
export function findNameInFreeText(text: string): NameFinding | null {
  if (!MAY_HOLD_NAME_RE.test(text)) return null;
  return withoutNameLikeTerms(text, freeTextNameIn);
}

function freeTextNameIn(text: string): NameFinding | null {
  if (HONORIFIC_RE.test(text)) return { rule: 'title and capitalised name' };
  const prose = prosePairIn(text);
  if (prose) return prose;
  for (const chunk of text.split(/\s+/)) {
    if (!/[\p{L}\p{N}][-_.,'][\p{L}\p{N}]|\p{L}\p{N}|\p{N}\p{L}|\p{Ll}\p{Lu}/u.test(chunk)) continue;
    const hit = namePairIn(chunk, { identifier: false });
    if (hit) return hit;
  }
  return null;
}
