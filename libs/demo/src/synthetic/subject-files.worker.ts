import { parentPort } from 'node:worker_threads';
import { renderSubjectFiles, SUBJECT_FILE_KEYS, type SubjectFilesRequest } from './subject-files.js';

// Worker entry: renders one subject per message and hands the buffers over without copying.
parentPort?.on('message', (message: { id: number; request: SubjectFilesRequest }) => {
  try {
    const files = renderSubjectFiles(message.request);
    parentPort!.postMessage({ id: message.id, files }, SUBJECT_FILE_KEYS.map((k) => files[k].buffer as ArrayBuffer));
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
