import type { ImagingModality } from '../imaging/imaging-modality.js';
import type { DomainEvent } from '../shared/decider.js';
import type { Partition } from '../features/features.commands.js';
import type { DecisionRule, TensorSignature } from './models.commands.js';

export interface PerformanceRecord {
  metric: string;
  value: number;
  ciLower: number | null;
  ciUpper: number | null;
  dataset: string;
}

export type ModelRegistered = DomainEvent<
  'ModelRegistered',
  {
    modelId: string;
    version: string;
    artifactSha256: string;
    inputs: TensorSignature[];
    outputs: TensorSignature[];
    intendedUse: string;
    featureCodes: string[];
    decisionRule: DecisionRule;
    inputModality?: ImagingModality | null;
    trainingLineage: { featureSetIds: string[]; trialIds: string[]; partitions: Partition[] };
    performance: PerformanceRecord[];
  }
>;
export type ChangeControlPlanRecorded = DomainEvent<'ChangeControlPlanRecorded', { modelId: string; planId: string; whatMayChange: string; validationProtocol: string; acceptanceCriteria: string }>;
export type ModelValidationRecorded = DomainEvent<
  'ModelValidationRecorded',
  { modelId: string; version: string; planId: string; validationId: string; validatedSha256: string; results: Record<string, number>; passed: boolean; summary: string }
>;
export type ModelLocked = DomainEvent<
  'ModelLocked',
  {
    modelId: string;
    version: string;
    trialId: string;
    artifactSha256: string;
    /** The `approved` signatures on the version's ModelRegistered record that authorised the lock (21 CFR 11.70). */
    approvalSignatureIds: string[];
    validationId: string | null;
    /** The version this lock replaces for the trial, if any. */
    supersedesVersion: string | null;
  }
>;
export type ModelRetired = DomainEvent<'ModelRetired', { modelId: string; version: string; reason: string; unlockedTrialIds: string[] }>;

export type ModelsEvent = ModelRegistered | ChangeControlPlanRecorded | ModelValidationRecorded | ModelLocked | ModelRetired;
