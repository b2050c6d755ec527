import { IllegalStateError, NotFoundError } from '@radledger/platform';
import type { EventStore } from '@radledger/ledger';
import {
  featuresDecider,
  loadAggregate,
  modelsDecider,
  streamIds,
  type CommandMetadata,
  type CommandResult,
  type CommandService,
  type DecisionRule,
  type ModelVersionState,
} from '@radledger/domain';
import { explanationDifferences, type DecisionExplainer, type LockedModelRunner, type ModelDecision, type RecordedExplanation } from '@radledger/inference';

export interface RegisterModelInput {
  modelId: string;
  version: string;
  artifactSha256: string;
  intendedUse: string;
  featureCodes: string[];
  decisionRule: DecisionRule;
  inputModality?: string;
  trainingLineage: { featureSetIds: string[]; trialIds: string[]; partitions: Array<'train' | 'tune' | 'test'> };
  performance: Array<{ metric: string; value: number; ciLower?: number; ciUpper?: number; dataset: string }>;
  /** Reference rows (an uploaded artifact) the version's decisions are explained against. */
  explanationReference?: { artifactSha256: string };
}

export interface MakeDecisionInput {
  decisionId?: string;
  modelId: string;
  modelVersion: string;
  featureSetId: string;
  subjectId?: string;
}

export interface DecisionReproduction {
  decisionId: string;
  status: 'MATCH' | 'MISMATCH' | 'NOT_REPRODUCIBLE';
  reason?: string;
  recorded: { decision: string; outputs: Record<string, number>; modelSha256: string; explanation: RecordedExplanation | null };
  recomputed?: { decision: string; outputs: Record<string, number>; modelSha256: string; explanation: RecordedExplanation | null };
  differences: string[];
}

/** What a decision re-run needs: the bytes the decision names and the registered version (ModelRegistered data satisfies `model`). */
export interface DecisionRerunInput {
  decision: { modelSha256: string };
  model: ModelVersionSpec;
  features: Record<string, number>;
}

/** The registered version's inputs and locked decision rule. */
export type ModelVersionSpec = Pick<ModelVersionState, 'version' | 'featureCodes'> & { decisionRule?: DecisionRule | null };

export interface DecisionRerun {
  decision: string;
  outputs: Record<string, number>;
  /** The sha256 the runner verified before running (it refuses other bytes: MODEL_HASH_MISMATCH). */
  modelSha256: string;
  /** The input row as fed to the model (float32 values, input order). */
  inputs: number[];
}

/** `name` for single-value outputs, `name.i` otherwise; plus `probability` as the runner read it. */
export function flattenOutputs(decision: ModelDecision): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, values] of Object.entries(decision.outputs)) {
    if (values.length === 1) out[name] = values[0]!;
    else values.forEach((v, i) => (out[`${name}.${i}`] = v));
  }
  if (!('probability' in out)) out.probability = decision.probability;
  return out;
}

/**
 * Locked algorithms end to end: registration reads the ONNX signature with onnxruntime, a
 * decision runs only the locked bytes (re-hashed; MODEL_HASH_MISMATCH otherwise) on a
 * recorded feature set mapped by IBSI code, and any decision can be re-run and compared.
 */
export class ModelService {
  constructor(private readonly deps: { store: EventStore; commands: CommandService; runner: LockedModelRunner; explainer: DecisionExplainer }) {}

  async register(input: RegisterModelInput, metadata: CommandMetadata): Promise<CommandResult> {
    const signature = await this.deps.runner.verifyModel(input.artifactSha256);
    // A reference is checked against the bytes now (graph explainable exactly, inputs match, every tree node reached), not at the first decision.
    const reference = input.explanationReference
      ? { artifactSha256: input.explanationReference.artifactSha256, ...(await this.deps.explainer.checkReference(input.artifactSha256, input.explanationReference.artifactSha256, input.featureCodes)) }
      : null;
    return this.deps.commands.execute(
      {
        type: 'RegisterModel',
        data: {
          ...input,
          explanationReference: reference,
          inputs: signature.inputs.map((t) => ({ name: t.name, type: t.type, shape: [...t.shape] })),
          outputs: signature.outputs.map((t) => ({ name: t.name, type: t.type, shape: [...t.shape] })),
        } as never,
      },
      metadata,
    );
  }

  async decide(input: MakeDecisionInput, metadata: CommandMetadata): Promise<CommandResult> {
    const { version, featureSet } = await this.lockedVersionFor(input);
    const decision = await this.deps.runner.decide(specOf(version, version.artifactSha256), featureSet.features);
    const explanation = await this.explain(version, decision.verifiedSha256, decision.inputs);
    return this.deps.commands.execute(
      {
        type: 'MakeDecision',
        data: {
          ...(input.decisionId ? { decisionId: input.decisionId } : {}),
          modelId: input.modelId,
          modelVersion: input.modelVersion,
          modelSha256: decision.verifiedSha256,
          featureSetId: input.featureSetId,
          ...(input.subjectId ? { subjectId: input.subjectId } : {}),
          outputs: flattenOutputs(decision),
          threshold: decision.threshold,
          decision: decision.decision,
          explanation,
        },
      },
      metadata,
    );
  }

  /** The decision's explanation from the bytes that ran and the version's reference (none when the version registered none). */
  private async explain(version: ModelVersionState, modelSha256: string, row: readonly number[]): Promise<RecordedExplanation | null> {
    const reference = version.explanationReference ?? null;
    if (reference === null) return null;
    return this.deps.explainer.explain({ modelSha256, referenceSha256: reference.artifactSha256, featureCodes: version.featureCodes, row });
  }

