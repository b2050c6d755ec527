import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { FileSystemArtifactStore } from '@radledger/artifacts';
import { CommandService, createEventValidator } from '@radledger/domain';
import { LedgerService, loadOrCreateSigningKey, openEventStore, type EventValidator, type LedgerStore, type LoadedSigningKey } from '@radledger/ledger';
import { systemClock, type Clock, type IdGenerator } from '@radledger/platform';
import { DecisionExplainer, LockedModelRunner, OnnxPredictor } from '@radledger/inference';
import { artifactMaskSource } from './artifact-mask.source.js';
import { FeatureService } from './feature.service.js';
import { ScienceService } from './science.service.js';
import { ModelService } from './model.service.js';
import { AesGcmFieldCipher } from './field-encryption/aes-gcm-field.cipher.js';
import { loadOrCreateKeyEncryptionKey, type LoadedKeyEncryptionKey } from './field-encryption/key-encryption-key.file.js';
import { openSubjectKeyStore } from './field-encryption/subject-key-store.factory.js';
import type { SubjectKeyStore } from './field-encryption/subject-key-store.port.js';

export interface RuntimeOptions {
  /** Event store URL (`sqlite:<path>`, `postgres://…`). */
  store: string;
  /** Artifacts live in `<dataDir>/artifacts`. */
  dataDir: string;
  /** Ed25519 checkpoint key file (created as a dev key when absent). */
  signingKeyPath: string;
  /** Directory of the event JSON Schemas (default `<cwd>/schemas/events`). */
  schemaDir?: string;
  /**
   * Subject keys for sealed free text (ADR 0007): `sqlite:<path>` or `postgres://…`. Default: the
   * event store's PostgreSQL database when it is one, else `sqlite:<dataDir>/keys.db`.
   */
  keyStore?: string;
  /** AES-256 key wrapping the subject keys, default `<dataDir>/key-encryption-key` (created, mode 0600, when absent). */
  keyEncryptionKeyPath?: string;
  clock?: Clock;
  ids?: IdGenerator;
}

/** Everything a process needs to write to and prove the ledger, wired from configuration. */
export interface Runtime {
  store: LedgerStore;
  ledger: LedgerService;
  artifacts: FileSystemArtifactStore;
  commands: CommandService;
  validator: EventValidator;
  signingKey: LoadedSigningKey;
  clock: Clock;
  /** Runs only locked model bytes (re-hashed), sessions cached per sha256. */
  runner: LockedModelRunner;
  features: FeatureService;
  /** Image QC, feature reliability and RANO 2.0 response (issue 15). */
  science: ScienceService;
  models: ModelService;
  /** Seals free text on the write path; `reveal`s it (or `[redacted]`) on the read side. */
  fieldCipher: AesGcmFieldCipher;
  subjectKeys: SubjectKeyStore;
  keyEncryptionKey: Omit<LoadedKeyEncryptionKey, 'key'>;
  close(): Promise<void>;
}

export const uuidV7Ids: IdGenerator = { newId: () => uuidv7() };

/**
 * The composition root shared by the API, the CLI and the demo: one place decides which
 * adapter serves each port, so every entry point writes through exactly the same path.
 */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const validator = createEventValidator({ schemaDir: options.schemaDir });
  const store = await openEventStore(options.store, { validator });
  try {
    const signingKey = loadOrCreateSigningKey(options.signingKeyPath);
    const artifacts = new FileSystemArtifactStore(join(options.dataDir, 'artifacts'));
    const clock = options.clock ?? systemClock;
    const kek = loadOrCreateKeyEncryptionKey(options.keyEncryptionKeyPath ?? join(options.dataDir, 'key-encryption-key'));
    const keyStoreUrl = options.keyStore ?? (/^postgres(ql)?:\/\//.test(options.store) ? options.store : `sqlite:${join(options.dataDir, 'keys.db')}`);
    const subjectKeys = await openSubjectKeyStore(keyStoreUrl, kek.key, () => clock.now());
    const fieldCipher = new AesGcmFieldCipher(subjectKeys);
    const commands = new CommandService({
      store,
      clock,
      ids: options.ids ?? uuidV7Ids,
      masks: artifactMaskSource(artifacts),
      validator,
      cipher: fieldCipher,
    });
    const ledger = new LedgerService(store, { now: () => clock.now() });
    const runner = new LockedModelRunner({ artifactStore: artifacts, predictor: new OnnxPredictor() });
    const features = new FeatureService({ store, artifacts, commands });
    const science = new ScienceService({ store, artifacts, commands });
    const models = new ModelService({ store, commands, runner, explainer: new DecisionExplainer(artifacts) });
    const close = async () => {
      await runner.close();
      await subjectKeys.close();
      await store.close();
    };
    const keyEncryptionKey = { path: kek.path, created: kek.created };
    return { store, ledger, artifacts, commands, validator, signingKey, clock, runner, features, science, models, fieldCipher, subjectKeys, keyEncryptionKey, close };
  } catch (error) {
    await store.close();
    throw error;
  }
}
