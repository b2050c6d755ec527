import type { Role } from '@radledger/domain';
import type { Phenotype, ScannerProfile } from '../synthetic/synthetic-brain.js';

/**
 * The demo trial as data: who takes part, which scanners, which subjects, and which of them
 * show the interesting cases (a protocol deviation, edited segmentations, a model update
 * under the change control plan). Every name below is invented; subject ids are pseudonyms.
 */
export const DEMO_SEED = 20261125;
export const DEMO_CLIENT = 'radledger-demo/0.1.0';

export const DEMO_TRIAL = {
  trialId: 'GLIO-RAD-01',
  title: 'GLIO-RAD-01: pre-operative MRI radiomics for molecular status in adult diffuse glioma (synthetic demonstration trial)',
  sponsor: 'RadLedger demonstration consortium',
  phase: 'observational',
} as const;

export interface DemoUser {
  userId: string;
  printedName: string;
  role: Role;
  siteId?: string;
}

export const DEMO_USERS = {
  admin: { userId: 'demo-admin', printedName: 'Demo Administrator', role: 'admin' },
  operatorBer: { userId: 'demo-operator-ber', printedName: 'Lena Hoffmann', role: 'site-operator', siteId: 'SITE-BER' },
  operatorBos: { userId: 'demo-operator-bos', printedName: 'Michael Carter', role: 'site-operator', siteId: 'SITE-BOS' },
  operatorTyo: { userId: 'demo-operator-tyo', printedName: 'Yuki Tanaka', role: 'site-operator', siteId: 'SITE-TYO' },
  operatorMil: { userId: 'demo-operator-mil', printedName: 'Giulia Romano', role: 'site-operator', siteId: 'SITE-MIL' },
  operatorSyd: { userId: 'demo-operator-syd', printedName: 'Liam O\'Connor', role: 'site-operator', siteId: 'SITE-SYD' },
  /** Central second reader (neuroradiologist) who corrects automatic segmentations. */
  reader: { userId: 'demo-second-reader', printedName: 'Dr. Sofia Marques', role: 'site-operator' },
  /** Central independent reader (neuroradiologist): contours for the reliability study and RANO reads. */
  readerB: { userId: 'demo-independent-reader', printedName: 'Dr. Kwame Mensah', role: 'site-operator' },
  dataScientist: { userId: 'demo-data-scientist', printedName: 'Dr. Arjun Mehta', role: 'data-scientist' },
  /** Independent statistician of the imaging core lab: validates model versions she did not develop. */
  validator: { userId: 'demo-validator', printedName: 'Dr. Ingrid Solberg', role: 'qa' },
  qa: { userId: 'demo-qa', printedName: 'Claire Dubois', role: 'qa' },
  regulatory: { userId: 'demo-regulatory', printedName: 'Dr. Henrik Larsen', role: 'regulatory' },
  monitor: { userId: 'demo-monitor', printedName: 'Grace Okafor', role: 'monitor' },
} as const satisfies Record<string, DemoUser>;

export interface DemoScanner extends ScannerProfile {
  model: string;
  t1c: { trMs: number; teMs: number; sliceThicknessMm: number };
  flair: { trMs: number; teMs: number; sliceThicknessMm: number };
}

/** Typical vendor protocols: 2-D spin-echo T1 after gadolinium and 2-D/3-D FLAIR. */
const SCANNERS = {
  prisma: { vendor: 'Siemens', model: 'MAGNETOM Prisma', fieldStrengthT: 3, t1c: { trMs: 550, teMs: 8.9, sliceThicknessMm: 2 }, flair: { trMs: 9000, teMs: 81, sliceThicknessMm: 2 } },
  aera: { vendor: 'Siemens', model: 'MAGNETOM Aera', fieldStrengthT: 1.5, t1c: { trMs: 600, teMs: 11, sliceThicknessMm: 2 }, flair: { trMs: 9000, teMs: 86, sliceThicknessMm: 2 } },
  premier: { vendor: 'GE', model: 'SIGNA Premier', fieldStrengthT: 3, t1c: { trMs: 500, teMs: 10, sliceThicknessMm: 2 }, flair: { trMs: 10000, teMs: 118, sliceThicknessMm: 2 } },
  artist: { vendor: 'GE', model: 'SIGNA Artist', fieldStrengthT: 1.5, t1c: { trMs: 650, teMs: 12, sliceThicknessMm: 2 }, flair: { trMs: 9500, teMs: 120, sliceThicknessMm: 2 } },
  elition: { vendor: 'Philips', model: 'Ingenia Elition X', fieldStrengthT: 3, t1c: { trMs: 520, teMs: 9.5, sliceThicknessMm: 2 }, flair: { trMs: 11000, teMs: 125, sliceThicknessMm: 2 } },
  ingenia: { vendor: 'Philips', model: 'Ingenia', fieldStrengthT: 1.5, t1c: { trMs: 580, teMs: 14, sliceThicknessMm: 2 }, flair: { trMs: 8000, teMs: 140, sliceThicknessMm: 2 } },
} as const satisfies Record<string, DemoScanner>;

export interface DemoSite {
  siteId: string;
  name: string;
  operator: DemoUser;
  scanners: readonly DemoScanner[];
  /** Development sites give the training partition; held-out sites are the sequestered test data the models are validated on. */
  role: 'development' | 'held-out';
  /** Subjects at this site, at most (default: the demo's subjects per site). */
  maxSubjects?: number;
}

