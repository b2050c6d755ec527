import type { RecordedEvent } from '@radledger/ledger';

type Data = Record<string, unknown>;

export type Guideline = 'TRIPOD+AI' | 'CLAIM 2024' | 'METRICS' | 'CLEAR' | 'RQS' | 'PROBAST+AI';

/** RQS points (Lambin et al., Nat Rev Clin Oncol 2017): what the ledger awards, and the item's range. */
export interface RqsScore {
  /** Points the ledger's records award; null when the item is for people. */
  points: number | null;
  min: number;
  max: number;
  /** Points of the item the ledger cannot award, left for people (e.g. "public protocol +1"). */
  remainderForPeople?: string;
}

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
  score?: RqsScore;
}

export interface RqsSummary {
  /** Σ points the ledger awards. */
  ledgerScore: number;
  /** The total once people score their items: [lowest, highest] possible. */
  possibleRange: [number, number];
  maximum: 36;
  /** ledgerScore / 36, as RQS percentages are reported. */
  ledgerPercent: number;
}

export interface ChecklistDocument {
  kind: 'radledger.dossier.checklists.v2';
  items: ChecklistItem[];
  rqs: RqsSummary;
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

/** Several facts as the evidence of one item: their events and counts together. */
function merged(...facts: Array<Fact<unknown>>): Fact<unknown> {
  const f = new Fact<unknown>();
  for (const x of facts) {
    for (const id of x.ids) if (f.ids.length < MAX_SOURCE_IDS) f.ids.push(id);
    f.count += x.count;
  }
  return f;
}

const DISCRIMINATION = /^(auc|roc[-_ ]?auc|c[-_ ]?index|c[-_ ]?statistic|concordance)/i;
const CALIBRATION = /calibration|brier|hosmer/i;

/**
 * The reporting-guideline items the ledger can answer (software and versions, segmentation
 * method, tools and editors, IBSI settings, validation design, sites and scanners, data
 * partitions, model specification), each with the events it came from; and the items only
 * people can write (rationale, clinical context, interpretation), listed so nothing is
 * silently missing. RQS items carry their points; PROBAST+AI items their domain.
 */
export class ChecklistCollector {
  private readonly software = new Fact<string>();
  private readonly segmentationMethods = new Fact<{ method: string; tool: string; region: string | null }>();
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
  private readonly modelSpec = new Fact<{ modelId: string; version: string; featureCodes: unknown; inputModality: unknown; intendedUse: string; sha256: string; [k: string]: unknown }>();
  private readonly lock = new Fact<unknown>();
  private readonly deviations = new Fact<{ imageId: string; siteId: string; protocolId: string; deviations: unknown }>();
  private readonly imported = new Fact<string>();
  private readonly computed = new Fact<string>();
  private readonly decisionRules = new Fact<unknown>();
  private readonly segmentationsPerImage = new Map<string, Set<string>>();
  private readonly segmentationEvents = new Fact<string>();
  private readonly featureSetImage = new Map<string, string>();
  private readonly imageSite = new Map<string, string>();
  private maxFeaturesComputed = 0;
  private readonly performanceRecords: Array<{ metric: string; ci: boolean; eventId: string }> = [];
  private trialBlinded: boolean | null = null;

