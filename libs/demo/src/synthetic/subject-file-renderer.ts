import { Worker } from 'node:worker_threads';
import { renderSubjectFiles, type SubjectFiles, type SubjectFilesRequest } from './subject-files.js';

interface Pending {
  request: SubjectFilesRequest;
  resolve(files: SubjectFiles): void;
  reject(error: Error): void;
}

/**
 * Renders subjects on a worker thread so the next subject's volumes are generated while the
 * main thread records the current one (the demo then uses both cores). The output is the
 * same bytes either way; if the worker cannot start or dies, rendering continues on the
 * calling thread.
 */
export class SubjectFileRenderer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(options: { useWorker: boolean }) {
    if (!options.useWorker) return;
    try {
      // Source (.ts through the TypeScript loader the parent runs with) or build output (.js).
      const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
      const worker = new Worker(new URL(`./subject-files.worker.${extension}`, import.meta.url));
      worker.on('message', (message: { id: number; files?: SubjectFiles; error?: string }) => {
        const job = this.pending.get(message.id);
        if (!job) return;
        this.pending.delete(message.id);
        // Keep the process alive only while the worker has work (an idle worker never holds exit up).
        if (this.pending.size === 0) worker.unref();
        if (message.files) job.resolve(message.files);
        else job.reject(new Error(`subject ${job.request.subjectId}: ${message.error}`));
      });
      worker.on('error', () => this.fallBack());
      worker.on('exit', () => this.fallBack());
      worker.unref();
      this.worker = worker;
    } catch {
      this.worker = undefined;
    }
  }

  render(request: SubjectFilesRequest): Promise<SubjectFiles> {
    if (!this.worker) return Promise.resolve().then(() => renderSubjectFiles(request));
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { request, resolve, reject });
      worker.ref();
      worker.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  /** The worker is gone: finish its queue here and render everything else in this thread. */
  private fallBack(): void {
    this.worker = undefined;
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const job of jobs) {
      try {
        job.resolve(renderSubjectFiles(job.request));
      } catch (error) {
        job.reject(error as Error);
      }
    }
  }
}
