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
import type { Command } from 'commander';
import { CliFailure } from '../cli-failure.js';
import { loadImage, loadSegmentation, readBytes } from '../image-files.js';

interface ExportOptions {
  format: string;
  image: string;
  mask?: string;
  seg?: string;
  roi: string[];
  out: string;
  algorithm: string;
}

const software = { name: 'RadLedger', version: RADLEDGER_VERSION };
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** DICOM-SEG of a label image: one segment per label value, on the image's series. */
async function exportSeg(options: ExportOptions): Promise<Uint8Array> {
  if (!options.mask) throw new CliFailure('error [USAGE]: --format dicom-seg needs --mask <label image>', 2);
  const image = await loadImage(options.image, 'image');
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
  const image = await loadImage(options.image, 'image');
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
    .description('write a mask as DICOM-SEG, or feature sets as a DICOM SR TID 1500 measurement report (files, no ledger)')
    .requiredOption('--format <format>', 'dicom-seg or dicom-sr')
    .requiredOption('--image <path>', 'the image: a directory of one DICOM series (referenced by the output), or .nii/.nrrd')
    .option('--mask <path>', 'dicom-seg: label image on the image grid (.nii, .nii.gz, .nrrd); one segment per label value')
    .option('--algorithm <type>', 'dicom-seg: SegmentAlgorithmType MANUAL, SEMIAUTOMATIC or AUTOMATIC', 'MANUAL')
    .option('--seg <path>', 'dicom-sr: the DICOM-SEG whose segments the features were computed in')
    .option('--roi <segment=features.json>', 'dicom-sr: a segment number and the `radledger features` JSON computed in it (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .requiredOption('--out <file>', 'where to write the DICOM file')
    .action(async (options: ExportOptions) => {
      try {
        if (!['MANUAL', 'SEMIAUTOMATIC', 'AUTOMATIC'].includes(options.algorithm)) {
          throw new CliFailure(`error [USAGE]: --algorithm must be MANUAL, SEMIAUTOMATIC or AUTOMATIC, got ${options.algorithm}`, 2);
        }
        let bytes: Uint8Array;
        if (options.format === 'dicom-seg') bytes = await exportSeg(options);
        else if (options.format === 'dicom-sr') bytes = await exportSr(options);
        else throw new CliFailure(`error [USAGE]: --format must be dicom-seg or dicom-sr, got ${options.format} (openlineage, fhir and bids-prov are exported elsewhere)`, 2);
        writeFileSync(options.out, bytes);
        process.stdout.write(`${JSON.stringify({ format: options.format, out: options.out, bytes: bytes.length, sha256: sha256(bytes) })}\n`);
      } catch (error) {
        if (error instanceof DomainError) throw new CliFailure(`error [${error.code}]: ${error.message}`, 2);
        throw error;
      }
    });
}
