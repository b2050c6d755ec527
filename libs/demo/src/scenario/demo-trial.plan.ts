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
  /** Central second reader (neuroradiologist) who corrects automatic segmentations. */
  reader: { userId: 'demo-second-reader', printedName: 'Dr. Sofia Marques', role: 'site-operator' },
  dataScientist: { userId: 'demo-data-scientist', printedName: 'Dr. Arjun Mehta', role: 'data-scientist' },
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
}

export const DEMO_SITES: readonly DemoSite[] = [
  { siteId: 'SITE-BER', name: 'Berlin university neuroradiology (demo)', operator: DEMO_USERS.operatorBer, scanners: [SCANNERS.prisma, SCANNERS.aera] },
  { siteId: 'SITE-BOS', name: 'Boston brain tumour imaging centre (demo)', operator: DEMO_USERS.operatorBos, scanners: [SCANNERS.premier, SCANNERS.artist] },
  { siteId: 'SITE-TYO', name: 'Tokyo neuro-oncology imaging unit (demo)', operator: DEMO_USERS.operatorTyo, scanners: [SCANNERS.elition, SCANNERS.ingenia] },
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
}

/** The acquisition outside the protocol: post-contrast T1 started late (150 s > 60–120 s). */
export const DEVIATING_SUBJECT = 'GRA-TYO-003';
/** The segmentation corrected after it had passed QC. */
export const POST_QC_CORRECTION_SUBJECT = 'GRA-BOS-002';

export function demoSubjects(subjectsPerSite = 4): DemoSubject[] {
  const subjects: DemoSubject[] = [];
  DEMO_SITES.forEach((site, s) => {
    for (let i = 1; i <= subjectsPerSite; i++) {
      const subjectId = `GRA-${site.siteId.slice(5)}-${String(i).padStart(3, '0')}`;
      subjects.push({
        subjectId,
        site,
        scanner: site.scanners[(i - 1) % site.scanners.length]!,
        // Alternating phenotypes, offset per site, so every site has both and ~half are mutant-like.
        phenotype: (i + s) % 2 === 0 ? 'mutant-like' : 'wildtype-like',
        contrast: { agent: 'gadobutrol 0.1 mmol/kg', injectionRateMlPerS: i % 2 ? 3 : 4, delayS: subjectId === DEVIATING_SUBJECT ? 150 : 90 },
        editedBySecondReader: i % 2 === 1,
        correctedAfterQc: subjectId === POST_QC_CORRECTION_SUBJECT,
        // Sequestration (FDA AI-enabled device software draft guidance §VIII): one site is held out for testing.
        partition: site.siteId === 'SITE-TYO' ? 'test' : 'train',
      });
    }
  });
  return subjects;
}
