import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveResponse, isMeasurable, type ResponseDerivation } from './rano-criteria.js';
import { given, READER_A, READER_B, type ResponseRecordBuilder } from './testing/response-record.builder.js';

/**
 * Worked examples written out of the criteria (RANO 2010, Wen et al. J Clin Oncol 2010 Table 2;
 * mRANO, Ellingson et al. Neurotherapeutics 2017; RANO 2.0, Wen et al. J Clin Oncol 2023).
 * Unless a case says otherwise: radiotherapy ends on study day 42, the post-radiotherapy
 * baseline is day 70, follow-ups are 8-weekly (days 126, 182, 238, 294). Day 126 is 84 days
 * after radiotherapy: inside the 12-week pseudoprogression window; day 182 is outside it.
 */

const calls = (d: ResponseDerivation) => Object.fromEntries(d.timepoints.map((t) => [t.timepointId, `${t.category}/${t.confirmation}`]));
const at = (d: ResponseDerivation, tp: string) => {
  const t = d.timepoints.find((x) => x.timepointId === tp);
  assert.ok(t, `no derivation for ${tp}`);
  return t;
};
const rules = (d: ResponseDerivation, tp: string) => at(d, tp).steps.map((s) => s.rule);

/** Two enhancing targets (30 × 20 = 600 mm², 20 × 15 = 300 mm²; SPD 900) and one non-target, dexamethasone 4 mg/day. */
function twoTargets(): ResponseRecordBuilder {
  return given()
    .timepoint('BL', 70)
    .baseline('BL')
    .lesion('T1', 'BL', 'target')
    .lesion('T2', 'BL', 'target')
    .lesion('N1', 'BL', 'non-target')
    .measure('BL', 'T1', 30, 20)
    .measure('BL', 'T2', 20, 15)
    .nonTarget('BL', 'N1', 'present')
    .clinical('BL', 4);
}

/** One enhancing target 20 × 20 = 400 mm², dexamethasone 2 mg/day. */
function oneTarget(options: Parameters<ResponseRecordBuilder['baseline']>[1] = {}): ResponseRecordBuilder {
  return given().timepoint('BL', 70).baseline('BL', options).lesion('T1', 'BL', 'target').measure('BL', 'T1', 20, 20).clinical('BL', 2);
}

test('PR: given SPD 900 at baseline, when it falls to 400 (−55.6%) and then 316, then PR is preliminary and confirmed by the scan 56 days later', () => {
  const b = twoTargets()
    .timepoint('F1', 126).measure('F1', 'T1', 20, 14).measure('F1', 'T2', 12, 10).nonTarget('F1', 'N1', 'present').clinical('F1', 2)
    .timepoint('F2', 182).measure('F2', 'T1', 18, 12).measure('F2', 'T2', 10, 10).nonTarget('F2', 'N1', 'present').clinical('F2', 2);
  const atF1 = deriveResponse(b.state(), READER_A, { upToTimepointId: 'F1' });
  assert.deepEqual(calls(atF1), { BL: 'baseline/not-applicable', F1: 'PR/pending' });
  assert.deepEqual(rules(atF1, 'F1'), ['PARTIAL_RESPONSE', 'RESPONSE_CONFIRMATION_PENDING']);
  assert.equal(at(atF1, 'F1').targetSum, 400);
  assert.ok(Math.abs(at(atF1, 'F1').changeFromBaseline! - -5 / 9) < 1e-12);
  const all = deriveResponse(b.state(), READER_A);
  assert.deepEqual(calls(all), { BL: 'baseline/not-applicable', F1: 'PR/confirmed', F2: 'PR/confirmed' });
  assert.deepEqual(at(all, 'F2').resolves, [{ timepointId: 'F1', category: 'PR', outcome: 'confirmed' }]);
  assert.equal(all.bestOverallResponse, 'PR');
  // The trail names the measurements that were summed, with their images.
  assert.deepEqual(at(all, 'F2').measurements.map((m) => [m.lesionId, m.product, m.imageId]), [['T1', 216, 'img-F2'], ['T2', 100, 'img-F2']]);
});

