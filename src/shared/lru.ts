/**
 * A small least-recently-used map (the compiled emails the renderer and the click redirect use).
 * A read only stamps its entry: moving it to the end of a Map (delete, then set) on every read
 * churned the Map enough to show in the click redirect's profile. The oldest stamp is looked for
 * only when an entry must go, which the few dozen entries make cheap.
 */
export class Lru<K, V> {
  private map = new Map<K, { value: V; used: number }>();
  private clock = 0;
  constructor(private size: number) {}
  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry) entry.used = ++this.clock;
    return entry?.value;
  }
  set(key: K, value: V): void {
    this.map.set(key, { value, used: ++this.clock });
    if (this.map.size > this.size) this.map.delete(this.oldest());
  }
  delete(key: K): void {
    this.map.delete(key);
  }
  private oldest(): K {
    let oldest: K | undefined;
    let oldestUse = Infinity;
    for (const [key, { used }] of this.map) {
      if (used < oldestUse) [oldest, oldestUse] = [key, used];
    }
    return oldest as K;
  }
}
