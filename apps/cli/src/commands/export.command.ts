import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DomainError } from '@radledger/platform';
import { RADLEDGER_VERSION } from '@radledger/application';
import {
  RadiomicsInputError,
  ibsiKeyedFeatures,
  maskFromLabels,
  writeDicomSeg,
  writeDicomSr,
  type FeatureValues,
  type SegmentInput,
} from '@radledger/radiomics';
import { Option, type Command } from 'commander';
import { CliFailure } from '../cli-failure.js';
import { loadImage, loadSegmentation, readBytes } from '../image-files.js';
import { storeOption } from './ledger-cli.options.js';
import { dataDirOption } from './runtime-cli.options.js';
import { exportInterop, INTEROP_CLI_FORMATS, type InteropExportOptions } from './interop-export.js';
import { exportLedgerSr } from './ledger-sr-export.js';

interface ExportOptions extends Omit<InteropExportOptions, 'format'> {
  format: string;
  image?: string;
  mask?: string;
  seg?: string;
  roi: string[];
  out?: string;
  algorithm: string;
  featureSet: string[];
}

const software = { name: 'RadLedger', version: RADLEDGER_VERSION };
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

function requireImage(options: ExportOptions): string {
  if (!options.image) throw new CliFailure(`error [USAGE]: --format ${options.format} needs --image <series or volume>`, 2);
  return options.image;
}

/** DICOM-SEG of a label image: one segment per label value, on the image's series. */
async function exportSeg(options: ExportOptions): Promise<Uint8Array> {
  if (!options.mask) throw new CliFailure('error [USAGE]: --format dicom-seg needs --mask <label image>', 2);
  const image = await loadImage(requireImage(options), 'image');
  const maskBytes = readBytes(options.mask, 'mask');
  const labels = await loadImage(options.mask, 'mask');
  const values = [...new Set(labels.volume.data)].filter((v) => v !== 0 && Number.isFinite(v)).sort((a, b) => a - b);
  if (values.length === 0) throw new RadiomicsInputError('MASK_EMPTY', `--mask ${options.mask} has no nonzero voxel`);
  const segments: SegmentInput[] = values.map((v, k) => ({
    number: k + 1,
    label: `label ${v}`,
    mask: maskFromLabels(labels, v).data,
    algorithmType: options.algorithm === 'MANUAL' ? 'MANUAL' : (options.algorithm as 'AUTOMATIC' | 'SEMIAUTOMATIC'),
    ...(options.algorithm === 'MANUAL' ? {} : { algorithmName: 'recorded mask' }),
  }));
  return writeDicomSeg({
    geometry: image.geometry,
    segments,
    ...(image.dicom ? { source: image.dicom } : {}),
    createdAt: new Date(),
    uidSeed: sha256(maskBytes),
    software,
  }).bytes;
}

/** DICOM SR TID 1500: one measurement group per --roi <segment>=<features.json>. */
async function exportSr(options: ExportOptions): Promise<Uint8Array> {
  if (!options.seg) throw new CliFailure('error [USAGE]: --format dicom-sr needs --seg <DICOM-SEG of the image>', 2);
  if (options.roi.length === 0) throw new CliFailure('error [USAGE]: --format dicom-sr needs at least one --roi <segment number>=<features.json>', 2);
  const image = await loadImage(requireImage(options), 'image');
  const seg = loadSegmentation(options.seg, image, 'seg');
  if (!seg) throw new RadiomicsInputError('DICOM_SEG_INVALID', `--seg ${options.seg} is not a DICOM-SEG`);
  const groups = options.roi.map((roi) => {
    const match = /^(\d+)=(.+)$/.exec(roi);
    if (!match) throw new CliFailure(`error [USAGE]: --roi must be <segment number>=<features.json>, got ${roi}`, 2);
    const number = Number(match[1]);
    const segment = seg.segments.find((s) => s.number === number);
    if (!segment) throw new RadiomicsInputError('MASK_EMPTY', `--roi ${roi}: ${options.seg} has no segment ${number}`);
    let parsed: { features?: FeatureValues; ibsiKeys?: Record<string, string> };
    try {
      parsed = JSON.parse(new TextDecoder().decode(readBytes(match[2]!, 'roi'))) as typeof parsed;
    } catch (error) {
      throw new CliFailure(`error [USAGE]: --roi ${roi}: not the JSON of \`radledger features\` (${(error as Error).message})`, 2);
    }
    if (!parsed.features) throw new CliFailure(`error [USAGE]: --roi ${roi}: no "features" object (the output of \`radledger features\`)`, 2);
    return {
      trackingIdentifier: segment.label,
      segment: { sopInstanceUid: seg.sopInstanceUid, segmentNumber: number, seriesInstanceUid: seg.seriesInstanceUid },
      ...(segment.type ? { finding: segment.type } : {}),
      // JSON null is an undefined feature (NaN).
      features: ibsiKeyedFeatures({ features: Object.fromEntries(Object.entries(parsed.features).map(([k, v]) => [k, v ?? NaN])), ...(parsed.ibsiKeys ? { ibsiKeys: parsed.ibsiKeys } : {}) }),
    };
  });
  return writeDicomSr({
    groups,
    ...(image.dicom ? { source: image.dicom } : {}),
    createdAt: new Date(),
    uidSeed: sha256(`${seg.sopInstanceUid}\n${options.roi.join('\n')}\n${groups.map((g) => JSON.stringify(g.features)).join('\n')}`),
    software,
    algorithm: { name: 'RadLedger IBSI feature extractor', version: RADLEDGER_VERSION },
  }).bytes;
}

