import type { RecordedEvent } from '@radledger/ledger';

type Data = Record<string, unknown>;

export interface SignatureSummary {
  signatureId: string;
  eventId: string;
  eventType: string;
  eventHash: string;
  signerId: string;
  printedName: string;
  meaning: string;
  signedAt: string;
  signatureEventId: string;
}

export interface ModelLockDeviation {
  decisionId: string;
  eventId: string;
  trialId: string;
  siteId: string;
  reason: 'NO_LOCKED_VERSION' | 'OTHER_VERSION_LOCKED' | 'HASH_DIFFERS_FROM_LOCK';
  detail: string;
}

interface VersionState {
  modelId: string;
  version: string;
  registration?: { eventId: string; sha256: string; intendedUse: string; featureCodes: unknown; decisionRule: unknown; inputs: unknown; outputs: unknown; trainingLineage: { featureSetIds: string[]; trialIds: string[]; partitions: string[] }; performance: unknown; recordedAt: string; actor: string };
  locks: Array<{
    eventId: string;
    trialId: string;
    artifactSha256: string;
    approvalSignatureIds: string[];
    validationId: string | null;
    supersedesVersion: string | null;
    /** The change-control plan whose lock gates were checked (null: the lock was gated by no plan, ADR 0017). */
    planId: string | null;
    /** Which gates the lock met (issue 15): every gate of the plan, each with what it found. */
    gates: Array<{ gate: string; code: string; passed: boolean; detail: string }>;
    recordedAt: string;
    actor: string;
  }>;
  validations: Array<{ eventId: string; validationId: string; planId: string; validatedSha256: string; passed: boolean; results: unknown; summary: string }>;
  retirements: Array<{ eventId: string; reason: string; unlockedTrialIds: unknown; recordedAt: string }>;
  signatures: SignatureSummary[];
  decisionsBySite: Map<string, Map<string, number>>;
  deviations: ModelLockDeviation[];
  deviationCount: number;
}

const MAX_DEVIATIONS_LISTED = 1000;

/**
 * model-lock.json: per model version its sha256, lock events and signatures, PCCP, the
 * tested-vs-released comparison, test-set sequestration evidence (FDA AI-enabled device
 * software draft guidance §VIII) and per-site decision counts by model hash. Fed the bundle's
 * events in ledger order, so "locked at the time of the decision" is decided as the ledger saw it.
 */
export class ModelLockCollector {
  private readonly versions = new Map<string, VersionState>();
  private readonly plans = new Map<string, Array<{ eventId: string; planId: string; whatMayChange: string; validationProtocol: string; acceptanceCriteria: string; recordedAt: string }>>();
  private readonly eventToVersion = new Map<string, string>();
  /** The locked version per (trial, model): a trial locks one version of each of its models. */
  private readonly lockedByTrial = new Map<string, { modelId: string; version: string; sha256: string }>();
  private readonly partitions = new Map<string, Array<{ partition: string; eventId: string; recordedAt: string }>>();

  private state(modelId: string, version: string): VersionState {
    const key = `${modelId}@${version}`;
    let s = this.versions.get(key);
    if (!s) {
      s = { modelId, version, locks: [], validations: [], retirements: [], signatures: [], decisionsBySite: new Map(), deviations: [], deviationCount: 0 };
      this.versions.set(key, s);
    }
    return s;
  }

