import { createHash } from 'node:crypto';
import dcmjs from 'dcmjs';
import { parseDicom } from './dicom-series.reader.js';

const { DicomMessage, DicomMetaDictionary, DicomDict } = dcmjs.data;

/** Attributes blanked (DICOM PS3.15 Annex E basic profile, patient and staff identity). */
export const BLANKED_ATTRIBUTES = [
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientBirthTime',
  'PatientSex',
  'PatientAge',
  'PatientAddress',
  'PatientTelephoneNumbers',
  'OtherPatientIDs',
  'OtherPatientNames',
  'PatientMotherBirthName',
  'MilitaryRank',
  'EthnicGroup',
  'PatientComments',
  'ReferringPhysicianName',
  'PerformingPhysicianName',
  'PhysiciansOfRecord',
  'OperatorsName',
  'InstitutionName',
  'InstitutionAddress',
  'InstitutionalDepartmentName',
  'StationName',
  'AccessionNumber',
  'StudyID',
  'DeviceSerialNumber',
] as const;

/** UIDs replaced by 2.25.<hash> UIDs; their hashes are returned for the record. */
export const HASHED_UIDS = ['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'FrameOfReferenceUID'] as const;

export interface DeidentifiedDicom {
  /** The de-identified Part 10 file. */
  bytes: Uint8Array;
  /** sha256(salt + original UID), hex, per UID attribute present. */
  uidHashes: Partial<Record<(typeof HASHED_UIDS)[number], string>>;
  /** The de-identified header without pixel data, fit for recording. */
  header: Record<string, unknown>;
  /** Attributes that held a value and were blanked. */
  blanked: string[];
}

function uidFromHash(hex: string): string {
  // PS3.5 B.2: a UUID-derived UID under the 2.25 root (decimal of 128 bits).
  return `2.25.${BigInt(`0x${hex.slice(0, 32)}`).toString()}`;
}

/** Blanks identifying attributes and replaces UIDs by salted-hash UIDs (deterministic). */
export function deidentifyDicom(bytes: Uint8Array, salt = ''): DeidentifiedDicom {
  const { dataset } = parseDicom({ name: 'DICOM file', bytes });
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const dict = DicomMessage.readFile(buffer);
  const blanked: string[] = [];
  for (const name of BLANKED_ATTRIBUTES) {
    if (dataset[name] !== undefined && dataset[name] !== '' && !(Array.isArray(dataset[name]) && dataset[name].length === 0)) {
      blanked.push(name);
    }
    if (name in dataset) dataset[name] = '';
  }
  dataset.PatientIdentityRemoved = 'YES';
  const uidHashes: DeidentifiedDicom['uidHashes'] = {};
  for (const name of HASHED_UIDS) {
    const uid = dataset[name];
    if (typeof uid !== 'string' || uid === '') continue;
    const hex = createHash('sha256').update(salt + uid).digest('hex');
    uidHashes[name] = hex;
    dataset[name] = uidFromHash(hex);
  }
  const metaNat = DicomMetaDictionary.naturalizeDataset(dict.meta);
  if (typeof dataset.SOPInstanceUID === 'string') metaNat.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID;
  const out = new DicomDict(DicomMetaDictionary.denaturalizeDataset(metaNat));
  out.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  const written = new Uint8Array(out.write());
  const header = { ...dataset };
  delete header.PixelData;
  delete header._vrMap;
  return { bytes: written, uidHashes, header, blanked };
}