test('PR not confirmed: given a PR at day 126, when day 182 is SD, then the PR is refuted and the best overall response is SD', () => {
  const b = twoTargets()
    .timepoint('F1', 126).measure('F1', 'T1', 20, 14).measure('F1', 'T2', 12, 10).nonTarget('F1', 'N1', 'present').clinical('F1', 2)
    .timepoint('F2', 182).measure('F2', 'T1', 25, 18).measure('F2', 'T2', 14, 12).nonTarget('F2', 'N1', 'present').clinical('F2', 2);
  const d = deriveResponse(b.state(), READER_A);
  // 25·18 + 14·12 = 618 ≥ 1.25 · nadir 400: progression from the nadir ends the unconfirmed PR.
  assert.deepEqual(calls(d), { BL: 'baseline/not-applicable', F1: 'PR/not-confirmed', F2: 'PD/not-required' });
  assert.deepEqual(at(d, 'F2').resolves, [{ timepointId: 'F1', category: 'PR', outcome: 'not-confirmed' }]);
  const sd = twoTargets()
    .timepoint('F1', 126).measure('F1', 'T1', 20, 14).measure('F1', 'T2', 12, 10).nonTarget('F1', 'N1', 'present').clinical('F1', 2)
    .timepoint('F2', 182).measure('F2', 'T1', 20, 18).measure('F2', 'T2', 12, 10).nonTarget('F2', 'N1', 'present').clinical('F2', 2);
  const d2 = deriveResponse(sd.state(), READER_A);
  // 360 + 120 = 480: −46.7% from baseline (not PR), +20% from nadir 400 (not PD) → SD.
  assert.deepEqual(calls(d2), { BL: 'baseline/not-applicable', F1: 'PR/not-confirmed', F2: 'SD/not-applicable' });
  assert.deepEqual(rules(d2, 'F2'), ['STABLE_DISEASE', 'RESPONSE_NOT_CONFIRMED']);
  assert.equal(d2.bestOverallResponse, 'SD');
});

test('CR: given all disease gone off corticosteroids at two scans 56 days apart, then CR is confirmed; CR followed by PR confirms PR', () => {
  const cr = twoTargets()
    .timepoint('F1', 126).measure('F1', 'T1', 0, 0).measure('F1', 'T2', 0, 0).nonTarget('F1', 'N1', 'absent').clinical('F1', 0, 'improved')
    .timepoint('F2', 182).measure('F2', 'T1', 0, 0).measure('F2', 'T2', 0, 0).nonTarget('F2', 'N1', 'absent').clinical('F2', 0, 'improved');
  const d = deriveResponse(cr.state(), READER_A);
  assert.deepEqual(calls(d), { BL: 'baseline/not-applicable', F1: 'CR/confirmed', F2: 'CR/confirmed' });
  assert.equal(rules(d, 'F1')[0], 'COMPLETE_RESPONSE');
  assert.equal(d.bestOverallResponse, 'CR');

  const crThenPr = twoTargets()
    .timepoint('F1', 126).measure('F1', 'T1', 0, 0).measure('F1', 'T2', 0, 0).nonTarget('F1', 'N1', 'absent').clinical('F1', 0)
    .timepoint('F2', 182).measure('F2', 'T1', 8, 6).measure('F2', 'T2', 0, 0).nonTarget('F2', 'N1', 'absent').clinical('F2', 0);
  // 8 × 6 mm is not measurable, so it is no reappearance-progression; 48 mm² ≤ 0.5 · 900 is PR.
  const d2 = deriveResponse(crThenPr.state(), READER_A);
  assert.deepEqual(at(d2, 'F2').resolves, [{ timepointId: 'F1', category: 'PR', outcome: 'confirmed' }]);
  assert.equal(d2.bestOverallResponse, 'PR');
});

test('CR and corticosteroids: physiological replacement is allowed; a dose ≤ baseline gives PR; a dose above baseline gives SD', () => {
  const withDose = (dose: number, physiologic = false) =>
    deriveResponse(oneTarget().timepoint('F1', 126).measure('F1', 'T1', 0, 0).clinical('F1', dose, 'stable', { physiologic }).state(), READER_A);
  assert.equal(at(withDose(0.5, true), 'F1').category, 'CR');
  const onSteroids = withDose(1);
  assert.equal(at(onSteroids, 'F1').category, 'PR');
  assert.deepEqual(rules(onSteroids, 'F1').slice(0, 2), ['COMPLETE_SIZE_BUT_CORTICOSTEROIDS', 'PARTIAL_RESPONSE']);
  const increased = withDose(6);
  assert.equal(at(increased, 'F1').category, 'SD');
  assert.ok(rules(increased, 'F1').includes('RESPONSE_SIZE_BUT_CORTICOSTEROIDS_ABOVE_BASELINE'));
});