export const DEMO_SITES: readonly DemoSite[] = [
  { siteId: 'SITE-BER', name: 'Berlin university neuroradiology (demo)', operator: DEMO_USERS.operatorBer, scanners: [SCANNERS.prisma, SCANNERS.aera], role: 'development' },
  { siteId: 'SITE-BOS', name: 'Boston brain tumour imaging centre (demo)', operator: DEMO_USERS.operatorBos, scanners: [SCANNERS.premier, SCANNERS.artist], role: 'development' },
  { siteId: 'SITE-TYO', name: 'Tokyo neuro-oncology imaging unit (demo)', operator: DEMO_USERS.operatorTyo, scanners: [SCANNERS.elition, SCANNERS.ingenia], role: 'held-out' },
  // Two more held-out centres, smaller, so that three independent sites (Lohmann et al. 2022) validate each model before its lock.
  { siteId: 'SITE-MIL', name: 'Milan neuro-oncology imaging centre (demo)', operator: DEMO_USERS.operatorMil, scanners: [SCANNERS.artist, SCANNERS.prisma], role: 'held-out', maxSubjects: 2 },
  { siteId: 'SITE-SYD', name: 'Sydney brain tumour imaging service (demo)', operator: DEMO_USERS.operatorSyd, scanners: [SCANNERS.ingenia, SCANNERS.premier], role: 'held-out', maxSubjects: 2 },
];

/** Imaging protocol (one per modality). No field strength: 1.5 T and 3 T are both allowed. */
export const DEMO_PROTOCOLS = [
  {
    protocolId: 'GLIO-RAD-01-T1C-v1',
    modality: 'T1c',
    trMs: { min: 400, max: 800 },
    teMs: { min: 5, max: 20 },
    contrast: { agent: 'gadobutrol 0.1 mmol/kg', injectionRateMlPerS: { min: 2, max: 5 }, delayS: { min: 60, max: 120 } },
  },
  { protocolId: 'GLIO-RAD-01-FLAIR-v1', modality: 'FLAIR', trMs: { min: 6000, max: 12000 }, teMs: { min: 75, max: 150 } },
] as const;

export interface DemoSubject {
  subjectId: string;
  site: DemoSite;
  scanner: DemoScanner;
  phenotype: Phenotype;
  contrast: { agent: string; injectionRateMlPerS: number; delayS: number };
  /** The second reader corrects the automatic whole-tumour segmentation after QC asks for it. */
  editedBySecondReader: boolean;
  /** The accepted automatic segmentation is corrected after QC (what QA audits: edits after acceptance). */
  correctedAfterQc: boolean;
  partition: 'train' | 'test';
  /**
   * The reference standard (synthetic molecular pathology) the validation scores the models against:
   * IDH from the phenotype the volume was drawn with; MGMT methylated for every IDH-mutant-like and
   * every other IDH-wildtype-like subject (IDH-mutant gliomas are mostly MGMT-methylated).
   */
  reference: { idhMutant: boolean; mgmtMethylated: boolean };
  /** Motion during the FLAIR: the image fails QC and is excluded from feature sets. */
  flairGhost: number | null;
}

/** The acquisition outside the protocol: post-contrast T1 started late (150 s > 60–120 s). */
export const DEVIATING_SUBJECT = 'GRA-TYO-003';
/** The segmentation corrected after it had passed QC. */
export const POST_QC_CORRECTION_SUBJECT = 'GRA-BOS-002';
/** The FLAIR with a motion ghost (5% N/2 along phase encoding): fails image QC. */
export const QC_FAILURE_SUBJECT = 'GRA-BOS-003';
/** Followed after chemoradiotherapy by both central readers under RANO 2.0: progression, preliminary then confirmed. */
export const RANO_SUBJECT = 'GRA-BER-002';
/**
 * RANO 2.0 follow-up of RANO_SUBJECT (study days; radiotherapy ended on day 42): the post-radiotherapy
 * baseline, growth within 12 weeks of radiotherapy (preliminary PD: could be pseudoprogression),
 * further growth 28 days later (confirmed). `scale` multiplies the tumour radii of the baseline head.
 */
export const RANO_TIMEPOINTS = [
  { timepointId: 'BL', studyDay: 70, scale: 1 },
  { timepointId: 'F1', studyDay: 112, scale: 1.15 },
  { timepointId: 'F2', studyDay: 140, scale: 1.3 },
] as const;
export const RADIOTHERAPY_END_STUDY_DAY = 42;

export function demoSubjects(subjectsPerSite = 4): DemoSubject[] {
  const subjects: DemoSubject[] = [];
  DEMO_SITES.forEach((site, s) => {
    for (let i = 1; i <= Math.min(subjectsPerSite, site.maxSubjects ?? subjectsPerSite); i++) {
      const subjectId = `GRA-${site.siteId.slice(5)}-${String(i).padStart(3, '0')}`;
      const phenotype: Phenotype = (i + s) % 2 === 0 ? 'mutant-like' : 'wildtype-like';
      subjects.push({
        subjectId,
        site,
        scanner: site.scanners[(i - 1) % site.scanners.length]!,
        // Alternating phenotypes, offset per site, so every site has both and ~half are mutant-like.
        phenotype,
        contrast: { agent: 'gadobutrol 0.1 mmol/kg', injectionRateMlPerS: i % 2 ? 3 : 4, delayS: subjectId === DEVIATING_SUBJECT ? 150 : 90 },
        editedBySecondReader: i % 2 === 1,
        correctedAfterQc: subjectId === POST_QC_CORRECTION_SUBJECT,
        // Sequestration (FDA AI-enabled device software draft guidance §VIII): held-out sites are the test partition.
        partition: site.role === 'held-out' ? 'test' : 'train',
        reference: { idhMutant: phenotype === 'mutant-like', mgmtMethylated: phenotype === 'mutant-like' || i % 4 === 1 },
        flairGhost: subjectId === QC_FAILURE_SUBJECT ? 0.05 : null,
      });
    }
  });
  return subjects;
}
