/**
 * Marching cubes (Lorensen & Cline 1987) for a binary mask at iso-level 0.5, as IBSI 3.1
 * prescribes for the mesh-based morphology features. Our own construction: instead of a
 * hand-typed 256-entry table, each cube case is triangulated from the iso-lines on its six
 * faces. Each face contributes oriented segments between its crossing edges; the segments
 * chain into closed loops that are fan-triangulated. On a face with two diagonal inside
 * corners the inside corners are cut off separately (the same choice on both cubes that
 * share the face, so the surface is closed). Triangles are oriented with normals pointing
 * out of the ROI, so the divergence theorem gives a positive volume.
 *
 * With a binary field and iso-level 0.5 every vertex is an edge midpoint, so vertices are
 * returned in doubled voxel-index units: exact small integers.
 */

type Vec3 = readonly [number, number, number];

const CORNERS: Vec3[] = Array.from({ length: 8 }, (_, c) => [c & 1, (c >> 1) & 1, (c >> 2) & 1] as const);

/** The 12 cube edges as [corner a, corner b, axis] with b = a + unit(axis). */
const EDGES: Array<[number, number, number]> = [];
for (let a = 0; a < 8; a++) {
  for (let axis = 0; axis < 3; axis++) {
    if (!(a & (1 << axis))) EDGES.push([a, a | (1 << axis), axis]);
  }
}
const edgeIndex = (a: number, b: number): number =>
  EDGES.findIndex(([p, q]) => (p === a && q === b) || (p === b && q === a));

/** Edge midpoint in doubled cube-local units (0..2). */
const EDGE_MID: Vec3[] = EDGES.map(([a, b]) => {
  const pa = CORNERS[a]!;
  const pb = CORNERS[b]!;
  return [pa[0] + pb[0], pa[1] + pb[1], pa[2] + pb[2]] as const;
});

const sub = (p: Vec3, q: Vec3): Vec3 => [p[0] - q[0], p[1] - q[1], p[2] - q[2]];
const cross = (p: Vec3, q: Vec3): Vec3 => [
  p[1] * q[2] - p[2] * q[1],
  p[2] * q[0] - p[0] * q[2],
  p[0] * q[1] - p[1] * q[0],
];
const dot = (p: Vec3, q: Vec3): number => p[0] * q[0] + p[1] * q[1] + p[2] * q[2];

interface Face {
  /** Corners in cyclic order around the face. */
  cycle: number[];
  normal: Vec3;
}
const FACES: Face[] = [];
for (let axis = 0; axis < 3; axis++) {
  const u = (axis + 1) % 3;
  const v = (axis + 2) % 3;
  for (const side of [0, 1]) {
    const corner = (cu: number, cv: number): number => (side << axis) | (cu << u) | (cv << v);
    const normal: [number, number, number] = [0, 0, 0];
    normal[axis] = side ? 1 : -1;
    FACES.push({ cycle: [corner(0, 0), corner(1, 0), corner(1, 1), corner(0, 1)], normal });
  }
}

