// Writes libs/radiomics/testdata/dicom-compressed/: one signed 16-bit CT slice, uncompressed,
// and the same slice compressed by independent encoders: dcmtk (dcmcrle, dcmcjpeg, dcmcjpls)
// and OpenJPEG's opj_compress (wrapped into DICOM here). Run from the repo root after
// `apt-get install -y dcmtk libopenjp2-tools`:
//   node --import @swc-node/register/esm-register libs/radiomics/scripts/write-compressed-dicom-fixtures.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { writeCtSlice } from '../src/io/dicom.fixture.js';

const { DicomMessage, DicomMetaDictionary, DicomDict } = dcmjs.data;
const out = join('libs', 'radiomics', 'testdata', 'dicom-compressed');
mkdirSync(out, { recursive: true });
const rows = 24;
const cols = 32;
// A gradient with deterministic texture, negative and positive, as CT stores HU + 1024.
const pixels = Int16Array.from({ length: rows * cols }, (_, i) => ((i % cols) * 40 - (Math.floor(i / cols) * 25)) + ((i * 7919) % 97) - 600);
const plain = join(out, 'ct-explicit-le.dcm');
writeFileSync(plain, writeCtSlice(rows, cols, { z: 0, pixels, sopInstanceUid: '1.2.826.0.1.3680043.2.1125.9.4242' }));
execFileSync('dcmcrle', [plain, join(out, 'ct-rle.dcm')]);
execFileSync('dcmcjpeg', ['+e1', plain, join(out, 'ct-jpeg-lossless-sv1.dcm')]);
execFileSync('dcmcjpeg', ['+el', plain, join(out, 'ct-jpeg-lossless.dcm')]);
execFileSync('dcmcjpls', [plain, join(out, 'ct-jpeg-ls.dcm')]);

// JPEG 2000 lossless: opj_compress codes the raw samples, dcmjs writes the encapsulated file.
const raw = join(out, 'tmp.rawl'); // .rawl: little-endian samples (.raw would be read big-endian)
const j2k = join(out, 'tmp.j2k');
writeFileSync(raw, new Uint8Array(pixels.buffer));
execFileSync('opj_compress', ['-i', raw, '-o', j2k, '-F', `${cols},${rows},1,16,s`, '-n', '3']);
const bytes = readFileSync(plain);
const dict = DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
const dataset = DicomMetaDictionary.naturalizeDataset(dict.dict);
const meta = DicomMetaDictionary.naturalizeDataset(dict.meta);
meta.TransferSyntaxUID = '1.2.840.10008.1.2.4.90';
const codestream = readFileSync(j2k);
dataset.PixelData = [codestream.buffer.slice(codestream.byteOffset, codestream.byteOffset + codestream.byteLength)];
dataset._vrMap = { PixelData: 'OB' };
const written = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
written.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
writeFileSync(join(out, 'ct-jpeg2000-lossless.dcm'), new Uint8Array(written.write()));
// A lossy JPEG baseline file, to check the typed refusal (dcmtk needs 8-bit input for baseline: use its 12-bit extended process).
execFileSync('dcmcjpeg', ['+ee', plain, join(out, 'ct-jpeg-extended-lossy.dcm')]);
rmSync(raw);
rmSync(j2k);
