import { Option } from 'commander';

/** Witness options; light (commander only). Parsing the policy is in ../cli-runtime.ts. */
export function policyOption(): Option {
  return new Option('--policy <file>', 'witness policy (C2SP tlog-policy: log, witness, group, quorum lines): require a quorum of witness cosignatures');
}

export function tsaRootOption(): Option {
  return new Option('--tsa-root <pem>', 'pinned root certificate of the RFC 3161 TSA: check the stored timestamp tokens');
}

export const SINGLE_KEY_NOTE =
  'note: no --policy: the checkpoints rest on one signing key; whoever holds it can rewrite history and re-sign it undetected. Pass --policy <file> to require witness cosignatures.\n';
