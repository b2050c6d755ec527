import type { Command } from 'commander';
import type { ExportOptions } from './export.action.js';
import { addStoreOptions } from './store-cli.options.js';

export function register(program: Command): void {
  const exportCommand = program
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
    .option('--subject <id>', 'openlineage/fhir: only this subject; bids-prov: the subject (required)');
  addStoreOptions(exportCommand)
    .option('--namespace <ns>', 'openlineage: dataset namespace (jobs: <ns>/<trial>)', 'radledger')
    .option('--push <url>', 'openlineage: POST each event to this OpenLineage endpoint (<url>/api/v1/lineage; bearer RADLEDGER_OPENLINEAGE_API_KEY)')
    .option('--blind', "openlineage/fhir/bids-prov: decisions without their values, as a blinded trial's monitor sees them", false)
    .action(async (options: ExportOptions) => (await import('./export.action.js')).runExport(options));
}
