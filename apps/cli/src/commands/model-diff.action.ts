import { loadAggregate, modelsDecider, streamIds } from '@radledger/domain';
import { CliFailure } from '../cli-failure.js';
import { openCliRuntime } from '../cli-runtime.js';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';

export type ModelDiffOptions = StoreFlags;

/** `<modelId>@<version>` */
function parseRef(ref: string, what: string): { modelId: string; version: string } {
  const at = ref.lastIndexOf('@');
  if (at <= 0 || at === ref.length - 1) throw new CliFailure(`${what}: expected <modelId>@<version>, got "${ref}"`, 2);
  return { modelId: ref.slice(0, at), version: ref.slice(at + 1) };
}

export async function modelDiff(testedRef: string, releasedRef: string, options: ModelDiffOptions): Promise<void> {
  const tested = parseRef(testedRef, 'tested');
  const released = parseRef(releasedRef, 'released');
  const runtime = await openCliRuntime(resolveLocations(options));
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
}