  add(event: RecordedEvent): void {
    const d = event.data as Data;
    const str = (k: string) => String(d[k]);
    switch (event.type) {
      case 'ModelRegistered': {
        const s = this.state(str('modelId'), str('version'));
        const lineage = (d['trainingLineage'] ?? {}) as Data;
        s.registration = {
          eventId: event.eventId,
          sha256: str('artifactSha256'),
          intendedUse: str('intendedUse'),
          featureCodes: d['featureCodes'],
          decisionRule: d['decisionRule'] ?? null,
          inputs: d['inputs'],
          outputs: d['outputs'],
          trainingLineage: {
            featureSetIds: (lineage['featureSetIds'] as string[] | undefined) ?? [],
            trialIds: (lineage['trialIds'] as string[] | undefined) ?? [],
            partitions: (lineage['partitions'] as string[] | undefined) ?? [],
          },
          performance: d['performance'],
          recordedAt: event.meta.recordedAt,
          actor: event.meta.actor,
        };
        this.eventToVersion.set(event.eventId, `${str('modelId')}@${str('version')}`);
        break;
      }
      case 'ChangeControlPlanRecorded': {
        const list = this.plans.get(str('modelId')) ?? [];
        list.push({ eventId: event.eventId, planId: str('planId'), whatMayChange: str('whatMayChange'), validationProtocol: str('validationProtocol'), acceptanceCriteria: str('acceptanceCriteria'), recordedAt: event.meta.recordedAt });
        this.plans.set(str('modelId'), list);
        break;
      }
      case 'ModelValidationRecorded':
        this.state(str('modelId'), str('version')).validations.push({
          eventId: event.eventId,
          validationId: str('validationId'),
          planId: str('planId'),
          validatedSha256: str('validatedSha256'),
          passed: d['passed'] === true,
          results: d['results'],
          summary: str('summary'),
        });
        break;
      case 'ModelLocked': {
        const s = this.state(str('modelId'), str('version'));
        s.locks.push({
          eventId: event.eventId,
          trialId: str('trialId'),
          artifactSha256: str('artifactSha256'),
          approvalSignatureIds: (d['approvalSignatureIds'] as string[] | undefined) ?? [],
          validationId: typeof d['validationId'] === 'string' ? str('validationId') : null,
          supersedesVersion: typeof d['supersedesVersion'] === 'string' ? str('supersedesVersion') : null,
          planId: typeof d['planId'] === 'string' ? str('planId') : null,
          gates: Array.isArray(d['gates']) ? (d['gates'] as Array<{ gate: string; code: string; passed: boolean; detail: string }>) : [],
          recordedAt: event.meta.recordedAt,
          actor: event.meta.actor,
        });
        this.eventToVersion.set(event.eventId, `${str('modelId')}@${str('version')}`);
        this.lockedByTrial.set(lockKey(str('trialId'), str('modelId')), { modelId: str('modelId'), version: str('version'), sha256: str('artifactSha256') });
        break;
      }
      case 'ModelRetired': {
        this.state(str('modelId'), str('version')).retirements.push({ eventId: event.eventId, reason: str('reason'), unlockedTrialIds: d['unlockedTrialIds'], recordedAt: event.meta.recordedAt });
        for (const [trial, locked] of this.lockedByTrial) if (locked.modelId === str('modelId') && locked.version === str('version')) this.lockedByTrial.delete(trial);
        break;
      }
      case 'FeatureSetPartitionAssigned': {
        const list = this.partitions.get(str('featureSetId')) ?? [];
        list.push({ partition: str('partition'), eventId: event.eventId, recordedAt: event.meta.recordedAt });
        this.partitions.set(str('featureSetId'), list);
        break;
      }
      case 'ModelDecisionMade': {
        const s = this.state(str('modelId'), str('modelVersion'));
        const site = str('siteId');
        const bySha = s.decisionsBySite.get(site) ?? new Map<string, number>();
        bySha.set(str('modelSha256'), (bySha.get(str('modelSha256')) ?? 0) + 1);
        s.decisionsBySite.set(site, bySha);
        const locked = this.lockedByTrial.get(lockKey(str('trialId'), str('modelId')));
        let deviation: ModelLockDeviation | undefined;
        const base = { decisionId: str('decisionId'), eventId: event.eventId, trialId: str('trialId'), siteId: site };
        if (!locked) deviation = { ...base, reason: 'NO_LOCKED_VERSION', detail: `no model version was locked for ${str('trialId')} in this bundle when the decision was recorded` };
        else if (locked.modelId !== str('modelId') || locked.version !== str('modelVersion')) deviation = { ...base, reason: 'OTHER_VERSION_LOCKED', detail: `locked was ${locked.modelId} ${locked.version}` };
        else if (locked.sha256 !== str('modelSha256')) deviation = { ...base, reason: 'HASH_DIFFERS_FROM_LOCK', detail: `decision recorded ${str('modelSha256')}, lock is ${locked.sha256}` };
        if (deviation) {
          s.deviationCount++;
          if (s.deviations.length < MAX_DEVIATIONS_LISTED) s.deviations.push(deviation);
        }
        break;
      }
      case 'RecordSigned': {
        const key = this.eventToVersion.get(str('eventId'));
        if (key) this.versions.get(key)!.signatures.push(signatureSummary(event));
        break;
      }
    }
  }

