import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BlindedTrials, RADLEDGER_VERSION, ReadPolicy, type Caller } from '@radledger/application';
import { visibilityOf, ROLES } from '@radledger/domain';
import {
  collectInteropRecords,
  proveActivities,
  pushOpenLineageEvents,
  renderInterop,
  type InteropFormat,
  type InteropRecords,
  type OpenLineageRunEvent,
} from '@radledger/interop';
import { openReadModelStore, ProjectionRunner, readModelProjections } from '@radledger/projections';
import { CliFailure } from '../cli-failure.js';
import { openCliRuntime, openExistingStore } from '../cli-runtime.js';
import type { CliLocations } from './store-cli.options.js';

/** `--blind` asks for a blinded copy whatever the trial's registration (a sponsor may share an open trial's provenance blinded). */
class EveryTrialBlinded extends BlindedTrials {
  override async isBlinded(): Promise<boolean> {
    return true;
  }
}

export const INTEROP_CLI_FORMATS: Record<string, InteropFormat> = { openlineage: 'OPENLINEAGE', fhir: 'FHIR', 'bids-prov': 'BIDS_PROV' };

export interface InteropExportOptions {
  format: string;
  trial?: string;
  site?: string;
  subject?: string;
  out?: string;
  namespace?: string;
  push?: string;
  blind: boolean;
}

/**
 * `export --format openlineage|fhir|bids-prov` over a ledger: the read models are caught up
 * first, then the same collection, proofs and mappers as the GraphQL interopExport. The command
 * line is the console operator (every record of the trial); `--blind` applies the read policy of
 * a blinded trial's monitor, so decisions can be shared without their values. Sealed free text
 * is opened when the data dir holds the keys, else it reads `[sealed]`.
 */
export async function exportInterop(options: InteropExportOptions, at: CliLocations): Promise<void> {
  const format = INTEROP_CLI_FORMATS[options.format]!;
  if (!options.trial) throw new CliFailure(`error [USAGE]: --format ${options.format} needs --trial <id>`, 2);
  if (format === 'BIDS_PROV' && !options.subject) throw new CliFailure('error [SUBJECT_REQUIRED]: --subject: BIDS-Prov files describe one subject; name the subject', 2);
  if (!options.out && !options.push) throw new CliFailure(`error [USAGE]: --format ${options.format} needs --out <${format === 'BIDS_PROV' ? 'directory' : 'file'}>${format === 'OPENLINEAGE' ? ' or --push <url>' : ''}`, 2);
  if (options.push && format !== 'OPENLINEAGE') throw new CliFailure('error [USAGE]: --push sends OpenLineage events; use it with --format openlineage', 2);
  const store = await openExistingStore(at.store);
  const readModels = openReadModelStore(at.readStore);
  const keyed = existsSync(at.keyEncryptionKeyPath) ? await openCliRuntime(at) : undefined;
  try {
    const runner = new ProjectionRunner(store, readModels, readModelProjections);
    await runner.init();
    await runner.catchUp();
    const scope = { trialId: options.trial, ...(options.site ? { siteId: options.site } : {}), ...(options.subject ? { subjectId: options.subject } : {}) };
    let records: InteropRecords = await collectInteropRecords(readModels, scope);
    if (records.nodes.length === 0 && records.audit.length === 0) throw new CliFailure(`error [NOT_FOUND]: --trial ${options.trial}: nothing recorded${options.site ? ` at site ${options.site}` : ''}${options.subject ? ` for subject ${options.subject}` : ''}`, 1);
    if (options.blind) {
      const monitor: Caller = { userId: 'cli-blinded-export', printedName: 'blinded export', grants: [{ role: 'monitor', trialId: options.trial }], authMethod: 'system', issuedAt: new Date() };
      records = await new ReadPolicy(new EveryTrialBlinded(store)).apply('lineage', records, monitor, visibilityOf(monitor.grants, ROLES));
    }
    if (keyed) records = (await keyed.fieldCipher.reveal(records)).value;
    const source = { ...records, proofs: await proveActivities(store, records), generatedAt: new Date().toISOString(), software: { name: 'RadLedger', version: RADLEDGER_VERSION } };
    const document = renderInterop(format, source, { ...(options.namespace ? { openLineage: { namespace: options.namespace } } : {}) });
    const written: string[] = [];
    if (options.out) {
      if (format === 'BIDS_PROV') {
        for (const file of document.files) {
          const path = join(resolve(options.out), file.path);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, file.content);
          written.push(path);
        }
      } else {
        mkdirSync(dirname(resolve(options.out)), { recursive: true });
        writeFileSync(options.out, document.files[0]!.content);
        written.push(options.out);
      }
    }
    let pushed: { endpoint: string; sent: number } | undefined;
    if (options.push) {
      const events = JSON.parse(document.files[0]!.content) as OpenLineageRunEvent[];
      const apiKey = process.env['RADLEDGER_OPENLINEAGE_API_KEY'];
      pushed = await pushOpenLineageEvents(events, { url: options.push, ...(apiKey ? { apiKey } : {}) });
    }
    process.stdout.write(
      `${JSON.stringify({
        format: options.format,
        trialId: options.trial,
        siteId: options.site ?? null,
        subjectId: options.subject ?? null,
        asOfPosition: document.asOfPosition,
        complete: document.complete,
        blinded: options.blind,
        counts: document.counts,
        files: document.files.map((f, i) => ({ path: written[i] ?? f.path, sha256: f.sha256, bytes: Buffer.byteLength(f.content) })),
        ...(pushed ? { pushed } : {}),
      })}\n`,
    );
  } finally {
    await keyed?.close();
    await readModels.close();
    await store.close();
  }
}
