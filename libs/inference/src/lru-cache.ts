/**
 * A size-bounded map that forgets the least recently used entry first (Map keeps insertion
 * order, so re-inserting on every hit keeps the oldest use at the front).
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(
    readonly capacity: number,
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity: expected an integer >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    const previous = this.entries.get(key);
    this.entries.delete(key);
    if (previous !== undefined && previous !== value) this.onEvict(key, previous);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [K, V];
      this.entries.delete(oldestKey);
      this.onEvict(oldestKey, oldest);
    }
  }

  delete(key: K): boolean {
    const value = this.entries.get(key);
    if (value === undefined) return false;
    this.entries.delete(key);
    this.onEvict(key, value);
    return true;
  }

  values(): V[] {
    return [...this.entries.values()];
  }

  clear(): void {
    for (const [key, value] of [...this.entries]) {
      this.entries.delete(key);
      this.onEvict(key, value);
    }
  }
}