  add(event: RecordedEvent): void {
    const d = event.data as Data;
    const s = (k: string) => String(d[k]);
    const id = event.eventId;
    this.software.add(event.meta.client, event.meta.client, id);
    switch (event.type) {
      case 'TrialRegistered':
        this.trialBlinded = d['blinded'] === true;
        break;
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
        this.imageSite.set(s('imageId'), s('siteId'));
        break;
      }
      case 'ProtocolDeviationDetected':
        this.deviations.add(id, { imageId: s('imageId'), siteId: s('siteId'), protocolId: s('protocolId'), deviations: d['deviations'] }, id);
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
        const set = this.segmentationsPerImage.get(s('imageId')) ?? new Set<string>();
        set.add(s('segmentationId'));
        this.segmentationsPerImage.set(s('imageId'), set);
        this.segmentationEvents.add(id, s('imageId'), id);
        break;
      }
      case 'SegmentationEdited': {
        // The editing tool is a segmentation tool too (issue 15: manual edits were not named).
        const tool = d['tool'] ? `${s('tool')}${d['toolVersion'] ? ` ${s('toolVersion')}` : ''}` : 'tool not recorded';
        const v = { method: 'manual edit', tool, region: null };
        this.segmentationMethods.add(JSON.stringify(v), v, id);
        if (d['tool']) this.software.add(tool, tool, id);
        this.segmentationEditors.add(`${event.meta.actor}/edited`, { actor: event.meta.actor, role: event.meta.role, action: 'edited' }, id);
        break;
      }
      case 'SegmentationReviewed':
        this.reviews.add(`${event.meta.actor}/${s('verdict')}`, { reviewer: event.meta.actor, verdict: s('verdict') }, id);
        break;
      case 'FeaturesComputed': {
        const extractor = (d['extractor'] ?? {}) as Data;
        const name = `${String(extractor['name'])} ${String(extractor['version'])}`;
        this.software.add(name, name, id);
        this.ibsi.add(JSON.stringify([name, d['settings']]), { extractor: name, settings: d['settings'] }, id);
        if (d['attested'] === true || d['reproducible'] !== true) this.imported.add(s('featureSetId'), s('featureSetId'), id);
        else this.computed.add(s('featureSetId'), s('featureSetId'), id);
        this.featureSetImage.set(s('featureSetId'), s('imageId'));
        this.maxFeaturesComputed = Math.max(this.maxFeaturesComputed, Object.keys((d['features'] ?? {}) as Data).length);
        break;
      }
      case 'FeatureSetPartitionAssigned':
        this.partitions.add(`${s('featureSetId')}`, s('partition'), id);
        break;
      case 'ModelRegistered': {
        const key = `${s('modelId')}@${s('version')}`;
        this.modelSpec.add(
          key,
          { modelId: s('modelId'), version: s('version'), intendedUse: s('intendedUse'), inputs: d['inputs'], outputs: d['outputs'], featureCodes: d['featureCodes'], inputModality: d['inputModality'] ?? null, trainingLineage: d['trainingLineage'], sha256: s('artifactSha256') },
          id,
        );
        this.performance.add(key, d['performance'], id);
        this.decisionRules.add(key, { model: key, rule: d['decisionRule'] ?? null }, id);
        for (const p of (d['performance'] as Data[] | undefined) ?? []) this.performanceRecords.push({ metric: String(p['metric']), ci: typeof p['ciLower'] === 'number' && typeof p['ciUpper'] === 'number', eventId: id });
        break;
      }
      case 'ChangeControlPlanRecorded':
      case 'ModelValidationRecorded':
        this.validation.add(id, d, id);
        break;
      case 'ModelLocked':
        this.lock.add(id, { modelId: s('modelId'), version: s('version'), trialId: s('trialId'), sha256: s('artifactSha256'), validationId: d['validationId'] ?? null }, id);
        break;
    }
  }

  /** Partition → the sites of its feature sets' images (RQS validation, PROBAST+AI leakage). */
  private sitesByPartition(): Record<string, string[]> {
    const out: Record<string, Set<string>> = {};
    for (const [featureSetId, partition] of this.partitions.values) {
      const image = this.featureSetImage.get(featureSetId);
      const site = image ? this.imageSite.get(image) : undefined;
      (out[partition] ??= new Set()).add(site ?? 'site not in bundle');
    }
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
  }

  document(): ChecklistDocument {
    const filled = (guideline: Guideline, item: string, topic: string, fact: Fact<unknown>, value: unknown = [...fact.values.values()]): ChecklistItem =>
      fact.count === 0
        ? { guideline, item, topic, status: 'for-people', why: 'the ledger holds no record for this item in the bundle' }
        : { guideline, item, topic, status: 'filled-from-ledger', value, sourceEventIds: fact.ids, sourceEventCount: fact.count };
    const people = (guideline: Guideline, item: string, topic: string, why: string): ChecklistItem => ({ guideline, item, topic, status: 'for-people', why });
    const partitionCounts: Record<string, number> = {};
    for (const p of this.partitions.values.values()) partitionCounts[p] = (partitionCounts[p] ?? 0) + 1;
    const sitesAndScanners = merged(this.sites, this.scanners);
    const setting = { sites: [...this.sites.values.values()], scanners: [...this.scanners.values.values()], subjects: this.subjects.values.size };
    const segmentation = { methods: [...this.segmentationMethods.values.values()], tools: [...new Set([...this.segmentationMethods.values.values()].map((m) => m.tool))].sort() };
    const deviationValue = { deviationCount: this.deviations.count, deviations: [...this.deviations.values.values()] };

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
      filled('CLAIM 2024', 'annotation-method', 'Annotation (segmentation) method and every tool used, automatic and manual', this.segmentationMethods, segmentation),
      filled('CLAIM 2024', 'annotators', 'Annotators and reviewers (who edited and who reviewed)', this.segmentationEditors, { editors: [...this.segmentationEditors.values.values()], reviews: [...this.reviews.values.values()] }),
      filled('CLAIM 2024', 'data-partitions', 'Data partitions and their separation', this.partitions, partitionCounts),
      filled('CLAIM 2024', 'model-description', 'Model description, software and versions', this.modelSpec, { models: [...this.modelSpec.values.values()], software: [...this.software.values.values()] }),
      filled('CLAIM 2024', 'evaluation', 'Evaluation metrics and results', this.performance),
      people('CLAIM 2024', 'ground-truth', 'Definition and rationale of the reference standard', 'clinical reference standard is outside the ledger'),
      people('CLAIM 2024', 'training-details', 'Training procedure and hyper-parameters', 'training ran outside RadLedger; only its lineage is recorded'),
      people('CLAIM 2024', 'clinical-use', 'Intended clinical use and limitations', 'written by the authors'),
      // METRICS (Kocak et al., Insights into Imaging 2024)
      filled('METRICS', 'imaging-protocol', 'Imaging protocol and acquisition parameters', this.protocols, { protocols: [...this.protocols.values.values()], scanners: [...this.scanners.values.values()] }),
      deviationItem(this.deviations, deviationValue, this.protocols),
      filled('METRICS', 'segmentation', 'Segmentation method, every tool (incl. manual edit tools), editors and QC review', this.segmentationMethods, { ...segmentation, reviews: [...this.reviews.values.values()] }),
      filled('METRICS', 'ibsi-compliance', 'IBSI-compliant extraction software and settings', this.ibsi),
      filled('METRICS', 'test-set', 'Independent test set and its sequestration', this.partitions, partitionCounts),
      people('METRICS', 'feature-robustness', 'Feature robustness / reproducibility analysis design', 'reproducibility.json re-computes; the robustness study design is for people'),
      people('METRICS', 'open-science', 'Data and code availability', 'a publication decision'),
      // CLEAR (Kocak et al., Insights into Imaging 2023)
      filled('CLEAR', 'software', 'Software names and versions', this.software),
      filled('CLEAR', 'image-processing', 'Image processing (resampling, discretisation, re-segmentation)', this.ibsi),
      filled('CLEAR', 'segmentation', 'Segmentation details, every tool used', this.segmentationMethods, segmentation),
      filled('CLEAR', 'validation', 'Validation design and model locking', merged(this.lock, this.validation), { locks: [...this.lock.values.values()], validations: [...this.validation.values.values()] }),
      filled('CLEAR', 'imported-features', 'Features not computed by RadLedger (attested imports)', this.imported, { featureSets: [...this.imported.values.values()] }),
      people('CLEAR', 'study-design', 'Study design, rationale and eligibility criteria', 'written by the authors'),
      people('CLEAR', 'statistics', 'Statistical analysis plan', 'written by the analysts'),
      ...this.rqsItems(filled, people),
      ...this.probastItems(filled, people, partitionCounts),
    ];
    let ledgerScore = 0;
    let low = 0;
    let high = 0;
    for (const i of items) {
      if (!i.score) continue;
      if (i.score.points === null) {
        low += i.score.min;
        high += i.score.max;
      } else {
        ledgerScore += i.score.points;
        low += i.score.points;
        high += i.score.points + (i.score.remainderForPeople ? i.score.max - i.score.points : 0);
      }
    }
    return { kind: 'radledger.dossier.checklists.v2', items, rqs: { ledgerScore, possibleRange: [low, high], maximum: 36, ledgerPercent: Math.round((ledgerScore / 36) * 1000) / 10 } };
  }

  /** Radiomics Quality Score, 16 items (Lambin et al., Nat Rev Clin Oncol 2017, Table 1); total −8 to 36. */
  private rqsItems(filled: (g: Guideline, item: string, topic: string, fact: Fact<unknown>, value?: unknown) => ChecklistItem, people: (g: Guideline, item: string, topic: string, why: string) => ChecklistItem): ChecklistItem[] {
    const rqs = (item: ChecklistItem, score: RqsScore): ChecklistItem => ({ ...item, score: item.status === 'for-people' ? { points: null, min: score.min, max: score.max } : score });
    const forPeople = (item: string, topic: string, why: string, min: number, max: number) => ({ ...people('RQS', item, topic, why), score: { points: null, min, max } });

    const multiSegmented = [...this.segmentationsPerImage].filter(([, segs]) => segs.size >= 2).map(([image, segs]) => ({ imageId: image, segmentations: segs.size }));
    const multiFact = new Fact<unknown>();
    if (multiSegmented.length > 0) for (const id of this.segmentationEvents.ids) multiFact.add(id, id, id);

    const models = [...this.modelSpec.values.values()];
    const inputCounts = models.map((m) => (Array.isArray(m.featureCodes) ? m.featureCodes.length : 0));
    const reduced = models.length > 0 && this.maxFeaturesComputed > 0 && inputCounts.every((n) => n > 0 && n < this.maxFeaturesComputed);

    const discrimination = this.performanceRecords.filter((p) => DISCRIMINATION.test(p.metric));
    const calibration = this.performanceRecords.filter((p) => CALIBRATION.test(p.metric));
    const metricFact = (records: typeof discrimination) => {
      const f = new Fact<unknown>();
      for (const r of records) f.add(r.eventId + r.metric, r.metric, r.eventId);
      return f;
    };
    const statPoints = (records: typeof discrimination) => (records.length === 0 ? 0 : 1 + (records.some((r) => r.ci) ? 1 : 0));

    const bySite = this.sitesByPartition();
    const developmentSites = new Set([...(bySite['train'] ?? []), ...(bySite['tune'] ?? [])]);
    const testSites = bySite['test'] ?? [];
    const externalSites = testSites.filter((s) => !developmentSites.has(s) && s !== 'site not in bundle');
    // RQS item 12: +2 same institute, +3 another institute, +4 two distinct institutes, +5 three or more.
    const validationPoints = testSites.length === 0 ? null : externalSites.length >= 3 ? 5 : externalSites.length === 2 ? 4 : externalSites.length === 1 ? 3 : 2;

    return [
      rqs(filled('RQS', 'rqs-01-image-protocol', '1. Image protocol quality (documented +1; public protocol +1)', this.protocols, { protocols: [...this.protocols.values.values()] }), { points: 1, min: 0, max: 2, remainderForPeople: 'public protocol used: +1' }),
      rqs(
        multiSegmented.length > 0
          ? filled('RQS', 'rqs-02-multiple-segmentations', '2. Multiple segmentations (robustness to segmentation variability) +1', multiFact, { images: multiSegmented.slice(0, 50), count: multiSegmented.length })
          : people('RQS', 'rqs-02-multiple-segmentations', '2. Multiple segmentations (robustness to segmentation variability) +1', 'no image in the bundle has two or more segmentations'),
        { points: 1, min: 0, max: 1 },
      ),
      forPeople('rqs-03-phantom', '3. Phantom study on all scanners +1', 'phantom studies are not recorded in the ledger', 0, 1),
      forPeople('rqs-04-multiple-time-points', '4. Imaging at multiple time points (test–retest) +1', 'test–retest acquisitions are not marked as such in the ledger', 0, 1),
      rqs(
        reduced
          ? filled('RQS', 'rqs-05-feature-reduction', '5. Feature reduction or multiple-testing adjustment (−3 / +3)', this.modelSpec, { modelInputs: Object.fromEntries(models.map((m, i) => [`${m.modelId}@${m.version}`, inputCounts[i]])), featuresComputed: this.maxFeaturesComputed })
          : people('RQS', 'rqs-05-feature-reduction', '5. Feature reduction or multiple-testing adjustment (−3 / +3)', 'the bundle does not show that the models read fewer features than were computed'),
        { points: 3, min: -3, max: 3 },
      ),
      forPeople('rqs-06-non-radiomics-features', '6. Multivariable analysis with non-radiomics features +1', 'clinical covariates are not in the ledger (no personal data)', 0, 1),
      forPeople('rqs-07-biological-correlates', '7. Biological correlates +1', 'written by the authors', 0, 1),
      rqs(filled('RQS', 'rqs-08-cut-off', '8. Cut-off analyses (a locked decision threshold) +1', this.decisionRules), { points: 1, min: 0, max: 1 }),
      rqs(
        discrimination.length > 0
          ? filled('RQS', 'rqs-09-discrimination', '9. Discrimination statistics (+1, +1 with resampling / confidence interval)', metricFact(discrimination), discrimination.map((d) => ({ metric: d.metric, ci: d.ci })))
          : people('RQS', 'rqs-09-discrimination', '9. Discrimination statistics (+1, +1 with resampling / confidence interval)', 'no discrimination statistic (AUC, C-index) is recorded'),
        { points: statPoints(discrimination), min: 0, max: 2 },
      ),
      rqs(
        calibration.length > 0
          ? filled('RQS', 'rqs-10-calibration', '10. Calibration statistics (+1, +1 with resampling / confidence interval)', metricFact(calibration), calibration.map((d) => ({ metric: d.metric, ci: d.ci })))
          : people('RQS', 'rqs-10-calibration', '10. Calibration statistics (+1, +1 with resampling / confidence interval)', 'no calibration statistic is recorded with the models'),
        { points: statPoints(calibration), min: 0, max: 2 },
      ),
      forPeople('rqs-11-prospective-registered', '11. Prospective study registered in a trial database +7', 'the registry entry (e.g. ClinicalTrials.gov number) is not a ledger fact', 0, 7),
      rqs(
        validationPoints === null
          ? people('RQS', 'rqs-12-validation', '12. Validation (−5 missing; +2 same institute; +3 another; +4 two distinct; +5 three or more)', 'no test partition is recorded in the bundle: validation may exist outside the ledger')
          : filled('RQS', 'rqs-12-validation', '12. Validation (−5 missing; +2 same institute; +3 another; +4 two distinct; +5 three or more)', this.partitions, { developmentSites: [...developmentSites].sort(), testSites, externalSites }),
        { points: validationPoints, min: -5, max: 5 },
      ),
      forPeople('rqs-13-gold-standard', '13. Comparison to "gold standard" +2', 'written by the authors', 0, 2),
      forPeople('rqs-14-clinical-utility', '14. Potential clinical utility +2', 'written by the authors', 0, 2),
      forPeople('rqs-15-cost-effectiveness', '15. Cost-effectiveness analysis +1', 'written by the authors', 0, 1),
      forPeople('rqs-16-open-science', '16. Open science and data (+1 each: scans, segmentations, code, features)', 'a publication decision', 0, 4),
    ];
  }

  /** PROBAST+AI (Moons et al., BMJ 2025): risk of bias and applicability, by domain. */
  private probastItems(
    filled: (g: Guideline, item: string, topic: string, fact: Fact<unknown>, value?: unknown) => ChecklistItem,
    people: (g: Guideline, item: string, topic: string, why: string) => ChecklistItem,
    partitionCounts: Record<string, number>,
  ): ChecklistItem[] {
    const settings = [...this.ibsi.values.values()];
    const models = [...this.modelSpec.values.values()];
    return [
      filled('PROBAST+AI', 'participants-data-sources', 'Domain 1: data sources, centres and equipment', merged(this.sites, this.scanners, this.subjects), {
        sites: [...this.sites.values.values()],
        scanners: [...this.scanners.values.values()],
        subjects: this.subjects.values.size,
      }),
      people('PROBAST+AI', 'participants-eligibility', 'Domain 1: appropriate inclusions and exclusions', 'eligibility criteria are not ledger facts'),
      filled('PROBAST+AI', 'predictors-consistent', 'Domain 2: predictors defined and measured the same way for all participants', this.ibsi, { distinctExtractorSettings: settings.length, consistent: settings.length === 1, settings }),
      filled('PROBAST+AI', 'predictors-blind-to-outcome', 'Domain 2: predictors assessed without knowledge of the outcome', merged(this.computed, this.imported), {
        computedByRadLedger: this.computed.count,
        importedAttested: this.imported.count,
        trialBlinded: this.trialBlinded,
      }),
      filled('PROBAST+AI', 'predictors-available-at-use', 'Domain 2: predictors available when the model is used', this.modelSpec, models.map((m) => ({ model: `${m.modelId}@${m.version}`, featureCodes: m.featureCodes, inputModality: m.inputModality }))),
      people('PROBAST+AI', 'outcome-definition', 'Domain 3: outcome defined and determined appropriately, without predictor knowledge', 'the reference standard is outside the ledger'),
      people('PROBAST+AI', 'analysis-sample-size', 'Domain 4: enough participants with the outcome', 'outcome counts are outside the ledger'),
      people('PROBAST+AI', 'analysis-missing-data', 'Domain 4: missing data handled appropriately', 'must be described by the analysts'),
      filled('PROBAST+AI', 'analysis-data-leakage', 'Domain 4: test data kept apart from development (no leakage)', this.partitions, { partitions: partitionCounts, sitesByPartition: this.sitesByPartition(), declaredDevelopmentPartitions: models.map((m) => ({ model: `${m.modelId}@${m.version}`, trainingLineage: m['trainingLineage'] })) }),
      filled('PROBAST+AI', 'analysis-performance', 'Domain 4: discrimination and calibration evaluated', this.performance),
      people('PROBAST+AI', 'analysis-overfitting', 'Domain 4: overfitting and optimism accounted for', 'training and tuning ran outside RadLedger'),
      filled('PROBAST+AI', 'analysis-locking', 'Domain 4: the evaluated model is the released one (locked bytes, validations)', merged(this.lock, this.validation), { locks: [...this.lock.values.values()], validations: [...this.validation.values.values()] }),
      people('PROBAST+AI', 'fairness', 'Algorithmic fairness across subgroups', 'subgroup attributes are deliberately not in the ledger (no personal data)'),
      people('PROBAST+AI', 'applicability', 'Applicability to the review question (participants, predictors, outcome)', 'judged by the reviewers'),
    ];
  }
}

/** METRICS protocol adherence: every deviation recorded in scope; "none" is a finding only when protocols were defined. */
function deviationItem(deviations: Fact<{ imageId: string; siteId: string; protocolId: string; deviations: unknown }>, value: unknown, protocols: Fact<unknown>): ChecklistItem {
  const base = { guideline: 'METRICS' as const, item: 'protocol-adherence', topic: 'Protocol adherence: every protocol deviation in scope' };
  if (deviations.count > 0) return { ...base, status: 'filled-from-ledger', value, sourceEventIds: deviations.ids, sourceEventCount: deviations.count };
  // No deviation against recorded protocols is itself a finding; its evidence is the protocols checked against.
  if (protocols.count > 0) return { ...base, status: 'filled-from-ledger', value: { deviationCount: 0, deviations: [] }, sourceEventIds: protocols.ids, sourceEventCount: protocols.count };
  return { ...base, status: 'for-people', why: 'no imaging protocol is recorded, so adherence cannot be checked' };
}
