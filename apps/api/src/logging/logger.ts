import { pino } from 'pino';

/**
 * Structured JSON logs. Secrets never reach the log: credentials and tokens are redacted
 * wherever they appear (21 CFR 11.300 protects identification codes and passwords).
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: 'radledger-api' },
  redact: {
    paths: [
      'req.headers.authorization',
      'req.headers.cookie',
      '*.password',
      '*.token',
      '*.secret',
      'variables.password',
      'variables.input.password',
    ],
    censor: '[redacted]',
  },
});
