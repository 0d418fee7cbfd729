/**
 * Where things are in a lab file's text, for violations: the 1-based line and column of an
 * offset (a line-start table and a binary search), and of the value at a lab-format path such
 * as `vms[1].adapters[0].mac`, read from js-yaml's parser events (which carry source offsets).
 * Both are built at most once per file, in time linear in its length, and only when asked.
 */
import { EVENT_ID, getScalarValue, SCALAR_STYLE } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import { assertNever } from '../common/assert-never';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Offsets → lines. YAML 1.2 §5.4 breaks lines at LF, CRLF and a lone CR, as js-yaml counts them. */
export class LineTable {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }

  /** The offset where the line holding `offset` starts. */
  lineStart(offset: number): number {
    return this.starts[this.position(offset).line - 1] ?? 0;
  }
}

/** A value as written in the file: where it starts, and its children by key or index. */
interface Located {
  readonly offset: number;
  readonly keys?: Map<string, Located>;
  readonly items?: Located[];
}

interface Open {
  readonly node: Located;
  /** Children completed so far; in a mapping, even counts mean a key comes next. */
  count: number;
  /** Text of the key whose value is being read; undefined for a complex or unknown key. */
  key: string | undefined;
  keyOffset: number;
}

/**
 * The first document's values by path, as written: a key that exists only through a merge
 * (`<<: *defaults`) or inside an alias is absent, so `locate` falls back to its nearest
 * written ancestor (for an alias, the `*name` itself).
 */
function buildIndex(events: readonly Event[], text: string, lines: LineTable): Located | undefined {
  const stack: Open[] = [];
  const anchoredText = new Map<string, string>();
  let root: Located | undefined;
  /** Where the text of the events read so far ends, to find a block scalar's indicator after it. */
  let end = 0;
  const inKeySlot = (): boolean => {
    const parent = stack[stack.length - 1];
    return parent?.node.keys !== undefined && parent.count % 2 === 0;
  };
  const complete = (node: Located, keyText: string | undefined) => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      root ??= node;
      return;
    }
    const isKey = parent.node.keys !== undefined && parent.count % 2 === 0;
    parent.count++;
    if (isKey) {
      parent.key = keyText;
      parent.keyOffset = node.offset;
    } else if (parent.node.items) parent.node.items.push(node);
    else if (parent.key !== undefined && !parent.node.keys?.has(parent.key)) {
      parent.node.keys?.set(parent.key, node);
    }
  };
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (root) return root;
        break;
      case EVENT_ID.SCALAR: {
        const anchored = event.anchorStart >= 0;
        const value = anchored || inKeySlot() ? getScalarValue(text, event) : undefined;
        if (anchored) anchoredText.set(text.slice(event.anchorStart, event.anchorEnd), value ?? '');
        const parent = stack[stack.length - 1];
        const offset =
          event.valueStart >= 0
            ? scalarStart(event, text, lines, Math.max(end, event.tagEnd, event.anchorEnd))
            : // An empty value (`key:`) has no text of its own: point at its key, or its parent.
              parent?.node.keys
              ? parent.keyOffset
              : (parent?.node.offset ?? 0);
        complete({ offset }, value);
        end = Math.max(end, event.valueEnd);
        break;
      }
      case EVENT_ID.ALIAS: {
        const offset = Math.max(0, event.anchorStart - 1);
        const name = text.slice(event.anchorStart, event.anchorEnd);
        complete({ offset }, anchoredText.get(name));
        end = Math.max(end, event.anchorEnd);
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const node: Located =
          event.type === EVENT_ID.MAPPING
            ? { offset: event.start, keys: new Map() }
            : { offset: event.start, items: [] };
        stack.push({ node, count: 0, key: undefined, keyOffset: event.start });
        end = Math.max(end, event.start);
        break;
      }
      case EVENT_ID.POP: {
        const open = stack.pop();
        if (open) complete(open.node, undefined);
        break;
      }
      default:
        assertNever(event, 'YAML event');
    }
  }
  return root;
}

/**
 * Where a scalar is written: a quoted one at its opening quote; a block one (`|`, `>`) at its
 * indicator, which is on the line before its text (js-yaml's `valueStart`), after `from`.
 */
function scalarStart(event: ScalarEvent, text: string, lines: LineTable, from: number): number {
  switch (event.style) {
    case SCALAR_STYLE.SINGLE_QUOTED:
    case SCALAR_STYLE.DOUBLE_QUOTED:
      return event.valueStart - 1;
    case SCALAR_STYLE.LITERAL_BLOCK:
    case SCALAR_STYLE.FOLDED_BLOCK: {
      const header = Math.max(lines.lineStart(event.valueStart - 1), from);
      for (let i = header; i < event.valueStart; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x7c || c === 0x3e) return i; // `|` or `>`
      }
      return header;
    }
    default:
      return event.valueStart;
  }
}

function child(node: Located, segment: string | number): Located | undefined {
  if (node.items) return typeof segment === 'number' ? node.items[segment] : undefined;
  return node.keys?.get(String(segment));
}

/**
 * `locate(segments)`: the position of the value at a path, or of its nearest existing
 * ancestor (a missing key is reported at its parent); undefined for the empty path.
 */
export function locator(
  events: readonly Event[],
  text: string,
  lines: () => LineTable,
): (segments: readonly (string | number)[]) => Position | undefined {
  let index: Located | undefined;
  let built = false;
  return (segments) => {
    if (!built) {
      index = buildIndex(events, text, lines());
      built = true;
    }
    let node = index;
    let found: Located | undefined;
    for (const segment of segments) {
      node = node && child(node, segment);
      if (!node) break;
      found = node;
    }
    return found && lines().position(found.offset);
  };
}
