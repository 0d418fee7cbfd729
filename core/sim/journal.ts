/**
 * An undo log for the simulator's state, so an objective's check can run on the state the
 * traffic script left and then leave it exactly as it found it (lab-format.md: "a fresh ping on
 * the state the traffic script left"): grading costs the check's own work, not a replay of the
 * script per objective. Guarantees: while a journal is open every change to learned tables, ARP
 * caches, held virtual IPs, IP id counters and loop reports records how to undo itself;
 * `rollback` undoes them newest first, so maps get back their entries in their old order; with
 * no journal open, recording costs one boolean test.
 */

export class Journal {
  private readonly undos: (() => void)[] = [];
  private open = false;

  get active(): boolean {
    return this.open;
  }

  /** Starts recording; nothing may be recorded into an already open journal. */
  begin(): void {
    if (this.open) throw new Error('journal already open');
    this.open = true;
  }

  /** Remembers how to undo one change (call only while `active`). */
  record(undo: () => void): void {
    this.undos.push(undo);
  }

  /** Undoes every recorded change, newest first, and stops recording. */
  rollback(): void {
    const undos = this.undos;
    for (let i = undos.length - 1; i >= 0; i--) (undos[i] as () => void)();
    undos.length = 0;
    this.open = false;
  }

  /** Before `map.set(key, …)`: how to give `key` back its value (or absence). Keeps map order. */
  beforeSet<K, V>(map: Map<K, V>, key: K): void {
    if (!this.open) return;
    if (map.has(key)) {
      const old = map.get(key) as V;
      this.undos.push(() => map.set(key, old));
    } else this.undos.push(() => map.delete(key));
  }

  /**
   * Before a deletion from `map`: the whole map as it is, since a deleted key set again would
   * come back last. Deletions while a check runs are rare (an entry ageing out), so copying is
   * cheaper than remembering positions.
   */
  beforeDelete<K, V>(map: Map<K, V>): void {
    if (!this.open) return;
    const entries = [...map];
    this.undos.push(() => {
      map.clear();
      for (const [k, v] of entries) map.set(k, v);
    });
  }
}
