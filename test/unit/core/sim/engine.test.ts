import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, EventQueue } from '../../../../core/sim/engine';
import type { EventHandler } from '../../../../core/sim/engine';
import { spanningTree } from '../../../../core/sim/stp';

describe('event queue', () => {
  it('orders events by (time, sequence) whatever the order they are pushed in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
        const queue = new EventQueue();
        const handler: EventHandler = { onEvent: () => undefined };
        times.forEach((t, i) => queue.push(t, handler, i, null));
        const popped: [number, number][] = [];
        for (let ev = queue.pop(); ev !== undefined; ev = queue.pop()) {
          popped.push([ev.time, ev.port]);
          queue.recycle(ev);
        }
        const expected = times
          .map((t, i): [number, number] => [t, i])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(popped).toEqual(expected);
      }),
    );
  });

  it('runs at most maxEvents events, then empties the queue', () => {
    const engine = new Engine();
    let fired = 0;
    const forever: EventHandler = {
      onEvent: () => {
        fired++;
        engine.schedule(1, forever, 0, null);
      },
    };
    engine.schedule(0, forever, 0, null);
    expect(engine.run(100)).toBe(false);
    expect(fired).toBe(100);
    expect(engine.queue.size).toBe(0);
  });

  it('a cancelled event is skipped without moving the clock', () => {
    const engine = new Engine();
    const seen: number[] = [];
    const handler: EventHandler = { onEvent: (port) => seen.push(port) };
    engine.schedule(5, handler, 1, null);
    const late = engine.schedule(1_000_000, handler, 2, null);
    engine.cancel(late, late.seq);
    expect(engine.run(10)).toBe(true);
    expect(seen).toEqual([1]);
    expect(engine.now).toBe(5);
  });

  it('stops at `until` and leaves later events queued', () => {
    const engine = new Engine();
    const seen: number[] = [];
    const handler: EventHandler = { onEvent: (port) => seen.push(port) };
    engine.schedule(10, handler, 1, null);
    engine.schedule(30, handler, 2, null);
    engine.run(10, 20);
    expect(seen).toEqual([1]);
    expect(engine.queue.size).toBe(1);
  });
});

describe('D3 spanning tree', () => {
  const front = {};
  const back = {};
  const dmz = {};
  const port = (index: number, id: string, segment: object) => ({ index, id, segment });

  it('D3: the lowest bridge id is root; a redundant port of the other bridge is blocked', () => {
    const blocked = spanningTree([
      { id: 'br2', ports: [port(0, 'br2-a', front), port(1, 'br2-b', back)] },
      { id: 'br1', ports: [port(0, 'br1-a', front), port(1, 'br1-b', back)] },
    ]);
    expect([...blocked]).toEqual([['br2', new Set([1])]]);
  });

  it('D3: a tree of bridges blocks nothing', () => {
    const blocked = spanningTree([
      { id: 'a', ports: [port(0, 'a-0', front), port(1, 'a-1', back)] },
      { id: 'b', ports: [port(0, 'b-0', back), port(1, 'b-1', dmz)] },
    ]);
    expect(blocked.size).toBe(0);
  });

  it('D3: a triangle of three bridges over three networks blocks exactly one port', () => {
    const blocked = spanningTree([
      { id: 'a', ports: [port(0, 'a-0', front), port(1, 'a-1', back)] },
      { id: 'b', ports: [port(0, 'b-0', back), port(1, 'b-1', dmz)] },
      { id: 'c', ports: [port(0, 'c-0', dmz), port(1, 'c-1', front)] },
    ]);
    const count = [...blocked.values()].reduce((n, s) => n + s.size, 0);
    expect(count).toBe(1);
    // Root a; b and c reach it in one segment each; the dmz segment is designated by the
    // lower id (b), so c's port on dmz is the one blocked.
    expect([...blocked]).toEqual([['c', new Set([0])]]);
  });

  it('D3: two ports of one bridge on one network: one is blocked', () => {
    const blocked = spanningTree([
      { id: 'a', ports: [port(0, 'a-0', front), port(1, 'a-1', front)] },
    ]);
    expect([...blocked]).toEqual([['a', new Set([1])]]);
  });
});
