import { eventDeclarations, currentSchemaVersion } from '../registry.js';

/**
 * Current schema version per event type, from the event declarations. Writers always append the
 * current version; readers upcast older stored versions (upcasters.ts). Never renumber a stored version.
 */
export type EventType = (typeof eventDeclarations)[number]['type'];
export const eventTypes = eventDeclarations.map((e) => e.type) as EventType[];
export const CURRENT_EVENT_VERSIONS = Object.fromEntries(eventDeclarations.map((e) => [e.type, e.version])) as Record<EventType, number>;
export { currentSchemaVersion };
