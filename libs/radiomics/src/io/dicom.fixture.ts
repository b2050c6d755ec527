import dcmjs from 'dcmjs';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

export interface FixtureSlice {
  z: number;
  pixels: Int16Array;
  slope?: number;
  intercept?: number;
  sopInstanceUid?: string;
  modality?: string;
  seriesInstanceUid?: string;
}

/** Writes one uncompressed single-frame CT slice as a DICOM Part 10 file (test data). */
export function writeCtSlice(rows: number, cols: number, slice: FixtureSlice): Uint8Array {
  const sop = slice.sopInstanceUid ?? `1.2.826.0.1.3680043.2.1125.9.${Math.round(slice.z * 100)}`;
  const meta = {
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
    MediaStorageSOPInstanceUID: sop,
    ImplementationClassUID: '1.2.826.0.1.3680043.2.1125.9',
  };
  const dataset = {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
    SOPInstanceUID: sop,
    StudyInstanceUID: '1.2.826.0.1.3680043.2.1125.9.1',
    SeriesInstanceUID: slice.seriesInstanceUid ?? '1.2.826.0.1.3680043.2.1125.9.2',
    FrameOfReferenceUID: '1.2.826.0.1.3680043.2.1125.9.3',
    PatientName: 'Doe^Jane',
    PatientID: 'MRN-0042',
    PatientBirthDate: '19700101',
    InstitutionName: 'Example Hospital',
    Modality: slice.modality ?? 'CT',
    Rows: rows,
    Columns: cols,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 1,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelSpacing: [0.5, 0.75],
    SliceThickness: 2,
    ImagePositionPatient: [-10, -20, slice.z],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    RescaleSlope: slice.slope ?? 1,
    RescaleIntercept: slice.intercept ?? -1024,
    PixelData: [slice.pixels.buffer.slice(0)],
    _vrMap: { PixelData: 'OW' },
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
