// Trial-science costs (issue 15): per-feature ICC(2,1)/ICC(3,1) with 95% intervals over 100
// subjects × 2 readers × every feature the extractor computes, and the RANO 2.0 derivation over
// 1,000 timepoints (100 subjects × 10 follow-ups). Each is printed with its ratio to a baseline
// measured in the same run on the same data: one plain pass over the values (ICC), folding the
// recorded events into the response record (RANO).
import { SeededRandom } from '@radledger/platform';
import { defaultRadiomicsSettings, featureNames, featureReliability, type SubjectSegmentations } from '@radledger/radiomics';
import { DEFAULT_RANO_CRITERIA, deriveResponse, fold, responseAssessmentDecider, type ResponseAssessmentEvent } from '@radledger/domain';

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

function iccBench(): void {
  const codes = Object.keys(featureNames(defaultRadiomicsSettings()));
  const rng = SeededRandom.forLabel(15, 'science-bench');
  const subjects: SubjectSegmentations[] = Array.from({ length: 100 }, (_, i) => {
    const truth = codes.map(() => rng.normal() * 10 + 50);
    return {
      subjectId: `S-${i}`,
      imageId: `I-${i}`,
      featureSets: ['reader-a', 'reader-b'].map((raterId) => ({ raterId, values: Object.fromEntries(codes.map((c, j) => [c, truth[j]! + rng.normal() * (1 + (j % 7))])) })),
    };
  });
  let sink = 0;
  const baseline = best(5, () => {
    for (const code of codes) for (const s of subjects) for (const f of s.featureSets) sink += f.values[code]!;
  });
  let report = featureReliability(subjects);
  const icc = best(5, () => {
    report = featureReliability(subjects);
  });
  console.log(`ICC(2,1)+ICC(3,1) with 95% CIs: 100 subjects × 2 readers × ${codes.length} features in ${icc.toFixed(1)} ms (${((icc / codes.length) * 1000).toFixed(1)} µs per feature); ${report.reliable.length} reliable at 0.75`);
  console.log(`  baseline (one pass over the same ${100 * 2 * codes.length} values): ${baseline.toFixed(2)} ms; ratio ${(icc / baseline).toFixed(1)}×${sink === 0 ? '' : ''}`);
}

function ranoEvents(subject: number): ResponseAssessmentEvent[] {
  const ref = { trialId: 'BENCH', subjectId: `BENCH-${String(subject).padStart(4, '0')}` };
  const rng = SeededRandom.forLabel(subject, 'rano-bench');
  const events: ResponseAssessmentEvent[] = [];
  const tp = (id: string, day: number) => events.push({ type: 'ResponseTimepointRecorded', data: { ...ref, timepointId: id, studyDay: day, imageIds: [`img-${id}`] } });
  tp('BL', 70);
  events.push({ type: 'ResponseBaselineDesignated', data: { ...ref, timepointId: 'BL', kind: 'post-radiotherapy', radiotherapyEndStudyDay: 42, component: 'enhancing', method: 'bidimensional', criteria: DEFAULT_RANO_CRITERIA } });
  for (const l of ['T1', 'T2', 'T3']) events.push({ type: 'LesionIdentified', data: { ...ref, lesionId: l, timepointId: 'BL', role: 'target', component: 'enhancing', outsideRadiationField: null } });
  events.push({ type: 'LesionIdentified', data: { ...ref, lesionId: 'N1', timepointId: 'BL', role: 'non-target', component: 'enhancing', outsideRadiationField: null } });
  let size = [30, 22, 15];
  const measure = (id: string) => {
    size.forEach((d, k) => events.push({ type: 'LesionMeasured', data: { ...ref, timepointId: id, lesionId: `T${k + 1}`, readerId: 'reader-a', longestDiameterMm: d, perpendicularDiameterMm: d * 0.8, volumeMm3: null, sliceThicknessMm: 1, imageId: `img-${id}`, segmentationId: null, maskVersionId: null, reason: null } }));
    events.push({ type: 'NonTargetLesionAssessed', data: { ...ref, timepointId: id, lesionId: 'N1', readerId: 'reader-a', status: 'present', reason: null } });
    events.push({ type: 'ClinicalStatusRecorded', data: { ...ref, timepointId: id, dexamethasoneMgPerDay: 2, physiologicReplacementOnly: false, status: 'stable', deteriorationCause: null, reason: null } });
  };
  measure('BL');
  for (let f = 1; f <= 10; f++) {
    tp(`F${f}`, 70 + 42 * f);
    size = size.map((d) => Math.max(0, d * (0.85 + 0.3 * rng.uniform(0, 1))));
    measure(`F${f}`);
  }
  return events;
}

function ranoBench(): void {
  const histories = Array.from({ length: 100 }, (_, s) => ranoEvents(s));
  let states = histories.map((h) => fold(responseAssessmentDecider, h));
  const foldMs = best(5, () => {
    states = histories.map((h) => fold(responseAssessmentDecider, h));
  });
  let timepoints = 0;
  const categories: Record<string, number> = {};
  const deriveMs = best(5, () => {
    timepoints = 0;
    for (const state of states) {
      const d = deriveResponse(state, 'reader-a');
      timepoints += d.timepoints.length - 1;
      for (const t of d.timepoints) categories[t.category] = (categories[t.category] ?? 0) + 1;
    }
  });
  // As the decider runs it: each follow-up derived as known when it was read (upToTimepointId).
  const incrementalMs = best(3, () => {
    for (const state of states) for (let f = 1; f <= 10; f++) deriveResponse(state, 'reader-a', { upToTimepointId: `F${f}` });
  });
  console.log(`RANO 2.0 derivation: ${timepoints} timepoints (100 subjects × 10 follow-ups, 3 targets + 1 non-target) in ${deriveMs.toFixed(1)} ms (${((deriveMs / timepoints) * 1000).toFixed(1)} µs per timepoint)`);
  console.log(`  each timepoint derived as known then (AssessTimepointResponse): ${incrementalMs.toFixed(1)} ms for 1,000 assessments`);
  console.log(`  baseline (folding the same ${histories.reduce((n, h) => n + h.length, 0)} events into the records): ${foldMs.toFixed(1)} ms; ratio ${(deriveMs / foldMs).toFixed(2)}× (incremental ${(incrementalMs / foldMs).toFixed(2)}×)`);
  console.log(`  categories over all timepoints: ${JSON.stringify(Object.fromEntries(Object.entries(categories).map(([k, v]) => [k, v / 5])))}`);
}

export async function run(): Promise<void> {
  iccBench();
  ranoBench();
}
