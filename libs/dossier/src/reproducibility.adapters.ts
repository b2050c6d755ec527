import type { ArtifactSource, DecisionRerunner, FeatureRecomputer, ReproducibilityPorts } from './reproducibility.js';

/**
 * The parts of libs/runtime's `Runtime` the dossier re-computes with: its artifact store,
 * `FeatureService` (recompute) and `ModelService` (rerun). Typed structurally so this lib
 * depends on neither the runtime nor the engines behind it (libs/radiomics, onnxruntime).
 */
export interface RuntimeReproduction {
  artifacts: ArtifactSource;
  features: FeatureRecomputer;
  models: DecisionRerunner;
}

/**
 * reproducibility.json re-computes through exactly the path RadLedger computes and
 * reproduces with (the `reproduce` query and CLI command), so there is one re-computation
 * to trust, not two that could drift apart.
 */
export function reproducibilityFromRuntime(runtime: RuntimeReproduction): ReproducibilityPorts {
  return { artifacts: runtime.artifacts, features: runtime.features, decisions: runtime.models };
}
