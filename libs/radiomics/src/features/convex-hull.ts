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
  for (const d of LINE_DIRECTIONS) {
    const e = d[0] === 0 ? [1, 0, 0] : [0, 1, 0];
    const u = [d[1] * e[2]! - d[2] * e[1]!, d[2] * e[0]! - d[0] * e[2]!, d[0] * e[1]! - d[1] * e[0]!];
    const v = [d[1] * u[2]! - d[2] * u[1]!, d[2] * u[0]! - d[0] * u[2]!, d[0] * u[1]! - d[1] * u[0]!];
    const lo = new Map<number, number>();
    const hi = new Map<number, number>();
    const keys = new Float64Array(n);
    const along = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = points[3 * i]!, y = points[3 * i + 1]!, z = points[3 * i + 2]!;
      const key = (u[0]! * x + u[1]! * y + u[2]! * z) * 4_194_304 + (v[0]! * x + v[1]! * y + v[2]! * z);
      const t = d[0] * x + d[1] * y + d[2] * z;
      keys[i] = key;
      along[i] = t;
      const l = lo.get(key);
      if (l === undefined || t < l) lo.set(key, t);
      const h = hi.get(key);
      if (h === undefined || t > h) hi.set(key, t);
    }
    for (let i = 0; i < n; i++) {
      if (along[i] !== lo.get(keys[i]!) && along[i] !== hi.get(keys[i]!)) keep[i] = 0;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(i);
  return out;
}

/** Returns null when all points are coplanar (no 3D hull). */
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

  const fa: number[] = [];
  const fb: number[] = [];
  const fc: number[] = [];
  const alive: boolean[] = [];
  const edges = new Map<number, number>();
  const addFace = (a: number, b: number, c: number): void => {
    const id = fa.length;
    fa.push(a); fb.push(b); fc.push(c); alive.push(true);
    edges.set(a * m + b, id);
    edges.set(b * m + c, id);
    edges.set(c * m + a, id);
  };
  // Outward: orient(face, interior point) < 0.
  if (orient(p, i0, i1, i2, i3) < 0) {
    addFace(i0, i1, i2); addFace(i0, i3, i1); addFace(i1, i3, i2); addFace(i2, i3, i0);
  } else {
    addFace(i0, i2, i1); addFace(i0, i1, i3); addFace(i1, i2, i3); addFace(i2, i0, i3);
  }
  let liveFaces = [0, 1, 2, 3];
  let visibleFlags = new Uint8Array(64);
  let insertions = 0;
  for (let q = 0; q < m; q++) {
    if (q === i0 || q === i1 || q === i2 || q === i3) continue;
    const seen: number[] = [];
    for (const f of liveFaces) if (alive[f] && orient(p, fa[f]!, fb[f]!, fc[f]!, q) > 0) seen.push(f);
    if (seen.length === 0) continue;
    if (visibleFlags.length < fa.length) {
      const grown = new Uint8Array(Math.max(fa.length * 2, 64));
      grown.set(visibleFlags);
      visibleFlags = grown;
    }
    for (const f of seen) visibleFlags[f] = 1;
    const horizon: number[] = [];
    for (const f of seen) {
      const tri = [fa[f]!, fb[f]!, fc[f]!];
      for (let k = 0; k < 3; k++) {
        const a = tri[k]!;
        const b = tri[(k + 1) % 3]!;
        const twin = edges.get(b * m + a);
        if (twin === undefined || !visibleFlags[twin]) horizon.push(a, b);
      }
    }
    for (const f of seen) {
      alive[f] = false;
      visibleFlags[f] = 0;
      const tri = [fa[f]!, fb[f]!, fc[f]!];
      for (let k = 0; k < 3; k++) {
        const key = tri[k]! * m + tri[(k + 1) % 3]!;
        if (edges.get(key) === f) edges.delete(key);
      }
    }
    const firstNew = fa.length;
    for (let k = 0; k < horizon.length; k += 2) addFace(horizon[k]!, horizon[k + 1]!, q);
    for (let f = firstNew; f < fa.length; f++) liveFaces.push(f);
    if (++insertions % 32 === 0) liveFaces = liveFaces.filter((f) => alive[f]);
  }
  const triangles: number[] = [];
  const used = new Set<number>();
  for (const f of liveFaces) {
    if (!alive[f]) continue;
    triangles.push(cand[fa[f]!]!, cand[fb[f]!]!, cand[fc[f]!]!);
    used.add(cand[fa[f]!]!); used.add(cand[fb[f]!]!); used.add(cand[fc[f]!]!);
  }
  return { vertexIndices: [...used].sort((a, b) => a - b), triangles };
}