  /** `rerunDecision` with this service's runner. */
  async rerun(input: DecisionRerunInput): Promise<DecisionRerun> {
    return rerunDecision(this.deps.runner, input);
  }

  /** Re-runs a recorded decision with the model bytes it names and compares outputs and label. */
  async reproduceDecision(decisionId: string): Promise<DecisionReproduction> {
    const events = await this.deps.store.readStream(streamIds.decision(decisionId));
    const made = events.find((e) => e.type === 'ModelDecisionMade');
    if (!made) throw new NotFoundError(`decisionId: no decision ${decisionId}`, { field: 'decisionId' });
    const d = made.data as { modelId: string; modelVersion: string; modelSha256: string; featureSetId: string; outputs: Record<string, number>; decision: string; explanation?: RecordedExplanation | null };
    const recorded = { decision: d.decision, outputs: d.outputs, modelSha256: d.modelSha256, explanation: d.explanation ?? null };
    const model = await loadAggregate(this.deps.store, streamIds.model(d.modelId), modelsDecider);
    const version = model.state.versions[d.modelVersion];
    const featureSet = await loadAggregate(this.deps.store, streamIds.featureSet(d.featureSetId), featuresDecider);
    if (!version) return { decisionId, status: 'NOT_REPRODUCIBLE', reason: `model ${d.modelId} has no version ${d.modelVersion}`, recorded, differences: [] };
    let recomputed: DecisionRerun & { explanation: RecordedExplanation | null };
    try {
      const rerun = await this.rerun({ decision: { modelSha256: d.modelSha256 }, model: version, features: featureSet.state.features });
      // Recomputed from the bytes the decision names and the reference the version registered, on the row the re-run fed the model.
      const reference = version.explanationReference ?? null;
      const explanation = reference
        ? await this.deps.explainer.explain({ modelSha256: d.modelSha256, referenceSha256: reference.artifactSha256, featureCodes: version.featureCodes, row: rerun.inputs })
        : null;
      recomputed = { ...rerun, explanation };
    } catch (error) {
      return { decisionId, status: 'NOT_REPRODUCIBLE', reason: (error as Error).message, recorded, differences: [] };
    }
    const differences: string[] = [];
    if (recomputed.decision !== recorded.decision) differences.push(`decision: recorded ${recorded.decision}, recomputed ${recomputed.decision}`);
    for (const key of new Set([...Object.keys(recorded.outputs), ...Object.keys(recomputed.outputs)])) {
      if (!Object.is(recorded.outputs[key], recomputed.outputs[key])) differences.push(`outputs.${key}: recorded ${recorded.outputs[key]}, recomputed ${recomputed.outputs[key]}`);
    }
    differences.push(...explanationDifferences(recorded.explanation, recomputed.explanation));
    const { inputs: _inputs, ...shown } = recomputed;
    return { decisionId, status: differences.length === 0 ? 'MATCH' : 'MISMATCH', recorded, recomputed: shown, differences };
  }

  private async lockedVersionFor(input: MakeDecisionInput) {
    const model = await loadAggregate(this.deps.store, streamIds.model(input.modelId), modelsDecider);
    if (model.state.modelId === null) throw new NotFoundError(`modelId: model ${input.modelId} is not registered`, { field: 'modelId' });
    const version = model.state.versions[input.modelVersion];
    if (!version) throw new NotFoundError(`modelVersion: model ${input.modelId} has no version ${input.modelVersion}`, { field: 'modelVersion' });
    const featureSet = (await loadAggregate(this.deps.store, streamIds.featureSet(input.featureSetId), featuresDecider)).state;
    if (featureSet.featureSetId === null || featureSet.trialId === null) {
      throw new NotFoundError(`featureSetId: feature set ${input.featureSetId} does not exist`, { field: 'featureSetId' });
    }
    // Checked before any inference runs; the decider checks it again when the decision is recorded.
    if (model.state.lockedByTrial[featureSet.trialId] !== input.modelVersion) {
      throw new IllegalStateError(
        'MODEL_NOT_LOCKED',
        `modelVersion: ${input.modelId} ${input.modelVersion} is not the locked version for trial ${featureSet.trialId} (locked: ${model.state.lockedByTrial[featureSet.trialId] ?? 'none'})`,
        { field: 'modelVersion' },
      );
    }
    return { version, featureSet };
  }
}

/**
 * Re-runs a decision with the model bytes it names (re-hashed by the runner: other bytes
 * fail with MODEL_HASH_MISMATCH) and the version's locked decision rule, on the given
 * feature values. The one re-run path: `reproduceDecision` (query and CLI) and the dossier's
 * reproducibility.json use it.
 */
export async function rerunDecision(runner: Pick<LockedModelRunner, 'decide'>, input: DecisionRerunInput): Promise<DecisionRerun> {
  const rerun = await runner.decide(specOf(input.model, input.decision.modelSha256), input.features);
  return { decision: rerun.decision, outputs: flattenOutputs(rerun), modelSha256: rerun.verifiedSha256, inputs: rerun.inputs };
}

/** `expectedSha256`: the only bytes that may run (the locked artifact, or the bytes a recorded decision names). */
function specOf(version: ModelVersionSpec, expectedSha256: string) {
  const rule = version.decisionRule;
  if (!rule) throw new IllegalStateError('MODEL_DECISION_RULE_MISSING', `model version ${version.version} was registered without a decision rule`);
  return {
    expectedSha256,
    featureCodes: version.featureCodes,
    threshold: rule.threshold,
    labels: { positive: rule.positiveLabel, negative: rule.negativeLabel },
    ...(rule.probabilityOutput ? { probabilityOutput: rule.probabilityOutput } : {}),
  };
}
