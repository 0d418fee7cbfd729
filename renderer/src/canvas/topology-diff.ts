/**
 * What changed between the drawing on the canvas and a lab's new topology, as plain data,
 * so the adapter touches only the elements that changed: an edit to a 1,000-node lab
 * changes one or two of its 1,800 elements, and asking cytoscape about every element costs
 * more than the edit itself. Guarantees: every element of the new topology is in exactly
 * one of `added*`, `reparented`, `rewired`, `updated` or unchanged; every drawn element
 * that is not in it is in `removed`.
 */
import type { Topology, TopologyEdge, TopologyNode } from './topology';

export type TopologyElement = TopologyNode | TopologyEdge;

/** The drawn elements by canvas id (node and edge ids never collide: `vm:…`, `adapter:…`). */
export type DrawnElements = ReadonlyMap<string, TopologyElement>;

export interface TopologyChanges {
  /** Canvas ids drawn before and absent now. */
  readonly removed: readonly string[];
  readonly addedNodes: readonly TopologyNode[];
  /** Nodes drawn before that sit in another compound node now (or in none). */
  readonly reparented: readonly TopologyNode[];
  readonly addedEdges: readonly TopologyEdge[];
  /** Edges drawn before that join other ends now: cytoscape draws them anew. */
  readonly rewired: readonly TopologyEdge[];
  /** Elements that stay where they were with other data: a label, a power state… */
  readonly updated: readonly TopologyElement[];
}

export function elementsOf(topology: Topology): Map<string, TopologyElement> {
  const elements = new Map<string, TopologyElement>();
  for (const node of topology.nodes) elements.set(node.id, node);
  for (const edge of topology.edges) elements.set(edge.id, edge);
  return elements;
}

function isEdge(element: TopologyElement): element is TopologyEdge {
  return 'source' in element;
}

function sameNodeData(a: TopologyNode, b: TopologyNode): boolean {
  return (
    a.ref === b.ref &&
    a.kind === b.kind &&
    a.label === b.label &&
    a.detail === b.detail &&
    a.power === b.power
  );
}

function sameEdgeData(a: TopologyEdge, b: TopologyEdge): boolean {
  return (
    a.ref === b.ref &&
    a.kind === b.kind &&
    a.label === b.label &&
    a.detail === b.detail &&
    a.promiscuous === b.promiscuous &&
    a.owner === b.owner
  );
}

export function topologyChanges(drawn: DrawnElements, next: Topology): TopologyChanges {
  const wanted = new Set<string>();
  const addedNodes: TopologyNode[] = [];
  const reparented: TopologyNode[] = [];
  const addedEdges: TopologyEdge[] = [];
  const rewired: TopologyEdge[] = [];
  const updated: TopologyElement[] = [];
  for (const node of next.nodes) {
    wanted.add(node.id);
    const old = drawn.get(node.id);
    if (!old || isEdge(old)) addedNodes.push(node);
    else if (old.parent !== node.parent) reparented.push(node);
    else if (!sameNodeData(old, node)) updated.push(node);
  }
  for (const edge of next.edges) {
    wanted.add(edge.id);
    const old = drawn.get(edge.id);
    if (!old || !isEdge(old)) addedEdges.push(edge);
    else if (old.source !== edge.source || old.target !== edge.target) rewired.push(edge);
    else if (!sameEdgeData(old, edge)) updated.push(edge);
  }
  const removed = [...drawn.keys()].filter((id) => !wanted.has(id));
  return { removed, addedNodes, reparented, addedEdges, rewired, updated };
}

export function hasChanges(changes: TopologyChanges): boolean {
  return (
    changes.removed.length > 0 ||
    changes.addedNodes.length > 0 ||
    changes.reparented.length > 0 ||
    changes.addedEdges.length > 0 ||
    changes.rewired.length > 0 ||
    changes.updated.length > 0
  );
}
