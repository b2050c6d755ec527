/** The bundle's table of contents (manifest.json). */
export interface DossierManifest {
  kind: 'radledger.dossier.v1';
  radledgerVersion: string;
  createdAt: string;
  scope: { trialId: string; modelVersion: string | null; includeTrainingLineage: boolean };
  ledger: { origin: string; sizeAtExport: number };
  /** The signed checkpoint every inclusion proof in events.ndjson leads to; the note carries the witnesses' cosignature lines, if any. */
  checkpoint: { note: string; origin: string; treeSize: number; rootHash: string; issuedAt: string; reused: boolean };
  /** C2SP signed-note verifier key of the checkpoint signer: `<name>+<key id>+<base64>`. */
  publicKey: string;
  files: Array<{ name: string; sha256: string; bytes: number }>;
  /** The witness policy (C2SP tlog-policy text) the exporter chose the checkpoint under, when witnessing is configured. */
  witnessPolicy?: string;
  /**
   * An RFC 3161 timestamp of the checkpoint from the ledger's TSA (RADLEDGER_TSA_URL), when one
   * was obtained: the DER TimeStampToken in base64 over the checkpoint's text, and the nonce sent.
   * verify-dossier --tsa-root checks it offline against the TSA's pinned root.
   */
  checkpointTimestamp?: { token: string; nonce: string; tsaUrl: string; receivedAt: string };
  counts: { events: number; decisions: number; featureSets: number; modelVersions: number; images: number; signatures: number; byType: Record<string, number> };
}

export const DOSSIER_FILES = {
  manifest: 'manifest.json',
  manifestSignature: 'manifest.sig',
  events: 'events.ndjson',
  provJsonLd: 'prov.jsonld',
  provJson: 'prov.json',
  modelLock: 'model-lock.json',
  reproducibility: 'reproducibility.json',
  checklists: 'checklists.json',
  report: 'report.html',
} as const;

/** One line of events.ndjson. */
export interface DossierEventLine {
  /** = the event's global position (RFC 9162 leaf index). */
  leafIndex: number;
  /** SHA-256(0x00 || canonical), hex. */
  hash: string;
  /** RFC 9162 §2.1.3 inclusion proof against the manifest checkpoint, leaf upwards, hex. */
  proof: string[];
  /** The exact RFC 8785 text of the event as stored in the ledger. */
  canonical: string;
}

/** manifest.sig is a C2SP signed note by the checkpoint key over the manifest bytes: origin `<ledger origin>/dossier-manifest`, size 1, root = SHA-256(manifest.json). */
export const MANIFEST_ORIGIN_SUFFIX = '/dossier-manifest';
