import dcmjs from 'dcmjs';
import type { DicomSeriesReference } from '../io/nifti.reader.js';
import { featureDefinitionOf } from '../pipeline/feature-registry.js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { AGGREGATION_NAMES } from '../features/texture/texture-grid.js';
import type { FeatureValues } from '../volume.js';
import {
  codeItem,
  DCM,
  DEFAULT_SEGMENT_TYPE,
  ENGLISH_US,
  IBSI_SCHEME,
  SCT_IMAGING_PROCEDURE,
  SCT_MEASUREMENT_METHOD,
  UCUM,
  type Code,
} from './dicom-codes.js';
import { decimalString } from './dicom-geometry.js';
import { dicomDateTime, withCharacterSet, EXPLICIT_VR_LITTLE_ENDIAN, IMPLEMENTATION_CLASS_UID, SOP_CLASS, uidFromSeed } from './dicom-uid.js';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

/** One ROI's feature set: a TID 1411 Volumetric ROI Measurements group. */
export interface SrMeasurementGroup {
  /** TID 1411 Tracking Identifier, e.g. the segment label. */
  trackingIdentifier: string;
  /** TID 1411 Tracking Unique Identifier; derived from the report seed when absent. */
  trackingUid?: string;
  /** The DICOM-SEG segment the features were computed in (TID 1411 Referenced Segment). */
  segment?: { sopInstanceUid: string; segmentNumber: number; seriesInstanceUid?: string };
  /** TID 1411 Source series for segmentation (the image series). */
  sourceSeriesInstanceUid?: string;
  finding?: Code;
  /** Keyed by IBSI code, or `<code>@<aggregation code>` for texture (FeatureExtraction.features). */
  features: FeatureValues;
}

export interface DicomSrWriteInput {
  groups: readonly SrMeasurementGroup[];
  /** The image series: patient and study, the image library, the evidence. */
  source?: DicomSeriesReference;
  createdAt: Date;
  uidSeed: string;
  software: { name: string; version: string };
  /** TID 4019 Algorithm Identification per group: the extractor and its settings (JSON). */
  algorithm?: { name: string; version: string; parameters?: string };
  seriesDescription?: string;
  seriesNumber?: number;
}

export interface DicomSrWritten {
  bytes: Uint8Array;
  sopInstanceUid: string;
  seriesInstanceUid: string;
}

type Item = Record<string, unknown>;
const MM3 = new Set(['RNU0', 'YEKZ']);
const MM2 = new Set(['C0JK']);
const MM = new Set(['L0JK', 'TDIC', 'P9VJ', '7J51', 'KLMA']);

/** UCUM units of an IBSI feature: morphology sizes in mm, mm², mm³; everything else unitless here. */
export function featureUnits(code: string): Code {
  if (MM3.has(code)) return UCUM.mm3;
  if (MM2.has(code)) return UCUM.mm2;
  if (MM.has(code)) return UCUM.mm;
  if (code === '2PR5') return UCUM.perMm;
  return UCUM.noUnits;
}

const text = (rel: string, concept: Code, value: string): Item => ({ RelationshipType: rel, ValueType: 'TEXT', ConceptNameCodeSequence: [codeItem(concept)], TextValue: value });
const uidref = (rel: string, concept: Code, value: string): Item => ({ RelationshipType: rel, ValueType: 'UIDREF', ConceptNameCodeSequence: [codeItem(concept)], UID: value });
const coded = (rel: string, concept: Code, value: Code): Item => ({ RelationshipType: rel, ValueType: 'CODE', ConceptNameCodeSequence: [codeItem(concept)], ConceptCodeSequence: [codeItem(value)] });
const container = (rel: string | undefined, concept: Code, content: Item[]): Item => ({
  ...(rel ? { RelationshipType: rel } : {}),
  ValueType: 'CONTAINER',
  ConceptNameCodeSequence: [codeItem(concept)],
  ContinuityOfContent: 'SEPARATE',
  ...(content.length ? { ContentSequence: content } : {}),
});

/**
 * One NUM per feature (TID 1419): concept name = the IBSI code in the declared 'IBSI'
 * scheme, the texture aggregation as a Measurement Method modifier (its IBSI code), the
 * value as DS (≤ 16 characters) and as the exact FD FloatingPointValue; an undefined value
 * (NaN) has no value and the qualifier (114000, DCM, "Not a number").
 */
