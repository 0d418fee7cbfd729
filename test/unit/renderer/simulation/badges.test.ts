/**
 * One badge per node: the marks of a node's places (its own, a VM's adapters, a network's
 * gateway) summed into deliveries and drops, drop lines by reason with the rule, most
 * frequent first, then where frames were delivered; a bridge's port passes frames on, so a
 * delivery there is no frame's end; the badge's name says it all in a sentence.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLab } from '../../../../core/lab/parse';
import { badgeDescription, lineText, nodeBadges } from '../../../../renderer/src/simulation/badges';
import { Places } from '../../../../renderer/src/simulation/places';
import type { Mark } from '../../../../renderer/src/simulation/timeline';

function places(file: string): Places {
  const parsed = parseLab(
    readFileSync(new URL(`../../../../labs/${file}`, import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error(parsed.violations[0]?.message);
  return new Places(parsed.lab);
}

function dropped(place: string, reason: string, rule: string, count: number): Mark {
  return { place, outcome: 'dropped', reason, rule, count, lastRow: 0 };
}

function delivered(place: string, count: number): Mark {
  return { place, outcome: 'delivered', count, lastRow: 0 };
}

describe('nodeBadges', () => {
  it("sums a node's places into one badge: drops by reason, most first, then deliveries", () => {
    const e5 = places('e5-bridge-loop.lab.yaml');
    const badges = nodeBadges(
      [
        dropped('br2', 'loop-detected', 'D4', 3),
        dropped('br2-front', 'same-port-filter', 'D3', 40),
        dropped('br2-back', 'same-port-filter', 'D3', 2),
        delivered('br2-front', 5),
        delivered('server-nic0', 45),
        dropped('server-nic0', 'loop-detected', 'D4', 3),
      ],
      e5,
    );
    expect(badges.map((b) => b.node)).toEqual(['vm:br2', 'vm:server']);
    const [br2, server] = badges;
    // The bridge's port passed its 5 frames on: not delivered there.
    expect(br2).toMatchObject({ label: 'bridge br2', dropped: 45, delivered: 0 });
    expect(br2?.outcome).toBe('dropped');
    expect(br2?.lines.map(lineText)).toEqual([
      'same-port-filter (D3) ×42',
      'loop-detected (D4) ×3',
    ]);
    expect(server?.lines.map(lineText)).toEqual([
      'loop-detected (D4) ×3',
      'delivered to server-nic0 ×45',
    ]);
    expect(badgeDescription(server!)).toBe(
      'VM server: 3 dropped, loop-detected (D4) ×3; 45 delivered, to server-nic0 ×45',
    );
  });

  it("counts a gateway's deliveries on its network's badge, all delivered: green", () => {
    const e1 = places('e1-nested-vm-out.lab.yaml');
    const [lan] = nodeBadges([delivered('lan:gateway', 4), delivered('lan:gateway', 2)], e1);
    expect(lan).toMatchObject({ node: 'network:lan', delivered: 6, dropped: 0 });
    expect(lan?.outcome).toBe('delivered');
    expect(lan?.lines.map(lineText)).toEqual(['delivered to the gateway ×6']);
    expect(badgeDescription(lan!)).toBe('network lan: 6 delivered, to the gateway ×6');
  });

  it('names a single drop without a count, and skips places not on the drawing', () => {
    const e1 = places('e1-nested-vm-out.lab.yaml');
    const badges = nodeBadges(
      [dropped('lan', 'forged-source', 'F2', 1), delivered('nowhere', 3)],
      e1,
    );
    expect(badges).toHaveLength(1);
    expect(badgeDescription(badges[0]!)).toBe('network lan: 1 dropped, forged-source (F2)');
  });
});
