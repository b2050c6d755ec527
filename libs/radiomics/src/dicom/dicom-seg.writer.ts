import dcmjs from 'dcmjs';
import type { DicomSeriesReference, ImageGeometry } from '../io/nifti.reader.js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { codeItem, DCM, DEFAULT_SEGMENT_CATEGORY, DEFAULT_SEGMENT_TYPE, type Code } from './dicom-codes.js';
import { decimalString, dicomPlaneGeometry } from './dicom-geometry.js';
import { dicomDateTime, withCharacterSet, EXPLICIT_VR_LITTLE_ENDIAN, IMPLEMENTATION_CLASS_UID, SOP_CLASS, uidFromSeed } from './dicom-uid.js';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

export interface SegmentInput {
  /** Segment number, 1..n, unique in the object. */
  number: number;
  label: string;
  /** On the image grid (x fastest): 0/1 for BINARY, fractions in [0, 1] for FRACTIONAL. */
  mask: Uint8Array | Float64Array;
  algorithmType: 'MANUAL' | 'SEMIAUTOMATIC' | 'AUTOMATIC';
  /** Required unless MANUAL (PS3.3 C.8.20.2). */
  algorithmName?: string;
  category?: Code;
  type?: Code;
}

export interface DicomSegWriteInput {
  geometry: ImageGeometry;
  segments: readonly SegmentInput[];
  /** The DICOM series the masks were drawn on: referenced per frame and in the header. */
  source?: DicomSeriesReference;
  /** BINARY (default) or a FRACTIONAL type. */
  fractionalType?: 'PROBABILITY' | 'OCCUPANCY';
  /** Content date and time (the caller's clock). */
  createdAt: Date;
  /** Seeds the UIDs (e.g. the mask's sha256), so the same mask gives the same instance. */
  uidSeed: string;
  software: { name: string; version: string };
  seriesDescription?: string;
  seriesNumber?: number;
}

export interface DicomSegWritten {
  bytes: Uint8Array;
  sopInstanceUid: string;
  seriesInstanceUid: string;
}

/**
 * Writes a Segmentation IOD (PS3.3 A.51) with dcmjs: one frame per segment and slice that
 * holds part of it, dimension index (ReferencedSegmentNumber, ImagePositionPatient), plane
 * geometry from the image's affine (LPS), and, with a source series, the Common Instance
 * Reference module and a per-frame DerivationImageSequence naming the source slice.
 * Explicit VR little endian; BINARY frames bit-packed (PS3.5 8.1.1), FRACTIONAL 8-bit.
 */
