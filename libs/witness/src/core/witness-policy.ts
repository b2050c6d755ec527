import { encodeVerifierKey, parseAnyVerifierKey, parseVerifierKey, rawEd25519, type CheckpointVerifier } from '@radledger/ledger';
import { parseCosignatureVerifierKey, type CosignatureVerifier } from './cosignature.js';
import { WitnessError } from './witness.errors.js';

/**
 * A trust policy in the format of C2SP tlog-policy (c2sp.org/tlog-policy): which logs are
 * accepted, which witnesses, and the quorum rule (witnesses and k-of-n groups, nestable).
 *
 *   log <vkey> [<url>]
 *   witness <name> <vkey> [<url>]
 *   group <name> all|any|<k> <name>...
 *   quorum <name>|none
 */
export interface PolicyLog {
  verifier: CheckpointVerifier & { keyId: number };
  url?: string;
}

export interface PolicyWitness {
  /** The policy's own name for the witness (used in groups and in messages). */
  name: string;
  verifier: CosignatureVerifier;
  url?: string;
}

export type QuorumRule = { kind: 'none' } | { kind: 'witness'; name: string } | { kind: 'group'; name: string; threshold: number; members: QuorumRule[] };

export interface WitnessPolicy {
  logs: PolicyLog[];
  witnesses: PolicyWitness[];
  quorum: QuorumRule;
  /** The policy text as given, so it can be carried (e.g. in a dossier) and compared. */
  text: string;
}

/** tlog-policy §Implementation limits: at least 32 of each must be supported. */
const LIMIT = 64;

function fail(lineNo: number, message: string): never {
  throw new WitnessError('POLICY_INVALID', `policy line ${lineNo}: ${message}`, { line: lineNo });
}

export function parseWitnessPolicy(text: string): WitnessPolicy {
  // §Character set: only tab and newline among the control characters.
  const control = /[\u0000-\u0008\u000b-\u001f\u007f]/.exec(text);
  if (control) throw new WitnessError('POLICY_INVALID', `the policy contains control character 0x${control[0].charCodeAt(0).toString(16).padStart(2, '0')} (only tab and newline are allowed)`);
  const logs: PolicyLog[] = [];
  const witnesses: PolicyWitness[] = [];
  const names = new Map<string, QuorumRule>();
  const publicKeys = new Set<string>();
  let quorum: QuorumRule | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [keyword, ...args] = line.split(/[ \t]+/);
    const uniqueKey = (raw32: Buffer) => {
      const k = raw32.toString('hex');
      if (publicKeys.has(k)) fail(lineNo, 'the same public key is listed twice (duplicate logs or witnesses are not allowed)');
      publicKeys.add(k);
    };
    switch (keyword) {
      case 'log': {
        if (args.length < 1 || args.length > 2) fail(lineNo, 'expected "log <vkey> [<url>]"');
        let verifier;
        try {
          verifier = parseVerifierKey(args[0]!);
        } catch (error) {
          fail(lineNo, `log key: ${(error as Error).message}`);
        }
        uniqueKey(rawEd25519(verifier.publicKey));
        logs.push({ verifier, url: args[1] });
        if (logs.length > LIMIT) fail(lineNo, `at most ${LIMIT} logs`);
        return;
      }
      case 'witness': {
        if (args.length < 2 || args.length > 3) fail(lineNo, 'expected "witness <name> <vkey> [<url>]"');
        const name = args[0]!;
        if (name === 'none') fail(lineNo, '"none" is reserved');
        if (names.has(name)) fail(lineNo, `name ${name} is already defined`);
        let verifier: CosignatureVerifier;
        try {
          verifier = parseCosignatureVerifierKey(args[1]!);
        } catch (error) {
          fail(lineNo, `witness ${name}: ${(error as Error).message}`);
        }
        uniqueKey(parseAnyVerifierKey(args[1]!).key);
        witnesses.push({ name, verifier, url: args[2] });
        names.set(name, { kind: 'witness', name });
        if (witnesses.length > LIMIT) fail(lineNo, `at most ${LIMIT} witnesses`);
        return;
      }
      case 'group': {
        if (args.length < 3) fail(lineNo, 'expected "group <name> all|any|<k> <member>..."');
        const [name, k, ...memberNames] = args as [string, string, ...string[]];
        if (name === 'none') fail(lineNo, '"none" is reserved');
        if (names.has(name)) fail(lineNo, `name ${name} is already defined`);
        const seen = new Set<string>();
        const members = memberNames.map((m) => {
          if (m === 'none') fail(lineNo, '"none" cannot be a group member');
          const rule = names.get(m);
          if (!rule) fail(lineNo, `group ${name} names ${m}, which is not defined on a preceding line`);
          if (seen.has(m)) fail(lineNo, `group ${name} lists ${m} twice`);
          seen.add(m);
          return rule;
        });
        const n = members.length;
        let threshold: number;
        if (k === 'all') threshold = n;
        else if (k === 'any') threshold = 1;
        else if (/^[1-9][0-9]*$/.test(k) && Number(k) <= n) threshold = Number(k);
        else fail(lineNo, `group ${name} threshold must be all, any or a number from 1 to ${n}, got ${k}`);
        names.set(name, { kind: 'group', name, threshold: threshold!, members });
        if ([...names.values()].filter((r) => r.kind === 'group').length > LIMIT) fail(lineNo, `at most ${LIMIT} groups`);
        return;
      }
      case 'quorum': {
        if (args.length !== 1) fail(lineNo, 'expected "quorum <name>"');
        if (quorum) fail(lineNo, 'a policy has exactly one quorum line');
        if (args[0] === 'none') quorum = { kind: 'none' };
        else {
          const rule = names.get(args[0]!);
          if (!rule) fail(lineNo, `quorum names ${args[0]}, which is not defined on a preceding line`);
          quorum = rule;
        }
        return;
      }
      default:
        fail(lineNo, `unknown keyword ${JSON.stringify(keyword)} (expected log, witness, group or quorum)`);
    }
  });
  if (!quorum) throw new WitnessError('POLICY_INVALID', 'the policy has no quorum line');
  return { logs, witnesses, quorum, text };
}

/** Whether the witnesses named (policy names) satisfy the rule. */
export function quorumMet(rule: QuorumRule, witnessed: ReadonlySet<string>): boolean {
  switch (rule.kind) {
    case 'none':
      return true;
    case 'witness':
      return witnessed.has(rule.name);
    case 'group':
      return rule.members.filter((m) => quorumMet(m, witnessed)).length >= rule.threshold;
  }
}

/** e.g. `2 of (site-berlin, site-boston, cro)`. */
export function describeQuorum(rule: QuorumRule): string {
  switch (rule.kind) {
    case 'none':
      return 'none';
    case 'witness':
      return rule.name;
    case 'group':
      return `${rule.threshold} of (${rule.members.map(describeQuorum).join(', ')})`;
  }
}

/** Policy witnesses that can still change the verdict: every witness the rule mentions. */
export function quorumWitnesses(rule: QuorumRule): string[] {
  switch (rule.kind) {
    case 'none':
      return [];
    case 'witness':
      return [rule.name];
    case 'group':
      return [...new Set(rule.members.flatMap(quorumWitnesses))];
  }
}

/** A log key line for a policy file. */
export function policyLogLine(verifier: CheckpointVerifier, url?: string): string {
  return `log ${encodeVerifierKey(verifier)}${url ? ` ${url}` : ''}`;
}