test('corticosteroid increase alone is not progression (RANO 2010 Table 2): stable size with a higher dose is SD', () => {
  const d = deriveResponse(oneTarget().timepoint('F1', 182).measure('F1', 'T1', 21, 20).clinical('F1', 8).state(), READER_A);
  assert.equal(at(d, 'F1').category, 'SD');
});

test('CR needs every non-target lesion assessed absent: an unassessed non-target leaves size-CR at PR', () => {
  const d = deriveResponse(twoTargets().timepoint('F1', 126).measure('F1', 'T1', 0, 0).measure('F1', 'T2', 0, 0).clinical('F1', 0).state(), READER_A);
  assert.equal(at(d, 'F1').category, 'PR');
  assert.ok(rules(d, 'F1').includes('NON_TARGET_NOT_ASSESSED'));
});

test('bidimensional thresholds at their boundary: −50% is PR, −49.9% is SD; +25% from nadir is PD, +24.9% is SD', () => {
  // Baseline 20 × 20 = 400 mm². Beyond the 12-week window (day 182) so PD needs no confirmation.
  const one = (l: number, p: number) => at(deriveResponse(oneTarget().timepoint('F1', 182).measure('F1', 'T1', l, p).clinical('F1', 2).state(), READER_A), 'F1');
  assert.equal(one(20, 10).category, 'PR'); // 200 = 0.5 · 400
  assert.equal(one(20, 10.02).category, 'SD'); // 200.4: −49.9%
  assert.equal(one(25, 20).category, 'PD'); // 500 = 1.25 · 400
  assert.equal(one(24.95, 20).category, 'SD'); // 499: +24.75%
  // Decimal diameters whose binary product is not exact still meet the threshold.
  assert.equal(one(12.5, 16).category, 'PR'); // 200.00000000000003 in floating point
});

test('volumetric thresholds: −65% is PR and −64% SD; +40% is PD and +39% SD (mRANO 2017, RANO 2.0)', () => {
  const vol = (v: number) =>
    at(deriveResponse(oneTarget({ method: 'volumetric' }).measure('BL', 'T1', 20, 20, { volumeMm3: 10000 }).timepoint('F1', 182).measure('F1', 'T1', 20, 20, { volumeMm3: v }).clinical('F1', 2).state(), READER_A), 'F1');
  assert.equal(vol(3500).category, 'PR');
  assert.equal(vol(3600).category, 'SD');
  assert.equal(vol(14000).category, 'PD');
  assert.equal(vol(13900).category, 'SD');
  // The same lesion read bidimensionally at −50% of the product is PR, volumetrically at −50% of the volume only SD.
  assert.equal(vol(5000).category, 'SD');
  assert.equal(vol(14000).targetSum, 14000);
});

test('progression is measured from the nadir, response from baseline: +26% from the nadir is PD while still −47% from baseline', () => {
  const b = twoTargets()
    .timepoint('F1', 126).measure('F1', 'T1', 20, 14).measure('F1', 'T2', 12, 10).nonTarget('F1', 'N1', 'present').clinical('F1', 2)
    .timepoint('F2', 182).measure('F2', 'T1', 20, 13).measure('F2', 'T2', 12, 10).nonTarget('F2', 'N1', 'present').clinical('F2', 2)
    .timepoint('F3', 238).measure('F3', 'T1', 22, 16).measure('F3', 'T2', 12, 10).nonTarget('F3', 'N1', 'present').clinical('F3', 2);
  const d = deriveResponse(b.state(), READER_A);
  // F2: 260 + 120 = 380, the nadir. F3: 352 + 120 = 472: +24.2% from the nadir, −47.6% from baseline → SD.
  assert.equal(at(d, 'F3').category, 'SD');
  // The reader corrects F3 to 24 × 15: 360 + 120 = 480, +26.3% from the nadir, still −46.7% from baseline.
  const pd = b.measure('F3', 'T1', 24, 15);
  const d2 = deriveResponse(pd.state(), READER_A);
  assert.equal(at(d2, 'F3').nadirSum, 380);
  assert.equal(at(d2, 'F3').category, 'PD');
  assert.equal(at(d2, 'F3').confirmation, 'not-required');
  assert.ok(Math.abs(at(d2, 'F3').changeFromBaseline! - (480 - 900) / 900) < 1e-12);
  assert.equal(d2.progressionStudyDay, 238);
  assert.equal(d2.bestOverallResponse, 'PR');
});

