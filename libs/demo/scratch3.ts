import { generateSyntheticSubject } from './src/synthetic/synthetic-brain.js';
import { preprocessVolume } from './src/synthetic/demo-preprocessing.js';
import { encodeNifti1 } from './src/synthetic/nifti1.encoder.js';
import { gzipSync, constants } from 'node:zlib';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let r = 0; r < 3; r++) {
  let c = cpu(); const s = generateSyntheticSubject({ seed: 42, subjectId: 'GRA-BER-00' + r, scanner: { fieldStrengthT: 3, vendor: 'Siemens' } }); const g = cpu() - c;
  c = cpu(); const p = preprocessVolume(s.t1c, s.dims); const pp = cpu() - c;
  c = cpu(); const a = encodeNifti1({ dims: s.dims, spacing: s.spacing, datatype: 'int16', data: s.t1c }); const b = encodeNifti1({ dims: s.dims, spacing: s.spacing, datatype: 'float32', data: p }); const e = cpu() - c;
  c = cpu(); const za = gzipSync(a, { level: 1 }); const zi = cpu() - c;
  c = cpu(); const zb = gzipSync(b, { level: 1 }); const zf = cpu() - c;
  c = cpu(); const zb0 = gzipSync(b, { level: 1, strategy: constants.Z_HUFFMAN_ONLY }); const zh = cpu() - c;
  console.log({ g, pp, e, zi, zf, zh, sizes: [za.length, zb.length, zb0.length] });
}
