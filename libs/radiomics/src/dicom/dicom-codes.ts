/** A coded concept (PS3.3 Table 8.8-1 basic code sequence macro). */
export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}

export const codeItem = (c: Code): Record<string, unknown> => ({
  CodeValue: c.value,
  CodingSchemeDesignator: c.scheme,
  CodeMeaning: c.meaning.slice(0, 64),
});

/** Defaults for a neuro-oncology lesion segment (CID 7150 / CID 7151 via SNOMED CT). */
export const DEFAULT_SEGMENT_CATEGORY: Code = { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Altered Structure' };
export const DEFAULT_SEGMENT_TYPE: Code = { value: '108369006', scheme: 'SCT', meaning: 'Neoplasm' };

export const DCM = {
  imagingMeasurementReport: { value: '126000', scheme: 'DCM', meaning: 'Imaging Measurement Report' },
  languageOfContent: { value: '121049', scheme: 'DCM', meaning: 'Language of Content Item and Descendants' },
  observerType: { value: '121005', scheme: 'DCM', meaning: 'Observer Type' },
  device: { value: '121007', scheme: 'DCM', meaning: 'Device' },
  deviceObserverUid: { value: '121012', scheme: 'DCM', meaning: 'Device Observer UID' },
  deviceObserverName: { value: '121013', scheme: 'DCM', meaning: 'Device Observer Name' },
  deviceObserverManufacturer: { value: '121014', scheme: 'DCM', meaning: 'Device Observer Manufacturer' },
  deviceObserverModelName: { value: '121015', scheme: 'DCM', meaning: 'Device Observer Model Name' },
  procedureReported: { value: '121058', scheme: 'DCM', meaning: 'Procedure reported' },
  imageLibrary: { value: '111028', scheme: 'DCM', meaning: 'Image Library' },
  imageLibraryGroup: { value: '126200', scheme: 'DCM', meaning: 'Image Library Group' },
  imagingMeasurements: { value: '126010', scheme: 'DCM', meaning: 'Imaging Measurements' },
  measurementGroup: { value: '125007', scheme: 'DCM', meaning: 'Measurement Group' },
  trackingIdentifier: { value: '112039', scheme: 'DCM', meaning: 'Tracking Identifier' },
  trackingUniqueIdentifier: { value: '112040', scheme: 'DCM', meaning: 'Tracking Unique Identifier' },
  finding: { value: '121071', scheme: 'DCM', meaning: 'Finding' },
  referencedSegment: { value: '121191', scheme: 'DCM', meaning: 'Referenced Segment' },
  sourceSeriesForSegmentation: { value: '121232', scheme: 'DCM', meaning: 'Source series for segmentation' },
  algorithmName: { value: '111001', scheme: 'DCM', meaning: 'Algorithm Name' },
  algorithmVersion: { value: '111003', scheme: 'DCM', meaning: 'Algorithm Version' },
  algorithmParameters: { value: '111002', scheme: 'DCM', meaning: 'Algorithm Parameters' },
  notANumber: { value: '114000', scheme: 'DCM', meaning: 'Not a number' },
  segmentation: { value: '113076', scheme: 'DCM', meaning: 'Segmentation' },
  sourceImageForProcessing: { value: '121322', scheme: 'DCM', meaning: 'Source image for image processing operation' },
} as const satisfies Record<string, Code>;

export const SCT_IMAGING_PROCEDURE: Code = { value: '363679005', scheme: 'SCT', meaning: 'Imaging procedure' };
export const SCT_MEASUREMENT_METHOD: Code = { value: '370129005', scheme: 'SCT', meaning: 'Measurement Method' };
export const ENGLISH_US: Code = { value: 'en-US', scheme: 'RFC5646', meaning: 'English (United States)' };

/** The IBSI feature codes as a private coding scheme, declared in the SR (PS3.3 C.12.1.1.2). */
export const IBSI_SCHEME = {
  CodingSchemeDesignator: 'IBSI',
  CodingSchemeName: 'Image Biomarker Standardisation Initiative',
  CodingSchemeResponsibleOrganization: 'IBSI (https://theibsi.github.io)',
} as const;

export const UCUM = {
  noUnits: { value: '1', scheme: 'UCUM', meaning: 'no units' },
  mm: { value: 'mm', scheme: 'UCUM', meaning: 'millimeter' },
  mm2: { value: 'mm2', scheme: 'UCUM', meaning: 'square millimeter' },
  mm3: { value: 'mm3', scheme: 'UCUM', meaning: 'cubic millimeter' },
  perMm: { value: '/mm', scheme: 'UCUM', meaning: 'per millimeter' },
} as const satisfies Record<string, Code>;