export function register(program: Command): void {
  program
    .command('export')
    .description(
      'write a mask as DICOM-SEG or feature sets as a DICOM SR TID 1500 report (from files), or a trial\'s provenance from a ledger as OpenLineage RunEvents, a FHIR R4 Bundle or BIDS-Prov files',
    )
    .requiredOption('--format <format>', 'dicom-seg, dicom-sr, openlineage, fhir or bids-prov')
    .option('--image <path>', 'dicom-seg/dicom-sr: the image: a directory of one DICOM series (referenced by the output), or .nii/.nrrd')
    .option('--mask <path>', 'dicom-seg: label image on the image grid (.nii, .nii.gz, .nrrd); one segment per label value')
    .option('--algorithm <type>', 'dicom-seg: SegmentAlgorithmType MANUAL, SEMIAUTOMATIC or AUTOMATIC', 'MANUAL')
    .option('--seg <path>', 'dicom-sr: the DICOM-SEG whose segments the features were computed in')
    .option('--roi <segment=features.json>', 'dicom-sr: a segment number and the `radledger features` JSON computed in it (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--feature-set <id>', 'dicom-sr from a ledger (--store, --data-dir): a recorded feature set to report (repeatable; one image)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--out <path>', 'the file to write (a directory for bids-prov)')
    .option('--trial <id>', 'openlineage/fhir/bids-prov: the trial')
    .option('--site <id>', 'openlineage/fhir/bids-prov: only this site')
    .option('--subject <id>', 'openlineage/fhir: only this subject; bids-prov: the subject (required)')
    .addOption(storeOption())
    .addOption(new Option('--read-store <url>', "read-model store: sqlite:<path> | postgres://… (default: the event store's database)").default(process.env['RADLEDGER_READ_STORE']))
    .addOption(dataDirOption())
    .option('--namespace <ns>', 'openlineage: dataset namespace (jobs: <ns>/<trial>)', 'radledger')
    .option('--push <url>', 'openlineage: POST each event to this OpenLineage endpoint (<url>/api/v1/lineage; bearer RADLEDGER_OPENLINEAGE_API_KEY)')
    .option('--blind', "openlineage/fhir/bids-prov: decisions without their values, as a blinded trial's monitor sees them", false)
    .action(async (options: ExportOptions) => {
      try {
        if (options.format in INTEROP_CLI_FORMATS) {
          await exportInterop(options);
          return;
        }
        if (!['MANUAL', 'SEMIAUTOMATIC', 'AUTOMATIC'].includes(options.algorithm)) {
          throw new CliFailure(`error [USAGE]: --algorithm must be MANUAL, SEMIAUTOMATIC or AUTOMATIC, got ${options.algorithm}`, 2);
        }
        if (!options.out) throw new CliFailure(`error [USAGE]: --format ${options.format} needs --out <file>`, 2);
        if (options.format === 'dicom-sr' && options.featureSet.length > 0) {
          process.stdout.write(`${JSON.stringify({ format: options.format, ...(await exportLedgerSr({ featureSet: options.featureSet, store: options.store, dataDir: options.dataDir, out: options.out })) })}\n`);
          return;
        }
        let bytes: Uint8Array;
        if (options.format === 'dicom-seg') bytes = await exportSeg(options);
        else if (options.format === 'dicom-sr') bytes = await exportSr(options);
        else throw new CliFailure(`error [USAGE]: --format must be dicom-seg, dicom-sr, openlineage, fhir or bids-prov, got ${options.format}`, 2);
        writeFileSync(options.out, bytes);
        process.stdout.write(`${JSON.stringify({ format: options.format, out: options.out, bytes: bytes.length, sha256: sha256(bytes) })}\n`);
      } catch (error) {
        if (error instanceof DomainError) throw new CliFailure(`error [${error.code}]: ${error.message}`, 2);
        throw error;
      }
    });
}
