import { defineEvent, type EventOf } from '../shared/event.js';
import { S } from '../shared/schema.js';
import { RecordFeatureReliabilityInput } from './reliability.commands.js';

const { studyId: _studyId, ...study } = RecordFeatureReliabilityInput.properties;

/** A recorded reliability study of a trial's features (the lock gate reads the latest one). */
export const FeatureReliabilityRecordedEvent = defineEvent('FeatureReliabilityRecorded', S.obj({ ...study, studyId: S.id() }));
export type FeatureReliabilityRecorded = EventOf<typeof FeatureReliabilityRecordedEvent>;

export const reliabilityEvents = [FeatureReliabilityRecordedEvent] as const;
export type ReliabilityEvent = FeatureReliabilityRecorded;