/** Triangles per case as triples of edge indices. */
function buildCaseTable(): number[][] {
  const table: number[][] = [];
  for (let cubeCase = 0; cubeCase < 256; cubeCase++) {
    const inside = (c: number): boolean => ((cubeCase >> c) & 1) === 1;
    const next = new Map<number, number>();
    for (const face of FACES) {
      const { cycle } = face;
      const crossing: number[] = [];
      for (let k = 0; k < 4; k++) {
        if (inside(cycle[k]!) !== inside(cycle[(k + 1) % 4]!)) crossing.push(k);
      }
      if (crossing.length === 0) continue;
      const pairs: Array<[number, number]> = [];
      if (crossing.length === 2) {
        pairs.push([crossing[0]!, crossing[1]!]);
      } else {
        // Ambiguous face: cut off each inside corner c_k with the edges (k-1,k) and (k,k+1).
        for (let k = 0; k < 4; k++) {
          if (inside(cycle[k]!)) pairs.push([(k + 3) % 4, k]);
        }
      }
      for (const [s0, s1] of pairs) {
        const e0 = edgeIndex(cycle[s0]!, cycle[(s0 + 1) % 4]!);
        const e1 = edgeIndex(cycle[s1]!, cycle[(s1 + 1) % 4]!);
        // Orientation: t = N_f × n_face, with N_f pointing from inside to outside in the face.
        const [ea, eb] = EDGES[e0]!;
        const insideCorner = inside(ea) ? ea : eb;
        const mid: Vec3 = [
          (EDGE_MID[e0]![0] + EDGE_MID[e1]![0]) / 2,
          (EDGE_MID[e0]![1] + EDGE_MID[e1]![1]) / 2,
          (EDGE_MID[e0]![2] + EDGE_MID[e1]![2]) / 2,
        ];
        const c = CORNERS[insideCorner]!;
        const nf = sub(mid, [2 * c[0], 2 * c[1], 2 * c[2]]);
        const t = cross(nf, face.normal);
        const d = sub(EDGE_MID[e1]!, EDGE_MID[e0]!);
        if (dot(d, t) >= 0) next.set(e0, e1);
        else next.set(e1, e0);
      }
    }
    const triangles: number[] = [];
    const used = new Set<number>();
    for (const start of [...next.keys()].sort((a, b) => a - b)) {
      if (used.has(start)) continue;
      const loop: number[] = [];
      let e = start;
      while (!used.has(e)) {
        used.add(e);
        loop.push(e);
        e = next.get(e)!;
      }
      // Of the fan triangulations of a non-planar loop, take the one enclosing the most
      // volume (the convex choice). This reproduces the IBSI reference mesh of the digital
      // phantom (V = 556, A = 388); the first-vertex fan gives V = 553.
      let bestStart = 0;
      let bestVol = -Infinity;
      for (let s0 = 0; s0 < loop.length; s0++) {
        let vol = 0;
        for (let k = 1; k + 1 < loop.length; k++) {
          const a = sub(EDGE_MID[loop[s0]!]!, [1, 1, 1]);
          const b = sub(EDGE_MID[loop[(s0 + k) % loop.length]!]!, [1, 1, 1]);
          const c = sub(EDGE_MID[loop[(s0 + k + 1) % loop.length]!]!, [1, 1, 1]);
          vol += dot(a, cross(b, c));
        }
        if (vol > bestVol + 1e-9) {
          bestVol = vol;
          bestStart = s0;
        }
      }
      for (let k = 1; k + 1 < loop.length; k++)
        triangles.push(loop[bestStart]!, loop[(bestStart + k) % loop.length]!, loop[(bestStart + k + 1) % loop.length]!);
    }
    table.push(triangles);
  }
  return table;
}

const CASE_TABLE = buildCaseTable();

export interface BinaryMesh {
  /** Unique vertices, doubled index units of the zero-padded grid, xyz interleaved. */
  vertices: Int32Array;
  /** Triangles as vertex index triples, oriented outwards. */
  triangles: Int32Array;
}

/**
 * Meshes the surface of a binary mask (1 = inside). The grid is padded by one voxel of
 * zeros on each side, so vertex coordinate c (doubled units) maps to voxel index c/2 − 1.
 */
export function marchingCubesBinary(
  mask: Uint8Array,
  dims: readonly [number, number, number],
): BinaryMesh {
  const [nx, ny, nz] = dims;
  const px = nx + 2;
  const py = ny + 2;
  const pz = nz + 2;
  const at = (x: number, y: number, z: number): number => {
    const ix = x - 1;
    const iy = y - 1;
    const iz = z - 1;
    if (ix < 0 || iy < 0 || iz < 0 || ix >= nx || iy >= ny || iz >= nz) return 0;
    return mask[ix + nx * (iy + ny * iz)]! ? 1 : 0;
  };
  const vertexId = new Map<number, number>();
  const vertices: number[] = [];
  const triangles: number[] = [];
  for (let z = 0; z < pz - 1; z++) {
    for (let y = 0; y < py - 1; y++) {
      for (let x = 0; x < px - 1; x++) {
        let cubeCase = 0;
        for (let c = 0; c < 8; c++) {
          if (at(x + (c & 1), y + ((c >> 1) & 1), z + ((c >> 2) & 1))) cubeCase |= 1 << c;
        }
        if (cubeCase === 0 || cubeCase === 255) continue;
        const tris = CASE_TABLE[cubeCase]!;
        for (let k = 0; k < tris.length; k++) {
          const [a, , axis] = EDGES[tris[k]!]!;
          const ca = CORNERS[a]!;
          const gx = x + ca[0];
          const gy = y + ca[1];
          const gz = z + ca[2];
          const key = ((gz * py + gy) * px + gx) * 3 + axis;
          let id = vertexId.get(key);
          if (id === undefined) {
            id = vertices.length / 3;
            vertexId.set(key, id);
            const m = EDGE_MID[tris[k]!]!;
            vertices.push(2 * x + m[0], 2 * y + m[1], 2 * z + m[2]);
          }
          triangles.push(id);
        }
      }
    }
  }
  return { vertices: Int32Array.from(vertices), triangles: Int32Array.from(triangles) };
}
