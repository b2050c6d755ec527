import type { ImagingModality } from '../imaging/imaging-modality.js';
import type { Command } from '../shared/decider.js';
import type { Partition } from '../features/features.commands.js';

export interface TensorSignature {
  name: string;
  /** ONNX element type, e.g. `float32`, `int64`. */
  type: string;
  /** Dimensions; symbolic dims as strings (e.g. `batch`). */
  shape: Array<number | string>;
}

export interface ReportedPerformance {
  /** e.g. `AUC`, `C-index`, `sensitivity`. */
  metric: string;
  value: number;
  ciLower?: number;
  ciUpper?: number;
  /** Which partition / cohort it was measured on. */
  dataset: string;
}

/**
 * How the locked version turns its output into a decision; part of what is locked, so a
 * threshold cannot drift between decisions (FDA: the locked algorithm includes its cut-off).
 */
export interface DecisionRule {
  /** `probability >= threshold` gives the positive label. */
  threshold: number;
  positiveLabel: string;
  negativeLabel: string;
  /** Which output column is the positive-class probability; absent: the runner's default rule. */
  probabilityOutput?: { name: string; column: number };
}

export type RegisterModel = Command<
  'RegisterModel',
  {
    modelId: string;
    version: string;
    artifactSha256: string;
    inputs: TensorSignature[];
    outputs: TensorSignature[];
    intendedUse: string;
    /** IBSI codes the model reads, in input order. */
    featureCodes: string[];
    decisionRule: DecisionRule;
    /** The imaging modality the features must come from (e.g. T1c); decisions on another modality are refused. */
    inputModality?: ImagingModality;
    trainingLineage: { featureSetIds: string[]; trialIds: string[]; partitions: Partition[] };
    performance: ReportedPerformance[];
  }
>;
/** Predetermined change control plan (FDA PCCP guidance). */
export type RecordChangeControlPlan = Command<
  'RecordChangeControlPlan',
  { modelId: string; planId?: string; whatMayChange: string; validationProtocol: string; acceptanceCriteria: string }
>;
export type RecordModelValidation = Command<
  'RecordModelValidation',
  { modelId: string; version: string; planId: string; validationId?: string; results: Record<string, number>; passed: boolean; summary: string }
>;
export type LockModel = Command<'LockModel', { modelId: string; version: string; trialId: string }>;
export type RetireModel = Command<'RetireModel', { modelId: string; version: string; reason?: string }>;

export type ModelsCommand = RegisterModel | RecordChangeControlPlan | RecordModelValidation | LockModel | RetireModel;
