import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '@radledger/platform';
import {
  assertSameGrid,
  defaultRadiomicsSettings,
  extractFeatures,
  featureDefinitionOf,
  maskFromLabels,
  parseRadiomicsSettings,
  readDicomSeries,
  readNifti,
  RadiomicsInputError,
  sniffFormat,
  type FeatureExtraction,
  type LoadedImage,
  type RadiomicsSettings,
} from '@radledger/radiomics';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { CliFailure } from '../cli-failure.js';

interface FeaturesOptions {
  image: string;
  mask: string;
  settings?: string;
  label?: string;
  format: string;
}

function readBytes(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new CliFailure(`error [FILE_NOT_FOUND]: --${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  }
}

/** A NIfTI file, or a directory holding one DICOM series. */
export function loadImage(path: string, what: string): LoadedImage {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new CliFailure(`error [FILE_NOT_FOUND]: --${what} ${path} does not exist`, 2);
  }
  if (isDir) {
    const files = readdirSync(path)
      .sort()
      .map((name) => ({ name, bytes: readBytes(join(path, name), what) }))
      .filter((f) => sniffFormat(f.bytes) === 'dicom');
    if (files.length === 0) {
      throw new RadiomicsInputError('IMAGE_UNREADABLE', `--${what} ${path}: the directory holds no DICOM file`);
    }
    return readDicomSeries(files);
  }
  const bytes = readBytes(path, what);
  const format = sniffFormat(bytes);
  if (format === 'dicom') return readDicomSeries([{ name: path, bytes }]);
  return readNifti(bytes, path);
}

function loadSettings(path: string | undefined): RadiomicsSettings {
  if (!path) return defaultRadiomicsSettings();
  const text = new TextDecoder().decode(readBytes(path, 'settings'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RadiomicsInputError('SETTINGS_INVALID', `--settings ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseRadiomicsSettings(parsed);
}

const jsonNumber = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isFinite(value) ? null : value;

const csvField = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function toCsv(result: FeatureExtraction): string {
  const lines = ['key,value,name,pyradiomics_name'];
  for (const [key, value] of Object.entries(result.features)) {
    const py = featureDefinitionOf(key)?.definition.pyradiomicsName ?? '';
    lines.push([key, Number.isFinite(value) ? String(value) : '', result.names[key] ?? '', py].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

async function run(options: FeaturesOptions): Promise<void> {
  if (options.format !== 'json' && options.format !== 'csv') {
    throw new CliFailure(`error [USAGE]: --format must be json or csv, got ${options.format}`, 2);
  }
  let label: number | undefined;
  if (options.label !== undefined) {
    label = Number(options.label);
    if (!Number.isInteger(label)) throw new CliFailure(`error [USAGE]: --label must be an integer, got ${options.label}`, 2);
  }
  const settings = loadSettings(options.settings);
  const image = loadImage(options.image, 'image');
  const maskImage = loadImage(options.mask, 'mask');
  if (image.format !== 'dicom' && maskImage.format !== 'dicom') assertSameGrid(image.geometry, maskImage.geometry);
  const mask = maskFromLabels(maskImage, label);

  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: 'features [{bar}] {value}/{total} {step}', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let result: FeatureExtraction;
  try {
    result = extractFeatures(image.volume, mask, settings, ({ step, done, total }) => {
      if (!bar) return;
      if (done === 0) bar.start(total, 0, { step });
      else bar.update(done, { step });
    });
    bar?.update(settings.families.length + 1, { step: 'done' });
  } finally {
    bar?.stop();
  }
  process.stdout.write(options.format === 'csv' ? toCsv(result) : `${JSON.stringify(result, jsonNumber, 2)}\n`);
}

export function register(program: Command): void {
  program
    .command('features')
    .description('compute IBSI radiomics features of an image inside a mask (no ledger); prints { settings, features, names }')
    .requiredOption('--image <path>', 'image: .nii, .nii.gz, or a directory of one DICOM series')
    .requiredOption('--mask <path>', 'mask: .nii or .nii.gz on the image grid')
    .option('--settings <file>', 'IBSI settings JSON (schemas/radiomics-settings.schema.json); default: FBN 32, no resampling')
    .option('--label <n>', 'mask label to use (default: any nonzero voxel)')
    .option('--format <format>', 'json or csv', 'json')
    .action(async (options: FeaturesOptions) => {
      try {
        await run(options);
      } catch (error) {
        if (error instanceof DomainError) throw new CliFailure(`error [${error.code}]: ${error.message}`, 2);
        throw error;
      }
    });
}