export function writeDicomSeg(input: DicomSegWriteInput): DicomSegWritten {
  const { geometry, segments, source } = input;
  const [nx, ny, nz] = geometry.dims;
  const frameSize = nx * ny;
  if (segments.length === 0) throw new RadiomicsInputError('MASK_EMPTY', 'DICOM-SEG: no segment to write');
  if (source && source.sopInstanceUids.length !== nz) {
    throw new RadiomicsInputError('MASK_GRID_MISMATCH', `DICOM-SEG: the source series has ${source.sopInstanceUids.length} slices, the mask ${nz}`);
  }
  const seen = new Set<number>();
  for (const s of segments) {
    if (!Number.isInteger(s.number) || s.number < 1 || seen.has(s.number)) {
      throw new RadiomicsInputError('DICOM_SEG_INVALID', `DICOM-SEG: segment number ${s.number} is not a unique positive integer`);
    }
    seen.add(s.number);
    if (s.mask.length !== frameSize * nz) throw new RadiomicsInputError('MASK_GRID_MISMATCH', `DICOM-SEG: segment ${s.number} has ${s.mask.length} voxels, the grid ${frameSize * nz}`);
    if (s.algorithmType !== 'MANUAL' && !s.algorithmName) {
      throw new RadiomicsInputError('DICOM_SEG_INVALID', `DICOM-SEG: segment ${s.number} (${s.algorithmType}) needs an algorithmName (PS3.3 C.8.20.2)`);
    }
  }
  const plane = dicomPlaneGeometry(geometry);
  const fractional = input.fractionalType !== undefined;
  const frames: { segment: SegmentInput; z: number }[] = [];
  for (const segment of segments) {
    const before = frames.length;
    for (let z = 0; z < nz; z++) {
      const slice = segment.mask.subarray(z * frameSize, (z + 1) * frameSize);
      if (slice.some((v) => v > 0)) frames.push({ segment, z });
    }
    if (frames.length === before) throw new RadiomicsInputError('MASK_EMPTY', `DICOM-SEG: segment ${segment.number} (${segment.label}) has no voxel`);
  }

  const pixelData = fractional ? fractionalPixels(frames, frameSize) : binaryPixels(frames, frameSize);
  const sopInstanceUid = uidFromSeed(`${input.uidSeed}/seg/instance`);
  const seriesInstanceUid = uidFromSeed(`${input.uidSeed}/seg/series`);
  const { date, time } = dicomDateTime(input.createdAt);
  const dimensionOrganizationUid = uidFromSeed(`${input.uidSeed}/seg/dimensions`);
  const sourceItem = (z: number) => ({
    ReferencedSOPClassUID: source!.sopClassUid,
    ReferencedSOPInstanceUID: source!.sopInstanceUids[z],
    PurposeOfReferenceCodeSequence: [codeItem(DCM.sourceImageForProcessing)],
  });

  const dataset: Record<string, unknown> = {
    SOPClassUID: SOP_CLASS.segmentation,
    SOPInstanceUID: sopInstanceUid,
    ImageType: ['DERIVED', 'PRIMARY'],
    // Patient and General Study (Type 2 where empty); copied from the source series.
    PatientName: source?.patient.PatientName ?? '',
    PatientID: source?.patient.PatientID ?? '',
    PatientBirthDate: source?.patient.PatientBirthDate ?? '',
    PatientSex: source?.patient.PatientSex ?? '',
    StudyInstanceUID: source?.studyInstanceUid ?? uidFromSeed(`${input.uidSeed}/seg/study`),
    StudyDate: source?.study.StudyDate ?? date,
    StudyTime: source?.study.StudyTime ?? time,
    StudyID: source?.study.StudyID ?? '',
    AccessionNumber: source?.study.AccessionNumber ?? '',
    ReferringPhysicianName: source?.study.ReferringPhysicianName ?? '',
    // Segmentation Series, Frame of Reference, (Enhanced) General Equipment.
    Modality: 'SEG',
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: input.seriesNumber ?? 1000,
    SeriesDescription: input.seriesDescription ?? 'RadLedger segmentation',
    FrameOfReferenceUID: source?.frameOfReferenceUid || uidFromSeed(`${input.uidSeed}/seg/frame-of-reference`),
    PositionReferenceIndicator: '',
    Manufacturer: input.software.name,
    ManufacturerModelName: input.software.name,
    DeviceSerialNumber: '1',
    SoftwareVersions: input.software.version,
    // General Image / Segmentation Image.
    InstanceNumber: 1,
    ContentDate: date,
    ContentTime: time,
    ContentLabel: 'SEGMENTATION',
    ContentDescription: input.seriesDescription ?? 'RadLedger segmentation',
    ContentCreatorName: '',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: ny,
    Columns: nx,
    BitsAllocated: fractional ? 8 : 1,
    BitsStored: fractional ? 8 : 1,
    HighBit: fractional ? 7 : 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: fractional ? 'FRACTIONAL' : 'BINARY',
    ...(fractional ? { SegmentationFractionalType: input.fractionalType, MaximumFractionalValue: 255 } : {}),
    SegmentSequence: segments.map((s) => ({
      SegmentNumber: s.number,
      SegmentLabel: s.label.slice(0, 64),
      SegmentAlgorithmType: s.algorithmType,
      ...(s.algorithmType !== 'MANUAL' ? { SegmentAlgorithmName: s.algorithmName!.slice(0, 64) } : {}),
      SegmentedPropertyCategoryCodeSequence: [codeItem(s.category ?? DEFAULT_SEGMENT_CATEGORY)],
      SegmentedPropertyTypeCodeSequence: [codeItem(s.type ?? DEFAULT_SEGMENT_TYPE)],
    })),
    // Multi-frame Dimension (PS3.3 C.7.6.17).
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionOrganizationType: '3D',
    DimensionIndexSequence: [
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: 0x0062000b, // ReferencedSegmentNumber
        FunctionalGroupPointer: 0x0062000a, // SegmentIdentificationSequence
        DimensionDescriptionLabel: 'ReferencedSegmentNumber',
      },
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: 0x00200032, // ImagePositionPatient
        FunctionalGroupPointer: 0x00209113, // PlanePositionSequence
        DimensionDescriptionLabel: 'ImagePositionPatient',
      },
    ],
    // Multi-frame Functional Groups (PS3.3 C.7.6.16).
    NumberOfFrames: frames.length,
    SharedFunctionalGroupsSequence: [
      {
        PlaneOrientationSequence: [{ ImageOrientationPatient: plane.imageOrientationPatient.map(decimalString) }],
        PixelMeasuresSequence: [
          {
            PixelSpacing: plane.pixelSpacing.map(decimalString),
            SliceThickness: decimalString(plane.sliceSpacing),
            SpacingBetweenSlices: decimalString(plane.sliceSpacing),
          },
        ],
      },
    ],
    PerFrameFunctionalGroupsSequence: frames.map(({ segment, z }) => ({
      ...(source
        ? { DerivationImageSequence: [{ SourceImageSequence: [sourceItem(z)], DerivationCodeSequence: [codeItem(DCM.segmentation)] }] }
        : {}),
      FrameContentSequence: [{ DimensionIndexValues: [segment.number, z + 1] }],
      PlanePositionSequence: [{ ImagePositionPatient: plane.positionOf(z).map(decimalString) }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: segment.number }],
    })),
    ...(source
      ? {
          ReferencedSeriesSequence: [
            {
              SeriesInstanceUID: source.seriesInstanceUid,
              ReferencedInstanceSequence: source.sopInstanceUids.map((uid) => ({ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: uid })),
            },
          ],
        }
      : {}),
    PixelData: [pixelData.buffer],
    _vrMap: { PixelData: 'OB' },
  };
  withCharacterSet(dataset);
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: SOP_CLASS.segmentation,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: `RADLEDGER_${input.software.version}`.slice(0, 16),
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return { bytes: new Uint8Array(dict.write()), sopInstanceUid, seriesInstanceUid };
}

/** PS3.5 8.1.1: 1-bit pixels packed LSB first, frames concatenated without padding. */
function binaryPixels(frames: readonly { segment: SegmentInput; z: number }[], frameSize: number): Uint8Array {
  const bits = frames.length * frameSize;
  const out = new Uint8Array(Math.ceil(Math.ceil(bits / 8) / 2) * 2);
  let k = 0;
  for (const { segment, z } of frames) {
    const base = z * frameSize;
    for (let i = 0; i < frameSize; i++, k++) if (segment.mask[base + i]! >= 0.5) out[k >> 3] = out[k >> 3]! | (1 << (k & 7));
  }
  return out;
}

/** FRACTIONAL: round(fraction × MaximumFractionalValue (255)), one byte per pixel. */
function fractionalPixels(frames: readonly { segment: SegmentInput; z: number }[], frameSize: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((frames.length * frameSize) / 2) * 2);
  frames.forEach(({ segment, z }, f) => {
    for (let i = 0; i < frameSize; i++) {
      const v = segment.mask[z * frameSize + i]!;
      out[f * frameSize + i] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
  });
  return out;
}
