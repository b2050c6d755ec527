import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export const MONITOR_ALERT_KINDS = ['PROTOCOL_DEVIATION', 'DECISION_REFUSED', 'MODEL_LOCKED', 'MODEL_RETIRED', 'VERIFICATION_FAILED', 'WITNESS_FORK'] as const;
export type MonitorAlertKind = (typeof MONITOR_ALERT_KINDS)[number];

export enum MonitorAlertKindEnum {
  PROTOCOL_DEVIATION = 'PROTOCOL_DEVIATION',
  DECISION_REFUSED = 'DECISION_REFUSED',
  MODEL_LOCKED = 'MODEL_LOCKED',
  MODEL_RETIRED = 'MODEL_RETIRED',
  VERIFICATION_FAILED = 'VERIFICATION_FAILED',
  WITNESS_FORK = 'WITNESS_FORK',
}
registerEnumType(MonitorAlertKindEnum, {
  name: 'MonitorAlertKind',
  description:
    'PROTOCOL_DEVIATION (an acquisition outside the imaging protocol was recorded), DECISION_REFUSED (MODEL_NOT_LOCKED, MODEL_HASH_MISMATCH, …: nothing recorded), MODEL_LOCKED, MODEL_RETIRED, VERIFICATION_FAILED (verifyLedger found a bad hash, link, root or signature), WITNESS_FORK (a witness refused a checkpoint as inconsistent with one it cosigned: the ledger no longer extends a history a site saw).',
});

/** What a monitor is told as it happens (ADR 0015). */
export interface MonitorAlert {
  alertId: string;
  kind: MonitorAlertKind;
  /** null: concerns the whole ledger (a verification failure). */
  trialId: string | null;
  siteId: string | null;
  subjectId: string | null;
  modelId: string | null;
  modelVersion: string | null;
  /** The refusal's or verification failure's error code. */
  code: string | null;
  message: string;
  /** The ledger event the alert comes from; null for refusals and verification failures (nothing was appended). */
  eventId: string | null;
  globalPosition: number | null;
  at: string;
}

@ObjectType('MonitorAlert', { description: 'A live alert for trial monitors: fed from the ledger (deviations, locks, retirements) and from refusals and verification failures.' })
export class MonitorAlertModel implements MonitorAlert {
  @Field() alertId!: string;
  @Field(() => MonitorAlertKindEnum) kind!: MonitorAlertKind;
  @Field(() => String, { nullable: true }) trialId!: string | null;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => String, { nullable: true }) modelId!: string | null;
  @Field(() => String, { nullable: true }) modelVersion!: string | null;
  @Field(() => String, { nullable: true }) code!: string | null;
  @Field() message!: string;
  @Field(() => String, { nullable: true }) eventId!: string | null;
  @Field(() => Int, { nullable: true }) globalPosition!: number | null;
  @Field({ description: 'When it was recorded (ledger time) or refused (server UTC).' }) at!: string;
}
