/**
 * 3D convex hull (incremental, Clarkson–Shor style without conflict lists) of points with
 * small integer coordinates, so orientation tests are exact in double precision. Used for
 * the convex-hull densities (IBSI 3.1.23-24) and the maximum 3D diameter (IBSI 3.1.11).
 */
export interface ConvexHull {
  /** Indices (into the input points) of hull vertices, ascending. */
  vertexIndices: number[];
  /** Outward-oriented triangles as point index triples. */
  triangles: number[];
}

function orient(p: Int32Array, a: number, b: number, c: number, d: number): number {
  const ax = p[3 * a]!, ay = p[3 * a + 1]!, az = p[3 * a + 2]!;
  const bx = p[3 * b]! - ax, by = p[3 * b + 1]! - ay, bz = p[3 * b + 2]! - az;
  const cx = p[3 * c]! - ax, cy = p[3 * c + 1]! - ay, cz = p[3 * c + 2]! - az;
  const dx = p[3 * d]! - ax, dy = p[3 * d + 1]! - ay, dz = p[3 * d + 2]! - az;
  return bx * (cy * dz - cz * dy) - by * (cx * dz - cz * dx) + bz * (cx * dy - cy * dx);
}

/** The 13 line directions of the 26-neighbourhood (one of each ± pair). */
const LINE_DIRECTIONS: ReadonlyArray<readonly [number, number, number]> = [
  [1, 0, 0], [0, 1, 0], [0, 0, 1],
  [1, 1, 0], [1, -1, 0], [1, 0, 1], [1, 0, -1], [0, 1, 1], [0, 1, -1],
  [1, 1, 1], [1, 1, -1], [1, -1, 1], [1, -1, -1],
];

/**
 * Keeps only points that can be hull vertices: a point strictly between two others on a
 * line is not a vertex. For each of 13 lattice directions d, points are grouped by the line
 * through them along d (key: two integer functionals orthogonal to d) and only the two
 * extremes of each line survive.
 */
