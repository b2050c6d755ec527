import type { Command } from 'commander';
import type { FeaturesOptions } from './features.action.js';

/** `features`: IBSI features of an image inside a mask, from files (opens no ledger). */
export function register(program: Command): void {
  program
    .command('features')
    .description('compute IBSI radiomics features of an image inside a mask (no ledger); prints { settings, features, names }')
    .requiredOption('--image <path>', 'image: .nii, .nii.gz, .nrrd, .nhdr, or a directory of one DICOM series')
    .requiredOption('--mask <path>', 'mask: .nii, .nii.gz, .nrrd or .nhdr label image on the image grid, or a DICOM-SEG of the image series')
    .option('--settings <file>', 'IBSI settings JSON (schemas/radiomics-settings.schema.json); default: FBN 32, no resampling')
    .option('--label <n>', 'mask label (DICOM-SEG: segment number) to use (default: any nonzero voxel / every segment)')
    .option('--format <format>', 'json or csv', 'json')
    .option('--compat <mode>', 'ibsi (IBSI codes as keys) or pyradiomics (PyRadiomics conventions and names; without --settings: binWidth 25, voxelArrayShift 0)', 'ibsi')
    .action(async (options: FeaturesOptions) => (await import('./features.action.js')).features(options));
}