  /** The model-lock.json document. */
  document(): Record<string, unknown> {
    const versions = [...this.versions.values()].map((s) => {
      const plans = this.plans.get(s.modelId) ?? [];
      const registeredSha = s.registration?.sha256 ?? null;
      const testedVsReleased = s.locks.map((lock) => {
        const validation = (lock.validationId ? s.validations.find((v) => v.validationId === lock.validationId) : undefined) ?? s.validations.filter((v) => v.passed).at(-1);
        const tested = validation?.validatedSha256 ?? null;
        const findings: string[] = [];
        if (!validation) findings.push('NOT_VALIDATED: no validation record for this version');
        else if (!validation.passed) findings.push('VALIDATION_FAILED: the referenced validation did not pass');
        if (tested !== null && tested !== lock.artifactSha256) findings.push('POST_HOC_CHANGE: the released (locked) bytes differ from the validated bytes');
        if (registeredSha !== null && registeredSha !== lock.artifactSha256) findings.push('POST_HOC_CHANGE: the locked bytes differ from the registered bytes');
        return {
          lockEventId: lock.eventId,
          trialId: lock.trialId,
          registeredSha256: registeredSha,
          testedSha256: tested,
          validationId: validation?.validationId ?? null,
          releasedSha256: lock.artifactSha256,
          identical: tested !== null && tested === lock.artifactSha256 && registeredSha === lock.artifactSha256,
          findings,
        };
      });
      const firstLockAt = s.locks[0]?.recordedAt;
      const training = s.registration?.trainingLineage ?? { featureSetIds: [], trialIds: [], partitions: [] };
      const trainingFeatureSets = training.featureSetIds.map((id) => {
        const history = this.partitions.get(id) ?? [];
        const beforeLock = history.filter((h) => firstLockAt === undefined || h.recordedAt <= firstLockAt);
        return { featureSetId: id, partition: beforeLock.at(-1)?.partition ?? null, assignments: history };
      });
      const testUsed = trainingFeatureSets.filter((f) => f.assignments.some((a) => a.partition === 'test' && (firstLockAt === undefined || a.recordedAt <= firstLockAt)));
      const sequestrationFindings: string[] = [];
      if (training.partitions.includes('test')) sequestrationFindings.push('the version declares it was developed on the test partition');
      for (const f of testUsed) sequestrationFindings.push(`training feature set ${f.featureSetId} was in the test partition before the lock`);
      const sites: Record<string, Record<string, number>> = {};
      for (const [site, bySha] of [...s.decisionsBySite].sort()) sites[site] = Object.fromEntries([...bySha].sort());
      const lockedSha = s.locks.at(-1)?.artifactSha256 ?? registeredSha;
      return {
        modelId: s.modelId,
        version: s.version,
        sha256: registeredSha,
        registration: s.registration ?? null,
        locks: s.locks,
        retirements: s.retirements,
        signatures: s.signatures,
        changeControlPlans: plans,
        validations: s.validations,
        testedVsReleased,
        testSetSequestration: {
          declaredDevelopmentPartitions: training.partitions,
          trainingFeatureSets,
          sequestered: sequestrationFindings.length === 0,
          findings: sequestrationFindings,
        },
        decisionsBySite: sites,
        decisionsWithLockedHash: Object.values(sites).reduce((n, bySha) => n + (lockedSha ? (bySha[lockedSha] ?? 0) : 0), 0),
        deviationCount: s.deviationCount,
        deviations: s.deviations,
      };
    });
    return { kind: 'radledger.dossier.model-lock.v1', modelVersions: versions };
  }
}

export function signatureSummary(event: RecordedEvent): SignatureSummary {
  const d = event.data as Data;
  return {
    signatureId: String(d['signatureId']),
    eventId: String(d['eventId']),
    eventType: String(d['eventType']),
    eventHash: String(d['eventHash']),
    signerId: String(d['signerId']),
    printedName: String(d['printedName']),
    meaning: String(d['meaning']),
    signedAt: String(d['signedAt']),
    signatureEventId: event.eventId,
  };
}

function lockKey(trialId: string, modelId: string): string {
  return `${trialId}\u0000${modelId}`;
}
