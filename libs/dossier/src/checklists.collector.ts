import type { RecordedEvent } from '@radledger/ledger';

type Data = Record<string, unknown>;

export type Guideline = 'TRIPOD+AI' | 'CLAIM 2024' | 'METRICS' | 'CLEAR';

export interface ChecklistItem {
  guideline: Guideline;
  /** Stable id of the item's topic (item numbers differ between guideline versions: people check them). */
  item: string;
  topic: string;
  status: 'filled-from-ledger' | 'for-people';
  value?: unknown;
  /** The events the value came from (first MAX_SOURCE_IDS), and how many there are in all. */
  sourceEventIds?: string[];
  sourceEventCount?: number;
  why?: string;
}

const MAX_SOURCE_IDS = 25;

class Fact<V> {
  readonly values = new Map<string, V>();
  readonly ids: string[] = [];
  count = 0;
  add(key: string, value: V, eventId: string): void {
    if (!this.values.has(key) && this.values.size < 200) this.values.set(key, value);
    this.count++;
    if (this.ids.length < MAX_SOURCE_IDS) this.ids.push(eventId);
  }
}

/**
 * The reporting-guideline items the ledger can answer (software and versions, segmentation
 * method and editors, IBSI settings, validation design, sites and scanners, data partitions,
 * model specification), each with the events it came from; and the items only people can
 * write (rationale, clinical context, interpretation), listed so nothing is silently missing.
 */
export class ChecklistCollector {
  private readonly software = new Fact<string>();
  private readonly segmentationMethods = new Fact<{ method: string; tool: string; region: string }>();
  private readonly segmentationEditors = new Fact<{ actor: string; role: string; action: string }>();
  private readonly reviews = new Fact<{ reviewer: string; verdict: string }>();
  private readonly ibsi = new Fact<unknown>();
  private readonly validation = new Fact<unknown>();
  private readonly performance = new Fact<unknown>();
  private readonly sites = new Fact<string>();
  private readonly scanners = new Fact<{ vendor: string; model: string; fieldStrengthT: number; modality: string }>();
  private readonly protocols = new Fact<unknown>();
  private readonly partitions = new Fact<string>();
  private readonly subjects = new Fact<string>();
  private readonly preprocessing = new Fact<string>();
  private readonly modelSpec = new Fact<unknown>();
  private readonly lock = new Fact<unknown>();
  private readonly deviations = new Fact<string>();
  private readonly imported = new Fact<string>();

