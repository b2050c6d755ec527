import type { ImageGeometry } from '../io/nifti.reader.js';

/** The DICOM plane geometry (LPS patient space) of a voxel grid given in RAS. */
export interface DicomPlaneGeometry {
  imageOrientationPatient: number[];
  /** [spacing between rows, spacing between columns] in mm (PS3.3 C.7.6.2.1.1). */
  pixelSpacing: [number, number];
  sliceSpacing: number;
  /** ImagePositionPatient of slice z. */
  positionOf(z: number): number[];
}

const LPS = [-1, -1, 1];

/**
 * Frame rows run along voxel y and columns along voxel x: frame z holds voxels
 * x + nx·(y + ny·z) in order, row by row.
 */
export function dicomPlaneGeometry(geometry: ImageGeometry): DicomPlaneGeometry {
  const a = geometry.affine;
  const column = (k: number): number[] => [0, 1, 2].map((w) => LPS[w]! * a[w]![k]!);
  const c0 = column(0);
  const c1 = column(1);
  const c2 = column(2);
  const origin = column(3);
  const norm = (v: number[]): number => Math.hypot(v[0]!, v[1]!, v[2]!);
  const n0 = norm(c0);
  const n1 = norm(c1);
  return {
    imageOrientationPatient: [...c0.map((v) => v / n0), ...c1.map((v) => v / n1)].map(clean),
    pixelSpacing: [clean(n1), clean(n0)],
    sliceSpacing: clean(norm(c2)),
    positionOf: (z: number) => [0, 1, 2].map((w) => clean(origin[w]! + z * c2[w]!)),
  };
}

/** Drops binary noise (1e-17) so DS strings stay short and exact. */
function clean(v: number): number {
  const r = Number(v.toPrecision(12));
  return Object.is(r, -0) ? 0 : r;
}

/** A DS (decimal string) of at most 16 characters (PS3.5 6.2), as close to v as fits. */
export function decimalString(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  for (let p = 16; p >= 1; p--) {
    for (const s of [trimExponent(v.toPrecision(p)), trimExponent(v.toExponential(p - 1))]) {
      if (s.length <= 16) return s;
    }
  }
  return trimExponent(v.toExponential(6));
}

function trimExponent(s: string): string {
  // 1.2300e+5 → 1.23E5; DS allows E notation without '+'.
  const [m, e] = s.split('e');
  const mantissa = m!.includes('.') ? m!.replace(/0+$/, '').replace(/\.$/, '') : m!;
  return e === undefined ? mantissa : `${mantissa}E${Number(e)}`;
}
