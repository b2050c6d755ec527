import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as nifti from 'nifti-reader-js';
import { readNifti } from '@radledger/radiomics';
import { encodeNifti1 } from './synthetic/nifti1.encoder.js';
import { encodeNiftiGz } from './synthetic/nifti-gzip.io.js';
import { DEMO_GRID, diceCoefficient, generateSyntheticSubject, TISSUE, type SyntheticSubject } from './synthetic/synthetic-brain.js';
import { correctBiasField, foregroundMask, preprocessVolume } from './synthetic/demo-preprocessing.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const scanner3T = { fieldStrengthT: 3, vendor: 'Siemens' } as const;

function meanWhere(values: ArrayLike<number>, where: (i: number) => boolean): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) if (where(i)) (s += values[i]!), n++;
  assert.ok(n > 0, 'region is empty');
  return s / n;
}

const cache = new Map<string, SyntheticSubject>();
function subject(subjectId: string, phenotype: 'wildtype-like' | 'mutant-like', scanner: { fieldStrengthT: number; vendor: 'Siemens' | 'GE' | 'Philips' } = scanner3T): SyntheticSubject {
  const key = `${subjectId}/${phenotype}/${scanner.fieldStrengthT}/${scanner.vendor}`;
  if (!cache.has(key)) cache.set(key, generateSyntheticSubject({ seed: 7, subjectId, scanner, phenotype }));
  return cache.get(key)!;
}

describe('NIfTI-1 writer', () => {
  it('round-trips int16, float32 and uint8 volumes through the radiomics reader with grid and orientation', () => {
    const dims = [5, 4, 3] as const;
    const spacing = [2, 2.5, 3] as const;
    const n = 60;
    const cases = [
      { datatype: 'int16' as const, data: Int16Array.from({ length: n }, (_, i) => (i * 997) % 3000 - 1500) },
      { datatype: 'float32' as const, data: Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i) * 3.25)) },
      { datatype: 'uint8' as const, data: Uint8Array.from({ length: n }, (_, i) => i % 2) },
    ];
    for (const c of cases) {
      const loaded = readNifti(encodeNiftiGz({ dims, spacing, datatype: c.datatype, data: c.data }), c.datatype);
      assert.deepEqual([...loaded.volume.dims], [...dims]);
      assert.deepEqual([...loaded.volume.spacing], [...spacing]);
      assert.equal(loaded.datatype, c.datatype);
      assert.equal(loaded.format, 'nifti-1');
      assert.equal(loaded.geometry.orientation, 'RAS');
      assert.deepEqual(Array.from(loaded.volume.data), Array.from(c.data));
      // The grid is centred on the world origin: voxel (0,0,0) sits at -(n-1)/2 · spacing.
      assert.deepEqual(loaded.geometry.affine.slice(0, 3).map((r) => r[3]), [-4, -3.75, -3]);
    }
  });

  it('writes a header that nifti-reader-js reads the same way (magic, datatype, vox_offset, qform/sform)', () => {
    const bytes = encodeNifti1({ dims: [3, 2, 2], spacing: [1, 1, 2], datatype: 'int16', data: new Int16Array(12).fill(-7), description: 'test volume' });
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    assert.ok(nifti.isNIFTI1(buffer));
    const header = nifti.readHeader(buffer) as nifti.NIFTI1;
    assert.equal(header.datatypeCode, 4);
    assert.equal(header.numBitsPerVoxel, 16);
    assert.equal(header.vox_offset, 352);
    assert.equal(header.qform_code, 1);
    assert.equal(header.sform_code, 1);
    assert.equal(header.description, 'test volume');
    assert.deepEqual(header.dims.slice(0, 4), [3, 3, 2, 2]);
    assert.equal(new DataView(nifti.readImage(header, buffer)).getInt16(22, true), -7);
  });

  it('refuses a data array that does not match the grid', () => {
    assert.throws(() => encodeNifti1({ dims: [2, 2, 2], spacing: [1, 1, 1], datatype: 'uint8', data: new Uint8Array(7) }), /expected 8 voxels/);
  });
});