test('PD after 12 weeks needs no confirmation (RANO 2.0); under the mRANO policy "always" it is preliminary', () => {
  const b = oneTarget().timepoint('F1', 182).measure('F1', 'T1', 25, 20).clinical('F1', 2);
  const d = deriveResponse(b.state(), READER_A);
  assert.deepEqual(calls(d), { BL: 'baseline/not-applicable', F1: 'PD/not-required' });
  assert.deepEqual(rules(d, 'F1'), ['TARGET_SUM_INCREASE_FROM_NADIR', 'PD_NO_CONFIRMATION_REQUIRED']);
  assert.equal(d.progressionStudyDay, 182);
  assert.equal(d.bestOverallResponse, 'PD');
  const always = oneTarget({ criteria: { progressionConfirmation: 'always' } }).timepoint('F1', 182).measure('F1', 'T1', 25, 20).clinical('F1', 2);
  assert.deepEqual(calls(deriveResponse(always.state(), READER_A)), { BL: 'baseline/not-applicable', F1: 'PD/pending' });
});

test('preliminary PD within 12 weeks, confirmed: a further ≥ 25% increase 28 days later confirms it, progression dates from the preliminary scan', () => {
  // Day 112 is 70 days after radiotherapy: 20 × 26 = 520 (+30%) → preliminary. Day 140: 660 ≥ 1.25 · 520 = 650 → confirmed.
  const b = oneTarget()
    .timepoint('F1', 112).measure('F1', 'T1', 26, 20).clinical('F1', 2)
    .timepoint('F2', 140).measure('F2', 'T1', 30, 22).clinical('F2', 2)
    .timepoint('F3', 196).measure('F3', 'T1', 35, 25).clinical('F3', 2);
  const atF1 = deriveResponse(b.state(), READER_A, { upToTimepointId: 'F1' });
  assert.deepEqual(calls(atF1), { BL: 'baseline/not-applicable', F1: 'PD/pending' });
  assert.deepEqual(rules(atF1, 'F1'), ['TARGET_SUM_INCREASE_FROM_NADIR', 'PRELIMINARY_PD_CONFIRMATION_REQUIRED']);
  assert.equal(atF1.progressionStudyDay, null);
  const d = deriveResponse(b.state(), READER_A);
  assert.deepEqual(calls(d), { BL: 'baseline/not-applicable', F1: 'PD/confirmed', F2: 'PD/confirmed', F3: 'NE/not-applicable' });
  assert.deepEqual(at(d, 'F2').resolves, [{ timepointId: 'F1', category: 'PD', outcome: 'confirmed' }]);
  assert.ok(rules(d, 'F2').includes('FURTHER_TARGET_INCREASE_FROM_PRELIMINARY_PD'));
  assert.equal(at(d, 'F2').progressionStudyDay, 112);
  assert.equal(d.progressionStudyDay, 112);
  assert.deepEqual(rules(d, 'F3'), ['AFTER_CONFIRMED_PROGRESSION']);
});

test('preliminary PD not confirmed (pseudoprogression): the confirmation scan back below +25% of the nadir withdraws it', () => {
  const b = oneTarget()
    .timepoint('F1', 112).measure('F1', 'T1', 26, 20).clinical('F1', 4)
    .timepoint('F2', 140).measure('F2', 'T1', 19, 20).clinical('F2', 2);
  const d = deriveResponse(b.state(), READER_A);
  assert.deepEqual(calls(d), { BL: 'baseline/not-applicable', F1: 'PD/not-confirmed', F2: 'SD/not-applicable' });
  assert.deepEqual(at(d, 'F2').resolves, [{ timepointId: 'F1', category: 'PD', outcome: 'not-confirmed' }]);
  assert.deepEqual(rules(d, 'F2'), ['PRELIMINARY_PD_NOT_CONFIRMED', 'STABLE_DISEASE']);
  assert.equal(d.progressionStudyDay, null);
  assert.equal(d.bestOverallResponse, 'SD');
});

