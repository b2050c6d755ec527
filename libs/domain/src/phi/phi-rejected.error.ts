import { ValidationError } from '@radledger/platform';
import type { PhiFinding } from './phi-detector.js';

/** Personal data never enters an event in clear (DESIGN "The event envelope"; ICH E6(R3)). */
export class PhiRejectedError extends ValidationError {
  constructor(field: string, finding: PhiFinding) {
    // The offending value is deliberately not echoed: the error itself must not leak PHI into logs.
    super('PHI_REJECTED', `${field}: looks like ${finding.kind} (${finding.rule}); expected a pseudonym or text without personal data`, {
      field,
      kind: finding.kind,
      rule: finding.rule,
    });
  }
}
