import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../../core/sim';
import { bridgeLab, loopLab, nestedLab } from './fixtures';

function framesOf(events: readonly { frame: number }[]): Set<number> {
  return new Set(events.map((e) => e.frame));
}

describe('frame lineage', () => {
  it('records each traced copy with its parent id and shared packet while recording', () => {
    const sim = new Simulation(bridgeLab({ promiscuous: true }));
    const { events } = sim.ping('client', '10.0.0.2');
    const lineage = sim.takeLineage(framesOf(events));
    for (const frame of framesOf(events)) expect(lineage.has(frame)).toBe(true);
    const first = events[0];
    expect(first?.type).toBe('transmit');
    expect(lineage.get(first?.frame ?? 0)?.parent).toBeNull();
    // D3: the copy a bridge sends on has the copy it took in as parent, and the same bytes.
    const crossed = events.find((e) => e.type === 'transmit' && e.at === 'br-b');
    const copy = lineage.get(crossed?.frame ?? 0);
    const parent = lineage.get(copy?.parent ?? 0);
    expect(copy?.packet).toBe(parent?.packet);
    expect(copy?.packet.bytes.length).toBeGreaterThanOrEqual(60);
  });

  it('gives the ancestors of the copies asked for, then forgets all lineage', () => {
    const sim = new Simulation(nestedLab({ promiscuous: true }));
    const { events } = sim.ping('web1', '10.0.0.254');
    const last = events.at(-1);
    const lineage = sim.takeLineage([last?.frame ?? 0]);
    // The chain runs back to the copy web1 sent (its origin), each entry naming the next.
    const chain: number[] = [];
    for (let id: number | null = last?.frame ?? null; id !== null;)
      id = (chain.push(id), lineage.get(id)?.parent ?? null);
    expect(chain.at(-1)).toBe(last?.origin);
    expect(lineage.size).toBe(chain.length);
    expect(sim.takeLineage(framesOf(events)).size).toBe(0);
  });

  it('keeps nothing with recording off (the benchmark), and reset forgets it', () => {
    const quiet = new Simulation(loopLab({ stp: false }), { recordTrace: false });
    quiet.ping('web1', '10.0.0.2');
    expect(quiet.stats().frames).toBeGreaterThan(100); // a storm's worth of copies
    expect(quiet.takeLineage(Array.from({ length: 2000 }, (_, i) => i + 1)).size).toBe(0);
    const sim = new Simulation(nestedLab({ promiscuous: true }));
    const { events } = sim.ping('web1', '10.0.0.254');
    sim.reset();
    expect(sim.takeLineage(framesOf(events)).size).toBe(0);
  });
});