export function hullCandidates(points: Int32Array): number[] {
  const n = points.length / 3;
  const keep = new Uint8Array(n).fill(1);
  // Open addressing on the line's integer key pair (u·p, v·p); one flat loop per direction
  // (no calls inside the hot loops, so the first, unoptimised run is short too).
  let bits = 4;
  while (1 << bits < 2 * n) bits++;
  const size = 1 << bits, shift = 32 - bits, mask = size - 1;
  const used = new Uint8Array(size);
  const slotU = new Int32Array(size), slotV = new Int32Array(size);
  const lo = new Int32Array(size), hi = new Int32Array(size);
  const slotOf = new Int32Array(n), along = new Int32Array(n);
  for (const d of LINE_DIRECTIONS) {
    const e = d[0] === 0 ? [1, 0, 0] : [0, 1, 0];
    const u = [d[1] * e[2]! - d[2] * e[1]!, d[2] * e[0]! - d[0] * e[2]!, d[0] * e[1]! - d[1] * e[0]!];
    const v = [d[1] * u[2]! - d[2] * u[1]!, d[2] * u[0]! - d[0] * u[2]!, d[0] * u[1]! - d[1] * u[0]!];
    const [u0, u1, u2] = u as [number, number, number];
    const [v0, v1, v2] = v as [number, number, number];
    const [d0, d1, d2] = d;
    used.fill(0);
    for (let i = 0; i < n; i++) {
      const x = points[3 * i]!, y = points[3 * i + 1]!, z = points[3 * i + 2]!;
      // Integer arithmetic (|0): no −0 from (−1)·0, which would leave the int32 fast path.
      const ku = (u0 * x + u1 * y + u2 * z) | 0, kv = (v0 * x + v1 * y + v2 * z) | 0;
      const t = (d0 * x + d1 * y + d2 * z) | 0;
      // Multiplicative hashing: the high bits of the product mix every bit of the key.
      let slot = Math.imul(Math.imul(ku, 0x9e3779b1) ^ kv, 0x85ebca77) >>> shift;
      while (used[slot] && (slotU[slot] !== ku || slotV[slot] !== kv)) slot = (slot + 1) & mask;
      if (!used[slot]) {
        used[slot] = 1;
        slotU[slot] = ku;
        slotV[slot] = kv;
        lo[slot] = t;
        hi[slot] = t;
      } else {
        if (t < lo[slot]!) lo[slot] = t;
        if (t > hi[slot]!) hi[slot] = t;
      }
      slotOf[i] = slot;
      along[i] = t;
    }
    for (let i = 0; i < n; i++) {
      const slot = slotOf[i]!;
      if (along[i] !== lo[slot] && along[i] !== hi[slot]) keep[i] = 0;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(i);
  return out;
}

/**
 * Returns null when all points are coplanar (no 3D hull). Incremental construction in the
 * points' order; a face is visible from q when q lies strictly outside its plane (exact in
 * double precision: the coordinates are small integers).
 */
export function convexHull3d(points: Int32Array): ConvexHull | null {
  const cand = hullCandidates(points);
  const m = cand.length;
  if (m < 4) return null;
  const p = new Int32Array(3 * m);
  for (let i = 0; i < m; i++) {
    p[3 * i] = points[3 * cand[i]!]!;
    p[3 * i + 1] = points[3 * cand[i]! + 1]!;
    p[3 * i + 2] = points[3 * cand[i]! + 2]!;
  }
  const d2 = (a: number, b: number): number => {
    const x = p[3 * a]! - p[3 * b]!, y = p[3 * a + 1]! - p[3 * b + 1]!, z = p[3 * a + 2]! - p[3 * b + 2]!;
    return x * x + y * y + z * z;
  };
  // Initial tetrahedron from extreme points (deterministic: first maximum wins).
  const i0 = 0;
  let i1 = -1;
  let best = 0;
  for (let i = 1; i < m; i++) if (d2(i0, i) > best) { best = d2(i0, i); i1 = i; }
  if (i1 < 0) return null;
  let i2 = -1;
  best = 0;
  for (let i = 0; i < m; i++) {
    const ux = p[3 * i1]! - p[0]!, uy = p[3 * i1 + 1]! - p[1]!, uz = p[3 * i1 + 2]! - p[2]!;
    const vx = p[3 * i]! - p[0]!, vy = p[3 * i + 1]! - p[1]!, vz = p[3 * i + 2]! - p[2]!;
    const cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
    const a = cx * cx + cy * cy + cz * cz;
    if (a > best) { best = a; i2 = i; }
  }
  if (i2 < 0) return null;
  let i3 = -1;
  best = 0;
  for (let i = 0; i < m; i++) {
    const o = Math.abs(orient(p, i0, i1, i2, i));
    if (o > best) { best = o; i3 = i; }
  }
  if (i3 < 0) return null;

  const faces = new HullFaces(p);
  // Outward: orient(face, interior point) < 0.
  if (orient(p, i0, i1, i2, i3) < 0) {
    faces.add(i0, i1, i2); faces.add(i0, i3, i1); faces.add(i1, i3, i2); faces.add(i2, i3, i0);
  } else {
    faces.add(i0, i2, i1); faces.add(i0, i1, i3); faces.add(i1, i2, i3); faces.add(i2, i0, i3);
  }
  const edges = new Map<number, number>();
  for (let f = 0; f < 4; f++) for (let k = 0; k < 3; k++) edges.set(faces.vertex(f, k) * m + faces.vertex(f, (k + 1) % 3), f);
  // Live faces in creation order (compacted now and then; dead ones are skipped).
  let live = new Int32Array(64);
  let nLive = 4;
  live.set([0, 1, 2, 3]);
  let visible = new Uint8Array(64);
  const seen: number[] = [];
  const horizon: number[] = [];
  let insertions = 0;
  for (let q = 0; q < m; q++) {
    if (q === i0 || q === i1 || q === i2 || q === i3) continue;
    const qx = p[3 * q]!, qy = p[3 * q + 1]!, qz = p[3 * q + 2]!;
    seen.length = 0;
    const plane = faces.plane, alive = faces.alive;
    for (let k = 0; k < nLive; k++) {
      const f = live[k]!;
      if (alive[f] && plane[4 * f]! * qx + plane[4 * f + 1]! * qy + plane[4 * f + 2]! * qz > plane[4 * f + 3]!) seen.push(f);
    }
    if (seen.length === 0) continue;
    if (visible.length < faces.count) {
      const grown = new Uint8Array(Math.max(faces.count * 2, 64));
      grown.set(visible);
      visible = grown;
    }
    for (const f of seen) visible[f] = 1;
    horizon.length = 0;
    for (const f of seen) {
      for (let k = 0; k < 3; k++) {
        const a = faces.vertex(f, k);
        const b = faces.vertex(f, (k + 1) % 3);
        const twin = edges.get(b * m + a);
        if (twin === undefined || !visible[twin]) horizon.push(a, b);
      }
    }
    for (const f of seen) {
      faces.alive[f] = 0;
      visible[f] = 0;
      for (let k = 0; k < 3; k++) {
        const key = faces.vertex(f, k) * m + faces.vertex(f, (k + 1) % 3);
        if (edges.get(key) === f) edges.delete(key);
      }
    }
    for (let k = 0; k < horizon.length; k += 2) {
      const f = faces.add(horizon[k]!, horizon[k + 1]!, q);
      edges.set(horizon[k]! * m + horizon[k + 1]!, f);
      edges.set(horizon[k + 1]! * m + q, f);
      edges.set(q * m + horizon[k]!, f);
      if (nLive === live.length) {
        const grown = new Int32Array(live.length * 2);
        grown.set(live);
        live = grown;
      }
      live[nLive++] = f;
    }
    if (++insertions % 32 === 0) {
      let w = 0;
      for (let k = 0; k < nLive; k++) if (faces.alive[live[k]!]) live[w++] = live[k]!;
      nLive = w;
    }
  }
  const triangles: number[] = [];
  const used = new Set<number>();
  for (let k = 0; k < nLive; k++) {
    const f = live[k]!;
    if (!faces.alive[f]) continue;
    for (let j = 0; j < 3; j++) {
      triangles.push(cand[faces.vertex(f, j)]!);
      used.add(cand[faces.vertex(f, j)]!);
    }
  }
  return { vertexIndices: [...used].sort((a, b) => a - b), triangles };
}

/**
 * Hull faces as vertex triples with their planes: normal n = (b − a) × (c − a) and offset
 * n·a, so q sees the face when n·q > n·a (the sign of orient(a, b, c, q)).
 */
class HullFaces {
  count = 0;
  vertices = new Int32Array(3 * 64);
  plane = new Float64Array(4 * 64);
  alive = new Uint8Array(64);
  constructor(private readonly p: Int32Array) {}
  vertex(f: number, k: number): number {
    return this.vertices[3 * f + k]!;
  }
  add(a: number, b: number, c: number): number {
    const f = this.count++;
    if (f === this.alive.length) {
      const grow = <T extends Int32Array | Float64Array | Uint8Array>(arr: T, make: (n: number) => T): T => {
        const next = make(arr.length * 2);
        next.set(arr);
        return next;
      };
      this.vertices = grow(this.vertices, (n) => new Int32Array(n));
      this.plane = grow(this.plane, (n) => new Float64Array(n));
      this.alive = grow(this.alive, (n) => new Uint8Array(n));
    }
    const p = this.p;
    this.vertices[3 * f] = a;
    this.vertices[3 * f + 1] = b;
    this.vertices[3 * f + 2] = c;
    const ax = p[3 * a]!, ay = p[3 * a + 1]!, az = p[3 * a + 2]!;
    const ux = p[3 * b]! - ax, uy = p[3 * b + 1]! - ay, uz = p[3 * b + 2]! - az;
    const vx = p[3 * c]! - ax, vy = p[3 * c + 1]! - ay, vz = p[3 * c + 2]! - az;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    this.plane[4 * f] = nx;
    this.plane[4 * f + 1] = ny;
    this.plane[4 * f + 2] = nz;
    this.plane[4 * f + 3] = nx * ax + ny * ay + nz * az;
    this.alive[f] = 1;
    return f;
  }
}