describe('synthetic glioma subject', () => {
  it('has the tumour regions with the intensity relations of post-contrast T1 and FLAIR', () => {
    const s = subject('GRA-TST-001', 'wildtype-like');
    const is = (label: number) => (i: number) => s.labels[i] === label;
    const t1 = (label: number) => meanWhere(s.t1c, is(label));
    const fl = (label: number) => meanWhere(s.flair, is(label));
    // T1c: enhancing rim brightest, necrotic core dark, oedema darker than white matter.
    assert.ok(t1(TISSUE.enhancing) > 1.3 * t1(TISSUE.white), 'enhancing rim bright on T1c');
    assert.ok(t1(TISSUE.necrosis) < 0.6 * t1(TISSUE.white), 'necrotic core dark on T1c');
    assert.ok(t1(TISSUE.oedema) < t1(TISSUE.white), 'oedema darker than white matter on T1c');
    assert.ok(t1(TISSUE.white) > t1(TISSUE.grey), 'grey/white contrast on T1');
    // FLAIR: oedema brightest, CSF suppressed.
    assert.ok(fl(TISSUE.oedema) > 1.5 * fl(TISSUE.white), 'oedema bright on FLAIR');
    assert.ok(fl(TISSUE.ventricle) < 0.4 * fl(TISSUE.white), 'CSF suppressed on FLAIR');
    // Masks: whole tumour is the union of the three regions; enhancing is inside it.
    for (let i = 0; i < s.labels.length; i++) {
      const tumourLabel = s.labels[i] === TISSUE.oedema || s.labels[i] === TISSUE.enhancing || s.labels[i] === TISSUE.necrosis;
      assert.equal(s.wholeTumour[i] === 1, tumourLabel, `whole tumour at voxel ${i}`);
      if (s.enhancing[i]) assert.equal(s.wholeTumour[i], 1);
    }
    const volumeCm3 = (s.wholeTumour.reduce((a, b) => a + b, 0) * 8) / 1000;
    assert.ok(volumeCm3 > 15 && volumeCm3 < 120, `whole tumour ${volumeCm3} cm³`);
  });

  it('gives the mutant-like phenotype no necrosis and only faint enhancement', () => {
    const s = subject('GRA-TST-002', 'mutant-like');
    assert.equal(s.labels.filter((l) => l === TISSUE.necrosis).length, 0);
    const white = meanWhere(s.t1c, (i) => s.labels[i] === TISSUE.white);
    const core = meanWhere(s.t1c, (i) => s.enhancing[i] === 1);
    assert.ok(core < 1.15 * white, `core ${core} vs white ${white}`);
  });

  it('makes an automatic segmentation that a second reader must correct (Dice 0.85-0.95) for any subject', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.boolean(), (n, mutant) => {
        const s = generateSyntheticSubject({ seed: 20261125, subjectId: `GRA-PRP-${n}`, scanner: scanner3T, phenotype: mutant ? 'mutant-like' : 'wildtype-like' });
        const d = diceCoefficient(s.wholeTumour, s.automaticWholeTumour);
        return d >= 0.85 && d <= 0.95;
      }),
      { numRuns: 8, seed: 42 },
    );
  });

  it('is deterministic: the same seed gives the same bytes, another seed or subject other bytes', () => {
    const a = generateSyntheticSubject({ seed: 11, subjectId: 'GRA-DET-001', scanner: scanner3T });
    const b = generateSyntheticSubject({ seed: 11, subjectId: 'GRA-DET-001', scanner: scanner3T });
    const c = generateSyntheticSubject({ seed: 12, subjectId: 'GRA-DET-001', scanner: scanner3T });
    const gz = (s: SyntheticSubject) => encodeNiftiGz({ dims: s.dims, spacing: s.spacing, datatype: 'int16', data: s.t1c });
    assert.equal(sha(gz(a)), sha(gz(b)));
    assert.equal(sha(encodeNiftiGz({ dims: a.dims, spacing: a.spacing, datatype: 'uint8', data: a.automaticWholeTumour })), sha(encodeNiftiGz({ dims: b.dims, spacing: b.spacing, datatype: 'uint8', data: b.automaticWholeTumour })));
    assert.notEqual(sha(gz(a)), sha(gz(c)));
    assert.notEqual(sha(a.flair as unknown as Uint8Array), sha(generateSyntheticSubject({ seed: 11, subjectId: 'GRA-DET-002', scanner: scanner3T }).flair as unknown as Uint8Array));
    assert.equal(gunzipSync(gz(a)).length, 352 + 2 * DEMO_GRID.dims.reduce((x, y) => x * y, 1));
  });

  it('scales intensities by vendor and adds more noise at 1.5 T than at 3 T', () => {
    const siemens = subject('GRA-TST-003', 'wildtype-like', { fieldStrengthT: 3, vendor: 'Siemens' });
    const ge = subject('GRA-TST-003', 'wildtype-like', { fieldStrengthT: 3, vendor: 'GE' });
    const air = (s: SyntheticSubject) => meanWhere(s.t1c, (i) => s.labels[i] === TISSUE.air);
    assert.ok(meanWhere(ge.t1c, (i) => ge.labels[i] === TISSUE.white) > 1.3 * meanWhere(siemens.t1c, (i) => siemens.labels[i] === TISSUE.white));
    const low = subject('GRA-TST-003', 'wildtype-like', { fieldStrengthT: 1.5, vendor: 'Siemens' });
    // Rician background: its mean is σ·√(π/2), so the noisier scanner has the brighter air.
    assert.ok(air(low) > 1.3 * air(siemens), `air 1.5 T ${air(low)} vs 3 T ${air(siemens)}`);
  });
});

describe('demo preprocessing', () => {
  it('bias-field correction flattens white matter and z-scoring gives foreground mean 0, sd 1', () => {
    const s = subject('GRA-TST-004', 'wildtype-like');
    const white = (values: ArrayLike<number>) => {
      let n = 0, sum = 0, ss = 0;
      for (let i = 0; i < values.length; i++) if (s.labels[i] === TISSUE.white) (n++, (sum += values[i]!), (ss += values[i]! ** 2));
      const mean = sum / n;
      return Math.sqrt(ss / n - mean * mean) / mean;
    };
    const corrected = correctBiasField(s.t1c, s.dims);
    assert.ok(white(corrected) < 0.85 * white(s.t1c), `white-matter CV ${white(corrected)} vs ${white(s.t1c)}`);
    const z = preprocessVolume(s.t1c, s.dims);
    const fg = foregroundMask(corrected, 0.15);
    let n = 0, sum = 0, ss = 0;
    for (let i = 0; i < z.length; i++) if (fg[i]) (n++, (sum += z[i]!), (ss += z[i]! ** 2));
    assert.ok(Math.abs(sum / n) < 1e-3);
    assert.ok(Math.abs(Math.sqrt(ss / n) - 1) < 1e-3);
  });
});