  add(event: RecordedEvent): void {
    const d = event.data as Data;
    const s = (k: string) => String(d[k]);
    const id = event.eventId;
    this.software.add(event.meta.client, event.meta.client, id);
    switch (event.type) {
      case 'SiteEnrolled':
        this.sites.add(s('siteId'), `${s('siteId')}: ${s('name')}`, id);
        break;
      case 'SubjectEnrolled':
        this.subjects.add(s('subjectId'), s('siteId'), id);
        break;
      case 'ImagingProtocolDefined':
        this.protocols.add(s('protocolId'), d, id);
        break;
      case 'ImageAcquired': {
        const scanner = (d['scanner'] ?? {}) as Data;
        const v = { vendor: String(scanner['vendor']), model: String(scanner['model']), fieldStrengthT: Number(d['fieldStrengthT']), modality: s('modality') };
        this.scanners.add(JSON.stringify(v), v, id);
        break;
      }
      case 'ProtocolDeviationDetected':
        this.deviations.add(id, s('imageId'), id);
        break;
      case 'PreprocessingApplied':
        this.preprocessing.add(`${s('tool')} ${s('toolVersion')} ${JSON.stringify(d['parameters'])}`, `${s('tool')} ${s('toolVersion')}`, id);
        this.software.add(`${s('tool')} ${s('toolVersion')}`, `${s('tool')} ${s('toolVersion')}`, id);
        break;
      case 'SegmentationCreated': {
        const v = { method: s('method'), tool: `${s('tool')} ${s('toolVersion')}`, region: s('region') };
        this.segmentationMethods.add(JSON.stringify(v), v, id);
        this.segmentationEditors.add(`${event.meta.actor}/created`, { actor: event.meta.actor, role: event.meta.role, action: 'created' }, id);
        this.software.add(v.tool, v.tool, id);
        break;
      }
      case 'SegmentationEdited':
        this.segmentationEditors.add(`${event.meta.actor}/edited`, { actor: event.meta.actor, role: event.meta.role, action: 'edited' }, id);
        break;
      case 'SegmentationReviewed':
        this.reviews.add(`${event.meta.actor}/${s('verdict')}`, { reviewer: event.meta.actor, verdict: s('verdict') }, id);
        break;
      case 'FeaturesComputed': {
        const extractor = (d['extractor'] ?? {}) as Data;
        const name = `${String(extractor['name'])} ${String(extractor['version'])}`;
        this.software.add(name, name, id);
        this.ibsi.add(JSON.stringify(d['settings']), { extractor: name, settings: d['settings'] }, id);
        if (d['attested'] === true || d['reproducible'] !== true) this.imported.add(s('featureSetId'), s('featureSetId'), id);
        break;
      }
      case 'FeatureSetPartitionAssigned':
        this.partitions.add(`${s('featureSetId')}`, s('partition'), id);
        break;
      case 'ModelRegistered':
        this.modelSpec.add(`${s('modelId')}@${s('version')}`, { modelId: s('modelId'), version: s('version'), intendedUse: s('intendedUse'), inputs: d['inputs'], outputs: d['outputs'], featureCodes: d['featureCodes'], trainingLineage: d['trainingLineage'], sha256: s('artifactSha256') }, id);
        this.performance.add(`${s('modelId')}@${s('version')}`, d['performance'], id);
        break;
      case 'ChangeControlPlanRecorded':
      case 'ModelValidationRecorded':
        this.validation.add(id, d, id);
        break;
      case 'ModelLocked':
        this.lock.add(id, { modelId: s('modelId'), version: s('version'), trialId: s('trialId'), sha256: s('artifactSha256'), validationId: d['validationId'] ?? null }, id);
        break;
    }
  }