function measurement(key: string, value: number): Item {
  const found = featureDefinitionOf(key);
  if (!found) throw new RadiomicsInputError('SETTINGS_INVALID', `DICOM SR: ${key} is not an IBSI feature key`);
  const [code, parameter] = found.definition.code.split('_');
  const family = found.aggregation ? `${found.definition.family.toUpperCase()} ` : '';
  const meaning = `${family}${found.definition.name}${parameter ? ` (${parameter}%)` : ''}`;
  const units = featureUnits(code!);
  const item: Item = {
    RelationshipType: 'CONTAINS',
    ValueType: 'NUM',
    ConceptNameCodeSequence: [codeItem({ value: code!, scheme: 'IBSI', meaning })],
    MeasuredValueSequence: Number.isFinite(value)
      ? [{ MeasurementUnitsCodeSequence: [codeItem(units)], NumericValue: decimalString(value), FloatingPointValue: value }]
      : [],
    ...(Number.isFinite(value) ? {} : { NumericValueQualifierCodeSequence: [codeItem(DCM.notANumber)] }),
  };
  if (found.aggregation) {
    const aggregation = found.aggregation as keyof typeof AGGREGATION_NAMES;
    item.ContentSequence = [coded('HAS CONCEPT MOD', SCT_MEASUREMENT_METHOD, { value: aggregation, scheme: 'IBSI', meaning: AGGREGATION_NAMES[aggregation] ?? aggregation })];
  }
  return item;
}

/**
 * Writes a DICOM SR "Imaging Measurement Report" (PS3.16 TID 1500, Enhanced SR Storage)
 * with dcmjs: observer context = device (TID 1004) RadLedger and its version, procedure
 * reported, the image library of the source series (TID 1600), and one TID 1411
 * measurement group per ROI referencing its DICOM-SEG segment and source series, with the
 * IBSI codes as concept names (the 'IBSI' scheme declared in CodingSchemeIdentificationSequence).
 */
