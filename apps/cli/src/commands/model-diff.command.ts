import type { Command } from 'commander';
import { loadAggregate, modelsDecider, streamIds } from '@radledger/domain';
import { CliFailure } from '../cli-failure.js';
import { storeOption } from './ledger-cli.options.js';
import { dataDirOption, openCliRuntime } from './runtime-cli.options.js';

/** `<modelId>@<version>` */
function parseRef(ref: string, what: string): { modelId: string; version: string } {
  const at = ref.lastIndexOf('@');
  if (at <= 0 || at === ref.length - 1) throw new CliFailure(`${what}: expected <modelId>@<version>, got "${ref}"`, 2);
  return { modelId: ref.slice(0, at), version: ref.slice(at + 1) };
}

/**
 * Compares the version that was validated with the one that was locked (FDA AI-enabled
 * device software draft guidance: the released algorithm must be the tested one). Any
 * difference in bytes, inputs, decision rule or training lineage is a post-hoc change.
 */
export function register(program: Command): void {
  program
    .command('model-diff')
    .description('differences between a tested and a released model version: <modelId>@<version> <modelId>@<version>')
    .argument('<tested>')
    .argument('<released>')
    .addOption(storeOption())
    .addOption(dataDirOption())
    .action(async (testedRef: string, releasedRef: string, opts: { store: string; dataDir: string }) => {
      const tested = parseRef(testedRef, 'tested');
      const released = parseRef(releasedRef, 'released');
      const runtime = await openCliRuntime(opts);
      try {
        const registration = async (ref: { modelId: string; version: string }) => {
          const model = await loadAggregate(runtime.store, streamIds.model(ref.modelId), modelsDecider);
          const event = model.events.find((e) => e.type === 'ModelRegistered' && (e.data as { version?: string }).version === ref.version);
          if (!event) throw new CliFailure(`model ${ref.modelId} has no version ${ref.version}`, 2);
          const validations = model.events.filter((e) => e.type === 'ModelValidationRecorded' && (e.data as { version?: string }).version === ref.version);
          return { data: event.data as Record<string, unknown>, validations: validations.map((v) => v.data as Record<string, unknown>) };
        };
        const a = await registration(tested);
        const b = await registration(released);
        const compared = ['artifactSha256', 'featureCodes', 'decisionRule', 'inputs', 'outputs', 'trainingLineage', 'intendedUse'];
        const differences = compared
          .filter((key) => JSON.stringify(a.data[key]) !== JSON.stringify(b.data[key]))
          .map((key) => ({ field: key, tested: a.data[key], released: b.data[key] }));
        const validatedHashes = a.validations.map((v) => v['validatedSha256']);
        const report = {
          tested: testedRef,
          released: releasedRef,
          identical: differences.length === 0,
          postHocChange: differences.length > 0,
          releasedBytesWereValidated: validatedHashes.includes(b.data['artifactSha256']),
          differences,
        };
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (report.postHocChange) process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });
}