test('preliminary PD that persists without further increase stays preliminary until a later scan confirms it', () => {
  const b = oneTarget()
    .timepoint('F1', 112).measure('F1', 'T1', 26, 20).clinical('F1', 2) // 520
    .timepoint('F2', 140).measure('F2', 'T1', 28, 20).clinical('F2', 2) // 560: ≥ 500 (nadir · 1.25) but < 650
    .timepoint('F3', 196).measure('F3', 'T1', 35, 20).clinical('F3', 2); // 700 ≥ 650
  const atF2 = deriveResponse(b.state(), READER_A, { upToTimepointId: 'F2' });
  assert.deepEqual(calls(atF2), { BL: 'baseline/not-applicable', F1: 'PD/pending', F2: 'PD/pending' });
  assert.ok(rules(atF2, 'F2').includes('PRELIMINARY_PD_PERSISTS'));
  const d = deriveResponse(b.state(), READER_A);
  assert.deepEqual(at(d, 'F3').resolves, [{ timepointId: 'F1', category: 'PD', outcome: 'confirmed' }]);
  assert.equal(d.progressionStudyDay, 112);
});

test('a confirmation scan earlier than 4 weeks cannot confirm', () => {
  const b = oneTarget()
    .timepoint('F1', 112).measure('F1', 'T1', 26, 20).clinical('F1', 2)
    .timepoint('F2', 126).measure('F2', 'T1', 35, 20).clinical('F2', 2) // 14 days later
    .timepoint('F3', 140).measure('F3', 'T1', 35, 20).clinical('F3', 2); // 28 days after F1
  const d = deriveResponse(b.state(), READER_A);
  assert.equal(at(d, 'F2').confirmation, 'pending');
  assert.ok(rules(d, 'F2').includes('CONFIRMATION_SCAN_TOO_EARLY'));
  assert.deepEqual(at(d, 'F3').resolves, [{ timepointId: 'F1', category: 'PD', outcome: 'confirmed' }]);
  const early = oneTarget()
    .timepoint('F1', 126).measure('F1', 'T1', 10, 10).clinical('F1', 2)
    .timepoint('F2', 140).measure('F2', 'T1', 10, 10).clinical('F2', 2)
    .timepoint('F3', 182).measure('F3', 'T1', 10, 10).clinical('F3', 2);
  const r = deriveResponse(early.state(), READER_A);
  assert.deepEqual(calls(r), { BL: 'baseline/not-applicable', F1: 'PR/confirmed', F2: 'PR/confirmed', F3: 'PR/confirmed' });
  assert.deepEqual(at(r, 'F3').resolves, [{ timepointId: 'F1', category: 'PR', outcome: 'confirmed' }]);
});

test('new lesions: measurable → PD; inside the radiation field within 12 weeks → preliminary; outside → PD without confirmation', () => {
  const base = (outside: boolean | null) =>
    oneTarget().timepoint('F1', 112).lesion('X1', 'F1', 'new', { outsideRadiationField: outside }).measure('F1', 'T1', 20, 20).measure('F1', 'X1', 12, 11).clinical('F1', 2);
  const inside = deriveResponse(base(false).state(), READER_A);
  assert.deepEqual(calls(inside), { BL: 'baseline/not-applicable', F1: 'PD/pending' });
  assert.deepEqual(rules(inside, 'F1'), ['NEW_MEASURABLE_LESION', 'PRELIMINARY_PD_CONFIRMATION_REQUIRED']);
  const outside = deriveResponse(base(true).state(), READER_A);
  assert.deepEqual(calls(outside), { BL: 'baseline/not-applicable', F1: 'PD/not-required' });
  assert.deepEqual(rules(outside, 'F1'), ['NEW_MEASURABLE_LESION', 'PD_NEW_LESION_OUTSIDE_RADIATION_FIELD']);
});