  document(): { kind: string; items: ChecklistItem[] } {
    const filled = (guideline: Guideline, item: string, topic: string, fact: Fact<unknown>, value: unknown = [...fact.values.values()]): ChecklistItem =>
      fact.count === 0
        ? { guideline, item, topic, status: 'for-people', why: 'the ledger holds no record for this item in the bundle' }
        : { guideline, item, topic, status: 'filled-from-ledger', value, sourceEventIds: fact.ids, sourceEventCount: fact.count };
    const people = (guideline: Guideline, item: string, topic: string, why: string): ChecklistItem => ({ guideline, item, topic, status: 'for-people', why });
    const partitionCounts: Record<string, number> = {};
    for (const p of this.partitions.values.values()) partitionCounts[p] = (partitionCounts[p] ?? 0) + 1;
    const sitesAndScanners = new Fact<unknown>();
    for (const id of [...this.sites.ids, ...this.scanners.ids].slice(0, MAX_SOURCE_IDS)) sitesAndScanners.ids.push(id);
    sitesAndScanners.count = this.sites.count + this.scanners.count;
    const setting = { sites: [...this.sites.values.values()], scanners: [...this.scanners.values.values()], subjects: this.subjects.values.size };

    const items: ChecklistItem[] = [
      // TRIPOD+AI (Collins et al., BMJ 2024)
      filled('TRIPOD+AI', 'data-sources', 'Sources of data, study setting, centres', sitesAndScanners, setting),
      filled('TRIPOD+AI', 'data-preparation', 'Data pre-processing and quality checking', this.preprocessing),
      filled('TRIPOD+AI', 'predictors', 'Predictors (features) and how they were measured', this.ibsi),
      filled('TRIPOD+AI', 'development-vs-evaluation', 'Training / tuning / test data and their separation', this.partitions, partitionCounts),
      filled('TRIPOD+AI', 'model-specification', 'Full model specification (inputs, outputs, version, intended use)', this.modelSpec),
      filled('TRIPOD+AI', 'model-performance', 'Reported performance with confidence intervals', this.performance),
      filled('TRIPOD+AI', 'model-updating', 'Model updating (change control plan, validation)', this.validation),
      people('TRIPOD+AI', 'objectives', 'Study objectives and intended use context', 'clinical rationale is not a ledger fact'),
      people('TRIPOD+AI', 'outcome', 'Outcome definition and how and when it was assessed', 'reference standard procedures are outside the ledger'),
      people('TRIPOD+AI', 'sample-size', 'Sample size rationale', 'a planning decision, not a recorded event'),
      people('TRIPOD+AI', 'missing-data', 'Handling of missing data', 'must be described by the analysts'),
      people('TRIPOD+AI', 'fairness', 'Fairness across subgroups', 'subgroup attributes are deliberately not in the ledger (no personal data)'),
      people('TRIPOD+AI', 'ethics-and-registration', 'Ethics approval, registration, funding, conflicts', 'administrative records outside the ledger'),
      people('TRIPOD+AI', 'interpretation', 'Interpretation, limitations, implications', 'written by the authors'),
      // CLAIM 2024 (Tejani et al., Radiology: AI 2024)
      filled('CLAIM 2024', 'data-sources', 'Data sources, sites and acquisition equipment', sitesAndScanners, setting),
      filled('CLAIM 2024', 'data-preprocessing', 'Data pre-processing steps', this.preprocessing),
      filled('CLAIM 2024', 'annotation-method', 'Annotation (segmentation) method and tools', this.segmentationMethods),
      filled('CLAIM 2024', 'annotators', 'Annotators and reviewers (who edited and who reviewed)', this.segmentationEditors, { editors: [...this.segmentationEditors.values.values()], reviews: [...this.reviews.values.values()] }),
      filled('CLAIM 2024', 'data-partitions', 'Data partitions and their separation', this.partitions, partitionCounts),
      filled('CLAIM 2024', 'model-description', 'Model description, software and versions', this.modelSpec, { models: [...this.modelSpec.values.values()], software: [...this.software.values.values()] }),
      filled('CLAIM 2024', 'evaluation', 'Evaluation metrics and results', this.performance),
      people('CLAIM 2024', 'ground-truth', 'Definition and rationale of the reference standard', 'clinical reference standard is outside the ledger'),
      people('CLAIM 2024', 'training-details', 'Training procedure and hyper-parameters', 'training ran outside RadLedger; only its lineage is recorded'),
      people('CLAIM 2024', 'clinical-use', 'Intended clinical use and limitations', 'written by the authors'),
      // METRICS (Kocak et al., Insights into Imaging 2024)
      filled('METRICS', 'imaging-protocol', 'Imaging protocol and acquisition parameters', this.protocols, { protocols: [...this.protocols.values.values()], scanners: [...this.scanners.values.values()] }),
      filled('METRICS', 'protocol-adherence', 'Protocol deviations', this.deviations, { deviatingImages: [...this.deviations.values.values()] }),
      filled('METRICS', 'segmentation', 'Segmentation method, editors and QC review', this.segmentationMethods, { methods: [...this.segmentationMethods.values.values()], reviews: [...this.reviews.values.values()] }),
      filled('METRICS', 'ibsi-compliance', 'IBSI-compliant extraction software and settings', this.ibsi),
      filled('METRICS', 'test-set', 'Independent test set and its sequestration', this.partitions, partitionCounts),
      people('METRICS', 'feature-robustness', 'Feature robustness / reproducibility analysis design', 'reproducibility.json re-computes; the robustness study design is for people'),
      people('METRICS', 'open-science', 'Data and code availability', 'a publication decision'),
      // CLEAR (Kocak et al., Insights into Imaging 2023)
      filled('CLEAR', 'software', 'Software names and versions', this.software),
      filled('CLEAR', 'image-processing', 'Image processing (resampling, discretisation, re-segmentation)', this.ibsi),
      filled('CLEAR', 'segmentation', 'Segmentation details', this.segmentationMethods),
      filled('CLEAR', 'validation', 'Validation design and model locking', this.lock, { locks: [...this.lock.values.values()], validations: [...this.validation.values.values()] }),
      filled('CLEAR', 'imported-features', 'Features not computed by RadLedger (attested imports)', this.imported, { featureSets: [...this.imported.values.values()] }),
      people('CLEAR', 'study-design', 'Study design, rationale and eligibility criteria', 'written by the authors'),
      people('CLEAR', 'statistics', 'Statistical analysis plan', 'written by the analysts'),
    ];
    return { kind: 'radledger.dossier.checklists.v1', items };
  }
}
