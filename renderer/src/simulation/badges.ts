/**
 * One badge per drawn node: what the frames that ended at its places came to, counted. A
 * node's badge sums its own place and the places it stands for (a VM's adapters, a
 * network's gateway): how many frames were delivered, how many dropped, and one line per
 * drop reason (with its rule) and per place frames were delivered to. Drop lines come first,
 * most frequent first; the badge's outcome is its worst (any drop makes it `dropped`).
 */
import type { PlaceInfo, Places } from './places';
import type { Mark } from './timeline';

export interface BadgeLine {
  readonly outcome: 'delivered' | 'dropped';
  /** A drop's reason and rule. */
  readonly reason?: string;
  readonly rule?: string;
  /** Where frames were delivered, when that is not the node itself (`web1-nic0`, the gateway). */
  readonly to?: string;
  readonly count: number;
}

export interface NodeBadge {
  /** The canvas id of the node the badge belongs to. */
  readonly node: string;
  /** The node in words: `network lan`, `bridge br1`. */
  readonly label: string;
  readonly delivered: number;
  readonly dropped: number;
  readonly outcome: 'delivered' | 'dropped';
  readonly lines: readonly BadgeLine[];
}

/** A line's text: `loop-detected (D4) ×3`, `delivered to web1-nic0 ×2`, `delivered`. */
export function lineText(line: BadgeLine): string {
  const count = line.count > 1 ? ` ×${line.count}` : '';
  if (line.outcome === 'dropped')
    return `${line.reason ?? 'dropped'}${line.rule ? ` (${line.rule})` : ''}${count}`;
  return `delivered${line.to ? ` to ${line.to}` : ''}${count}`;
}

/**
 * The badge in a sentence, for its accessible name: `network lan: 3 dropped, forged-source
 * (F2) ×3; 2 delivered, to the gateway ×2`.
 */
export function badgeDescription(badge: NodeBadge): string {
  const parts: string[] = [];
  if (badge.dropped > 0) {
    const drops = badge.lines.filter((l) => l.outcome === 'dropped').map(lineText);
    parts.push(`${badge.dropped} dropped, ${drops.join(', ')}`);
  }
  if (badge.delivered > 0) {
    const where = badge.lines
      .filter((l) => l.outcome === 'delivered' && l.to !== undefined)
      .map((l) => `to ${l.to ?? ''}${l.count > 1 ? ` ×${l.count}` : ''}`);
    parts.push(`${badge.delivered} delivered${where.length > 0 ? `, ${where.join(', ')}` : ''}`);
  }
  return `${badge.label}: ${parts.join('; ')}`;
}

/**
 * The badges of `marks` (as the timeline counts them), one per node, in the order their
 * nodes first appear. A bridge's adapter passes what it receives on (`transit`): a delivery
 * there is not where a frame ended, so it is left out.
 */
export function nodeBadges(marks: readonly Mark[], places: Places): NodeBadge[] {
  const byNode = new Map<string, Map<string, BadgeLine>>();
  for (const mark of marks) {
    const place = places.get(mark.place);
    if (!place) continue;
    if (mark.outcome === 'delivered' && place.transit) continue;
    const line = lineOf(mark, place);
    const key = `${line.outcome}\u0000${line.reason ?? ''}\u0000${line.to ?? ''}`;
    let lines = byNode.get(place.node);
    if (!lines) byNode.set(place.node, (lines = new Map()));
    const previous = lines.get(key);
    lines.set(key, previous ? { ...previous, count: previous.count + line.count } : line);
  }
  return [...byNode.entries()].map(([node, lines]) =>
    summarise(node, places.nodeLabel(node) ?? node, lines),
  );
}

function lineOf(mark: Mark, place: PlaceInfo): BadgeLine {
  if (mark.outcome === 'dropped')
    return {
      outcome: 'dropped',
      ...(mark.reason !== undefined ? { reason: mark.reason } : {}),
      ...(mark.rule !== undefined ? { rule: mark.rule } : {}),
      count: mark.count,
    };
  // Delivered to the node itself, or to one of its adapters, or to a network's gateway.
  if (place.anchor.kind === 'node' && place.anchor.id === place.node)
    return { outcome: 'delivered', count: mark.count };
  const to = place.anchor.kind === 'gateway' ? 'the gateway' : mark.place;
  return { outcome: 'delivered', to, count: mark.count };
}

function summarise(node: string, label: string, lines: Map<string, BadgeLine>): NodeBadge {
  const sorted = [...lines.values()].sort(
    (a, b) => (a.outcome === b.outcome ? 0 : a.outcome === 'dropped' ? -1 : 1) || b.count - a.count,
  );
  const sum = (outcome: BadgeLine['outcome']) =>
    sorted.filter((l) => l.outcome === outcome).reduce((n, l) => n + l.count, 0);
  const dropped = sum('dropped');
  return {
    node,
    label,
    delivered: sum('delivered'),
    dropped,
    outcome: dropped > 0 ? 'dropped' : 'delivered',
    lines: sorted,
  };
}