test('a new non-measurable lesion prevents a response; when it becomes measurable it is progression (RANO 2.0)', () => {
  const b = oneTarget()
    .timepoint('F1', 182).lesion('X1', 'F1', 'new').measure('F1', 'T1', 10, 10).measure('F1', 'X1', 8, 6).clinical('F1', 2)
    .timepoint('F2', 238).measure('F2', 'T1', 10, 10).measure('F2', 'X1', 14, 12).clinical('F2', 2);
  const d = deriveResponse(b.state(), READER_A);
  assert.equal(at(d, 'F1').category, 'SD');
  assert.ok(rules(d, 'F1').includes('RESPONSE_SIZE_BUT_NEW_LESION'));
  assert.deepEqual(at(d, 'F1').newLesions, [{ lesionId: 'X1', measurable: false, present: true, outsideRadiationField: null }]);
  assert.equal(at(d, 'F2').category, 'PD');
  assert.deepEqual(rules(d, 'F2'), ['NEW_MEASURABLE_LESION', 'PD_NO_CONFIRMATION_REQUIRED']);
});

test('non-target unequivocal progression is PD', () => {
  const d = deriveResponse(twoTargets().timepoint('F1', 182).measure('F1', 'T1', 30, 20).measure('F1', 'T2', 20, 15).nonTarget('F1', 'N1', 'unequivocal-progression').clinical('F1', 4).state(), READER_A);
  assert.equal(at(d, 'F1').category, 'PD');
  assert.equal(rules(d, 'F1')[0], 'NON_TARGET_UNEQUIVOCAL_PROGRESSION');
});

test('clinical deterioration: from the tumour it is PD without confirmation even within 12 weeks; from another cause it only blocks a response', () => {
  const tumour = deriveResponse(oneTarget().timepoint('F1', 112).measure('F1', 'T1', 20, 20).clinical('F1', 2, 'deteriorated', { cause: 'tumour' }).state(), READER_A);
  assert.deepEqual(calls(tumour), { BL: 'baseline/not-applicable', F1: 'PD/not-required' });
  assert.deepEqual(rules(tumour, 'F1'), ['CLINICAL_DETERIORATION', 'PD_CLINICAL_NO_CONFIRMATION']);
  const other = deriveResponse(oneTarget().timepoint('F1', 182).measure('F1', 'T1', 10, 10).clinical('F1', 2, 'deteriorated', { cause: 'other-cause' }).state(), READER_A);
  assert.equal(at(other, 'F1').category, 'SD');
  assert.ok(rules(other, 'F1').includes('RESPONSE_SIZE_BUT_CLINICAL_WORSE'));
});

test('measurability: both diameters ≥ 10 mm (≥ 2 × slice thickness above 5 mm); a non-measurable target is followed as non-target', () => {
  assert.equal(isMeasurable({ longestDiameterMm: 10, perpendicularDiameterMm: 10, sliceThicknessMm: null }), true);
  assert.equal(isMeasurable({ longestDiameterMm: 25, perpendicularDiameterMm: 9.9, sliceThicknessMm: 1 }), false);
  assert.equal(isMeasurable({ longestDiameterMm: 11, perpendicularDiameterMm: 11, sliceThicknessMm: 6 }), false);
  assert.equal(isMeasurable({ longestDiameterMm: 12, perpendicularDiameterMm: 12, sliceThicknessMm: 6 }), true);
  const b = given().timepoint('BL', 70).baseline('BL').lesion('T1', 'BL', 'target').lesion('T2', 'BL', 'target').measure('BL', 'T1', 20, 20).measure('BL', 'T2', 12, 9).clinical('BL', 2);
  const d = deriveResponse(b.state(), READER_A);
  assert.deepEqual(rules(d, 'BL'), ['TARGET_NOT_MEASURABLE_AT_BASELINE', 'BASELINE']);
  assert.equal(at(d, 'BL').baselineSum, 400);
  assert.deepEqual(at(d, 'BL').nonTarget, [{ lesionId: 'T2', status: 'not-assessed' }]);
});