export function writeDicomSr(input: DicomSrWriteInput): DicomSrWritten {
  if (input.groups.length === 0) throw new RadiomicsInputError('SETTINGS_INVALID', 'DICOM SR: no measurement group to write');
  const { source } = input;
  const sopInstanceUid = uidFromSeed(`${input.uidSeed}/sr/instance`);
  const seriesInstanceUid = uidFromSeed(`${input.uidSeed}/sr/series`);
  const { date, time } = dicomDateTime(input.createdAt);
  const deviceUid = uidFromSeed(`${input.software.name} device observer`);

  const library: Item[] = source
    ? [
        container('CONTAINS', DCM.imageLibraryGroup, source.sopInstanceUids.map((uid) => ({
          RelationshipType: 'CONTAINS',
          ValueType: 'IMAGE',
          ReferencedSOPSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: uid }],
        }))),
      ]
    : [];
  const groups = input.groups.map((g, k) => {
    const seriesUid = g.sourceSeriesInstanceUid ?? source?.seriesInstanceUid;
    const items: Item[] = [
      text('HAS OBS CONTEXT', DCM.trackingIdentifier, g.trackingIdentifier.slice(0, 64)),
      uidref('HAS OBS CONTEXT', DCM.trackingUniqueIdentifier, g.trackingUid ?? uidFromSeed(`${input.uidSeed}/sr/group/${k}`)),
      coded('CONTAINS', DCM.finding, g.finding ?? DEFAULT_SEGMENT_TYPE),
      ...(g.segment
        ? [{
            RelationshipType: 'CONTAINS',
            ValueType: 'IMAGE',
            ConceptNameCodeSequence: [codeItem(DCM.referencedSegment)],
            ReferencedSOPSequence: [{ ReferencedSOPClassUID: SOP_CLASS.segmentation, ReferencedSOPInstanceUID: g.segment.sopInstanceUid, ReferencedSegmentNumber: g.segment.segmentNumber }],
          }]
        : []),
      ...(seriesUid ? [uidref('CONTAINS', DCM.sourceSeriesForSegmentation, seriesUid)] : []),
      ...(input.algorithm
        ? [
            text('HAS CONCEPT MOD', DCM.algorithmName, input.algorithm.name),
            text('HAS CONCEPT MOD', DCM.algorithmVersion, input.algorithm.version),
            ...(input.algorithm.parameters ? [text('HAS CONCEPT MOD', DCM.algorithmParameters, input.algorithm.parameters)] : []),
          ]
        : []),
      ...Object.entries(g.features).map(([key, value]) => measurement(key, value)),
    ];
    return container('CONTAINS', DCM.measurementGroup, items);
  });

  const content: Item[] = [
    coded('HAS CONCEPT MOD', DCM.languageOfContent, ENGLISH_US),
    coded('HAS OBS CONTEXT', DCM.observerType, DCM.device),
    uidref('HAS OBS CONTEXT', DCM.deviceObserverUid, deviceUid),
    text('HAS OBS CONTEXT', DCM.deviceObserverName, input.software.name),
    text('HAS OBS CONTEXT', DCM.deviceObserverManufacturer, input.software.name),
    text('HAS OBS CONTEXT', DCM.deviceObserverModelName, `${input.software.name} ${input.software.version}`),
    coded('HAS CONCEPT MOD', DCM.procedureReported, SCT_IMAGING_PROCEDURE),
    container('CONTAINS', DCM.imageLibrary, library),
    container('CONTAINS', DCM.imagingMeasurements, groups),
  ];

  // Evidence (PS3.3 C.17.2): every instance the content references, by study and series.
  const evidence = new Map<string, Map<string, { classUid: string; uid: string }[]>>();
  const addEvidence = (study: string, series: string, classUid: string, uid: string) => {
    const bySeries = evidence.get(study) ?? new Map();
    evidence.set(study, bySeries);
    const list = bySeries.get(series) ?? [];
    bySeries.set(series, list);
    if (!list.some((x: { uid: string }) => x.uid === uid)) list.push({ classUid, uid });
  };
  const studyUid = source?.studyInstanceUid ?? uidFromSeed(`${input.uidSeed}/sr/study`);
  if (source) for (const uid of source.sopInstanceUids) addEvidence(source.studyInstanceUid, source.seriesInstanceUid, source.sopClassUid, uid);
  for (const g of input.groups) {
    if (g.segment) addEvidence(studyUid, g.segment.seriesInstanceUid ?? uidFromSeed(`${g.segment.sopInstanceUid}/series`), SOP_CLASS.segmentation, g.segment.sopInstanceUid);
  }

  const dataset: Item = {
    SOPClassUID: SOP_CLASS.enhancedSr,
    SOPInstanceUID: sopInstanceUid,
    PatientName: source?.patient.PatientName ?? '',
    PatientID: source?.patient.PatientID ?? '',
    PatientBirthDate: source?.patient.PatientBirthDate ?? '',
    PatientSex: source?.patient.PatientSex ?? '',
    StudyInstanceUID: studyUid,
    StudyDate: source?.study.StudyDate ?? date,
    StudyTime: source?.study.StudyTime ?? time,
    StudyID: source?.study.StudyID ?? '',
    AccessionNumber: source?.study.AccessionNumber ?? '',
    ReferringPhysicianName: source?.study.ReferringPhysicianName ?? '',
    Modality: 'SR',
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: input.seriesNumber ?? 1001,
    SeriesDescription: input.seriesDescription ?? 'RadLedger radiomics features',
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: input.software.name,
    ManufacturerModelName: input.software.name,
    SoftwareVersions: input.software.version,
    InstanceNumber: 1,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ContentDate: date,
    ContentTime: time,
    PerformedProcedureCodeSequence: [],
    CodingSchemeIdentificationSequence: [IBSI_SCHEME],
    ...(evidence.size
      ? {
          CurrentRequestedProcedureEvidenceSequence: [...evidence].map(([study, bySeries]) => ({
            StudyInstanceUID: study,
            ReferencedSeriesSequence: [...bySeries].map(([series, list]) => ({
              SeriesInstanceUID: series,
              ReferencedSOPSequence: list.map((x) => ({ ReferencedSOPClassUID: x.classUid, ReferencedSOPInstanceUID: x.uid })),
            })),
          })),
        }
      : {}),
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [codeItem(DCM.imagingMeasurementReport)],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ContentSequence: content,
  };
  withCharacterSet(dataset);
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: SOP_CLASS.enhancedSr,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: `RADLEDGER_${input.software.version}`.slice(0, 16),
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return { bytes: new Uint8Array(dict.write()), sopInstanceUid, seriesInstanceUid };
}
