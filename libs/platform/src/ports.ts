import { v7 as uuidv7 } from 'uuid';

/** Time enters the pure core only through this port (no ambient `new Date()` in deciders). */
export interface Clock {
  now(): Date;
}

/** Fresh identifiers for new aggregates, events and versions. */
export interface IdGenerator {
  newId(): string;
}

export const systemClock: Clock = { now: () => new Date() };

/** RFC 9562 uuid v7: time-ordered, so ids sort roughly by creation. */
export const uuidV7IdGenerator: IdGenerator = { newId: () => uuidv7() };

/** A clock that only moves when told to: for tests and replays. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
