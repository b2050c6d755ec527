import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { convexHull3d } from './convex-hull.js';
import { marchingCubesBinary } from './marching-cubes.js';
import { computeMorphology } from './morphology.features.js';

const measures = (mesh: { vertices: Int32Array; triangles: ArrayLike<number> }) => {
  let volume = 0;
  let area = 0;
  const p = (i: number) => [mesh.vertices[3 * i]! / 2, mesh.vertices[3 * i + 1]! / 2, mesh.vertices[3 * i + 2]! / 2];
  for (let t = 0; t < mesh.triangles.length; t += 3) {
    const [a, b, c] = [p(mesh.triangles[t]!), p(mesh.triangles[t + 1]!), p(mesh.triangles[t + 2]!)];
    volume += (a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) + a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!)) / 6;
    const u = [b[0]! - a[0]!, b[1]! - a[1]!, b[2]! - a[2]!];
    const w = [c[0]! - a[0]!, c[1]! - a[1]!, c[2]! - a[2]!];
    area += Math.hypot(u[1]! * w[2]! - u[2]! * w[1]!, u[2]! * w[0]! - u[0]! * w[2]!, u[0]! * w[1]! - u[1]! * w[0]!) / 2;
  }
  return { volume, area };
};

test('a single voxel meshes to the octahedron of its face centres (V = 1/6, A = √3)', () => {
  const mesh = marchingCubesBinary(Uint8Array.of(1), [1, 1, 1]);
  assert.equal(mesh.vertices.length / 3, 6);
  const { volume, area } = measures(mesh);
  assert.ok(Math.abs(volume - 1 / 6) < 1e-12, String(volume));
  assert.ok(Math.abs(area - Math.sqrt(3)) < 1e-12, String(area));
});

const maskArb = fc
  .record({ nx: fc.integer({ min: 1, max: 4 }), ny: fc.integer({ min: 1, max: 4 }), nz: fc.integer({ min: 1, max: 4 }) })
  .chain(({ nx, ny, nz }) =>
    fc.array(fc.integer({ min: 0, max: 1 }), { minLength: nx * ny * nz, maxLength: nx * ny * nz }).map((bits) => ({
      dims: [nx, ny, nz] as [number, number, number],
      data: Uint8Array.from(bits),
    })),
  );

test('any mask gives a closed, consistently oriented mesh with positive volume (property)', () => {
  fc.assert(
    fc.property(maskArb, ({ dims, data }) => {
      const mesh = marchingCubesBinary(data, dims);
      const edges = new Map<string, number>();
      for (let t = 0; t < mesh.triangles.length; t += 3) {
        for (let k = 0; k < 3; k++) {
          const key = `${mesh.triangles[t + k]},${mesh.triangles[t + ((k + 1) % 3)]}`;
          edges.set(key, (edges.get(key) ?? 0) + 1);
        }
      }
      for (const [key, count] of edges) {
        const [a, b] = key.split(',');
        assert.equal(count, edges.get(`${b},${a}`), `edge ${key} has no single reverse`);
      }
      const { volume } = measures(mesh);
      const voxels = data.reduce((s, v) => s + v, 0);
      if (voxels === 0) assert.equal(mesh.triangles.length, 0);
      else assert.ok(volume > 0 && volume <= voxels + 1e-9, `volume ${volume} for ${voxels} voxels`);
    }),
  );
});

test('the convex hull holds every mesh vertex and at least the mesh volume (property)', () => {
  fc.assert(
    fc.property(maskArb, ({ dims, data }) => {
      if (!data.some((v) => v)) return;
      const mesh = marchingCubesBinary(data, dims);
      const hull = convexHull3d(mesh.vertices);
      if (!hull) return;
      const P = mesh.vertices;
      for (let t = 0; t < hull.triangles.length; t += 3) {
        const [a, b, c] = [hull.triangles[t]!, hull.triangles[t + 1]!, hull.triangles[t + 2]!];
        for (let q = 0; q < P.length / 3; q++) {
          const d = (i: number, k: number) => P[3 * i + k]! - P[3 * a + k]!;
          const o =
            d(b, 0) * (d(c, 1) * d(q, 2) - d(c, 2) * d(q, 1)) -
            d(b, 1) * (d(c, 0) * d(q, 2) - d(c, 2) * d(q, 0)) +
            d(b, 2) * (d(c, 0) * d(q, 1) - d(c, 1) * d(q, 0));
          assert.ok(o <= 0, `vertex ${q} outside hull face ${t / 3}`);
        }
      }
      assert.ok(measures({ vertices: P, triangles: hull.triangles }).volume >= measures(mesh).volume - 1e-9);
    }),
  );
});

test('morphology of a 3×3×3 cube of 1 mm voxels', () => {
  const data = new Uint8Array(27).fill(1);
  const mask = { dims: [3, 3, 3] as const, spacing: [1, 1, 1] as const, data };
  const f = computeMorphology({
    image: { dims: [3, 3, 3], spacing: [1, 1, 1], data: new Float64Array(27).fill(2) },
    morphologicalMask: mask,
    intensityMask: data,
    spatialAutocorrelationMaxVoxels: 1000,
  });
  assert.equal(f.YEKZ, 27);
  // Marching cubes chamfers the 8 corners and 12 edges of the 3 mm cube: 27 − 8·(1/48)·… ;
  // bounded by the voxel volume and the inscribed body of the vertex midpoints.
  assert.ok(f.RNU0! < 27 && f.RNU0! > 20, String(f.RNU0));
  assert.equal(f.KLMA, 0); // uniform intensity: centres of mass coincide
  assert.ok(Math.abs(f.Q3CK! - 1) < 1e-12 && Math.abs(f.N17B! - 1) < 1e-12);
  assert.ok(Math.abs(f.L0JK! - Math.hypot(3, 2, 2)) < 1e-9, String(f.L0JK)); // hull of edge midpoints
});

test('degenerate ROIs give NaN (undefined), never ±Infinity, for shape ratios', () => {
  const data = new Uint8Array(27);
  data[9] = data[10] = data[11] = 1; // a 3-voxel line in one slice
  const f = computeMorphology({
    image: { dims: [3, 3, 3], spacing: [1, 1, 1], data: new Float64Array(27).fill(1) },
    morphologicalMask: { dims: [3, 3, 3], spacing: [1, 1, 1], data },
    intensityMask: data,
    spatialAutocorrelationMaxVoxels: 100,
  });
  assert.ok(Number.isNaN(f['6BDE']!)); // zero-volume enclosing ellipsoid
  assert.equal(f.N17B, 0);
  assert.ok(Object.values(f).every((v) => Number.isNaN(v) || Number.isFinite(v)));
  assert.equal(f.YEKZ, 3);
});
