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

/** Per case, the triangles' edges as offsets into EDGE_* tables (flattened, with starts). */
const CASE_START = new Int32Array(257);
const CASE_EDGES = new Int32Array(CASE_TABLE.reduce((n, t) => n + t.length, 0));
for (let c = 0, k = 0; c < 256; c++) {
  CASE_START[c] = k;
  for (const e of CASE_TABLE[c]!) CASE_EDGES[k++] = e;
  CASE_START[c + 1] = k;
}
/** Per edge: its first corner's offset in the cube, its axis, its midpoint (doubled units). */
const EDGE_CORNER_X = Int32Array.from(EDGES, ([a]) => CORNERS[a]![0]);
const EDGE_CORNER_Y = Int32Array.from(EDGES, ([a]) => CORNERS[a]![1]);
const EDGE_CORNER_Z = Int32Array.from(EDGES, ([a]) => CORNERS[a]![2]);
const EDGE_AXIS = Int32Array.from(EDGES, ([, , axis]) => axis);
const EDGE_MID_X = Int32Array.from(EDGE_MID, (m) => m[0]);
const EDGE_MID_Y = Int32Array.from(EDGE_MID, (m) => m[1]);
const EDGE_MID_Z = Int32Array.from(EDGE_MID, (m) => m[2]);

/**
 * Meshes the surface of a binary mask (1 = inside). The grid is padded by one voxel of
 * zeros on each side, so vertex coordinate c (doubled units) maps to voxel index c/2 − 1.
 * Cubes are visited z, y, x ascending and a vertex is numbered when first used, so the
 * output is a pure function of the mask.
 */
export function marchingCubesBinary(
  mask: Uint8Array,
  dims: readonly [number, number, number],
): BinaryMesh {
  const [nx, ny, nz] = dims;
  const px = nx + 2;
  const py = ny + 2;
  const pz = nz + 2;
  const slab = px * py;
  const padded = new Uint8Array(slab * pz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      const src = nx * (y + ny * z);
      const dst = 1 + px * (y + 1 + py * (z + 1));
      for (let x = 0; x < nx; x++) padded[dst + x] = mask[src + x] ? 1 : 0;
    }
  // First pass: the number of triangle corners, so the outputs are allocated once.
  let corners = 0;
  for (let z = 0; z < pz - 1; z++) {
    for (let y = 0; y < py - 1; y++) {
      for (let x = 0, i = slab * z + px * y; x < px - 1; x++, i++) {
        const cubeCase =
          padded[i]! | (padded[i + 1]! << 1) | (padded[i + px]! << 2) | (padded[i + px + 1]! << 3) |
          (padded[i + slab]! << 4) | (padded[i + slab + 1]! << 5) | (padded[i + slab + px]! << 6) | (padded[i + slab + px + 1]! << 7);
        corners += CASE_START[cubeCase + 1]! - CASE_START[cubeCase]!;
      }
    }
  }
  // Vertex ids of the edges starting on grid planes z and z + 1 (two rolling slabs).
  const ids = new Int32Array(2 * slab * 3).fill(-1);
  const vertices = new Int32Array(3 * corners); // at most one new vertex per corner
  let nVertices = 0;
  const triangles = new Int32Array(corners);
  let nTriangleIndices = 0;
  for (let z = 0; z < pz - 1; z++) {
    ids.fill(-1, ((z + 1) & 1) * slab * 3, (((z + 1) & 1) + 1) * slab * 3);
    for (let y = 0; y < py - 1; y++) {
      for (let x = 0, i = slab * z + px * y; x < px - 1; x++, i++) {
        const cubeCase =
          padded[i]! | (padded[i + 1]! << 1) | (padded[i + px]! << 2) | (padded[i + px + 1]! << 3) |
          (padded[i + slab]! << 4) | (padded[i + slab + 1]! << 5) | (padded[i + slab + px]! << 6) | (padded[i + slab + px + 1]! << 7);
        if (cubeCase === 0 || cubeCase === 255) continue;
        const end = CASE_START[cubeCase + 1]!;
        for (let k = CASE_START[cubeCase]!; k < end; k++) {
          const edge = CASE_EDGES[k]!;
          const gz = z + EDGE_CORNER_Z[edge]!;
          const key = ((gz & 1) * slab + (y + EDGE_CORNER_Y[edge]!) * px + x + EDGE_CORNER_X[edge]!) * 3 + EDGE_AXIS[edge]!;
          let id = ids[key]!;
          if (id < 0) {
            id = nVertices++;
            ids[key] = id;
            vertices[3 * id] = 2 * x + EDGE_MID_X[edge]!;
            vertices[3 * id + 1] = 2 * y + EDGE_MID_Y[edge]!;
            vertices[3 * id + 2] = 2 * z + EDGE_MID_Z[edge]!;
          }
          triangles[nTriangleIndices++] = id;
        }
      }
    }
  }
  return { vertices: vertices.slice(0, 3 * nVertices), triangles };
}
