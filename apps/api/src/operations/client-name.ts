import { RADLEDGER_VERSION } from '@radledger/application';

/** Software name and version recorded in every event's `meta.client` (ALCOA+: attributable to software too). */
export const CLIENT_NAME = `radledger-api/${RADLEDGER_VERSION}`;