test('not evaluable: a missing target measurement is NE, unless the measured part already shows progression', () => {
  const missing = deriveResponse(twoTargets().timepoint('F1', 182).measure('F1', 'T1', 28, 20).clinical('F1', 4).state(), READER_A);
  assert.equal(at(missing, 'F1').category, 'NE');
  assert.deepEqual(rules(missing, 'F1'), ['TARGET_MEASUREMENT_MISSING']);
  const partialPd = deriveResponse(twoTargets().timepoint('F1', 182).measure('F1', 'T1', 40, 30).clinical('F1', 4).state(), READER_A);
  assert.equal(at(partialPd, 'F1').category, 'PD'); // 1200 ≥ 1.25 · 900 from T1 alone
  const noBaseline = deriveResponse(twoTargets().timepoint('F1', 182).state(), READER_B);
  assert.deepEqual(calls(noBaseline), { BL: 'NE/not-applicable', F1: 'NE/not-applicable' });
  const noClinical = deriveResponse(oneTarget().timepoint('F1', 182).measure('F1', 'T1', 10, 10).state(), READER_A);
  assert.equal(at(noClinical, 'F1').category, 'NE');
  assert.ok(rules(noClinical, 'F1').includes('CLINICAL_DATA_REQUIRED'));
});

test('reappearance after a complete response is PD (nadir 0)', () => {
  const b = oneTarget()
    .timepoint('F1', 126).measure('F1', 'T1', 0, 0).clinical('F1', 0)
    .timepoint('F2', 182).measure('F2', 'T1', 0, 0).clinical('F2', 0)
    .timepoint('F3', 238).measure('F3', 'T1', 11, 10).clinical('F3', 0);
  const d = deriveResponse(b.state(), READER_A);
  assert.deepEqual(calls(d), { BL: 'baseline/not-applicable', F1: 'CR/confirmed', F2: 'CR/confirmed', F3: 'PD/not-required' });
  assert.equal(rules(d, 'F3')[0], 'TARGET_REAPPEARANCE_AFTER_COMPLETE_RESPONSE');
  assert.equal(d.bestOverallResponse, 'CR');
});

test('MR for non-enhancing tumours: 25% to < 50% decrease, confirmed like a PR (RANO 2.0)', () => {
  const b = given()
    .timepoint('BL', 70).baseline('BL', { component: 'non-enhancing', radiotherapyEndStudyDay: null })
    .lesion('T1', 'BL', 'target', { component: 'non-enhancing' }).measure('BL', 'T1', 40, 30).clinical('BL', 0)
    .timepoint('F1', 126).measure('F1', 'T1', 35, 24).clinical('F1', 0) // 840: −30%
    .timepoint('F2', 182).measure('F2', 'T1', 34, 24).clinical('F2', 0); // 816: −32%
  const d = deriveResponse(b.state(), READER_A);
  assert.deepEqual(calls(d), { BL: 'baseline/not-applicable', F1: 'MR/confirmed', F2: 'MR/confirmed' });
  assert.equal(d.bestOverallResponse, 'MR');
  // The same decrease in an enhancing tumour is SD (MR exists only for non-enhancing disease).
  const enh = deriveResponse(given().timepoint('BL', 70).baseline('BL').lesion('T1', 'BL', 'target').measure('BL', 'T1', 40, 30).clinical('BL', 0).timepoint('F1', 182).measure('F1', 'T1', 35, 24).clinical('F1', 0).state(), READER_A);
  assert.equal(at(enh, 'F1').category, 'SD');
});

test('each reader is derived from their own measurements', () => {
  const b = oneTarget()
    .measure('BL', 'T1', 22, 20, { reader: READER_B })
    .timepoint('F1', 182).measure('F1', 'T1', 25, 20).measure('F1', 'T1', 24, 20, { reader: READER_B }).clinical('F1', 2);
  assert.equal(at(deriveResponse(b.state(), READER_A), 'F1').category, 'PD'); // 500 vs 400: +25%
  assert.equal(at(deriveResponse(b.state(), READER_B), 'F1').category, 'SD'); // 480 vs 440: +9%
});

test('lesions of the other component are not assessed (RANO 2.0: no T2/FLAIR progression for enhancing tumours)', () => {
  const b = oneTarget().lesion('F', 'BL', 'non-target', { component: 'non-enhancing' }).timepoint('F1', 182).measure('F1', 'T1', 20, 20).nonTarget('F1', 'F', 'unequivocal-progression').clinical('F1', 2);
  assert.equal(at(deriveResponse(b.state(), READER_A), 'F1').category, 'SD');
});
