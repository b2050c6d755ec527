import { generateSyntheticSubject } from './src/synthetic/synthetic-brain.js';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let r = 0; r < 4; r++) { const c = cpu(); generateSyntheticSubject({ seed: 42, subjectId: 'GRA-BER-00' + r, scanner: { fieldStrengthT: 3, vendor: 'Siemens' } }); console.log('gen cpu', (cpu() - c).toFixed(0)); }
