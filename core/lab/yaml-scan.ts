/**
 * The checks `readYaml` makes on js-yaml's parser events before any value is built, so a
 * hostile file costs no more than reading its text. It guarantees: one document at most; no
 * `__proto__`, `constructor` or `prototype` key anywhere, however it is written (quoted,
 * tagged, through an alias, inside a merge); no key twice in one mapping; at most
 * `maxAliases` aliases, none inside the value it names; and what the aliases stand for,
 * counted as often as later code walks it (js-yaml shares an alias's value by reference),
 * at most `maxExpandedNodes` nodes nested at most `maxDepth` collections deep. Each anchor's
 * expanded size is memoised, so the count is linear in the events even for an alias bomb.
 */
import { EVENT_ID, getScalarValue, SCALAR_STYLE } from 'js-yaml';
import type { AliasEvent, Event, MappingEvent, ScalarEvent, SequenceEvent } from 'js-yaml';
import type { Violation } from '../model/errors';
import { formatPath } from '../model/errors';
import { assertNever } from '../common/assert-never';
import type { Position } from './yaml-locate';

export interface ScanLimits {
  readonly maxAliases: number;
  readonly maxExpandedNodes: number;
  readonly maxDepth: number;
}

export interface Scan {
  /** YAML documents in the stream: 0 for an empty file; the scan stops at a second one. */
  readonly documents: number;
  readonly violations: readonly Violation[];
}

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'] as const;
/** A key no lab file may have, at any depth: it would reach an object's prototype. */
export type ForbiddenKey = (typeof FORBIDDEN)[number];
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(FORBIDDEN);

export function formatViolation(
  code: Violation['code'],
  path: string,
  message: string,
  pos?: Position,
): Violation {
  const where = pos ? { line: pos.line, column: pos.column } : {};
  return { code, rule: 'format', path, severity: 'error', message, ...where };
}

interface Anchor {
  /** Nodes the anchored value stands for, each alias inside it counted as its whole value. */
  size: number;
  /** Collection levels in it: 0 for a scalar. */
  height: number;
  /** Still being read: an alias to it now would make the value contain itself. */
  open: boolean;
  /** A scalar's text, for an alias used as a key. */
  readonly text: string | undefined;
}

interface Frame {
  readonly start: number;
  readonly anchor: Anchor | undefined;
  /** A mapping's keys so far, with the offset of each; undefined for a sequence. */
  readonly keys: Map<string, number> | undefined;
  /** Children completed; in a mapping, an even count means a key comes next. */
  count: number;
  /** The key whose value is being read; undefined for a complex key. */
  key: string | undefined;
  size: number;
  height: number;
}

/** What the scan carries from event to event. */
interface State {
  readonly text: string;
  readonly limits: ScanLimits;
  readonly at: (offset: number) => Position;
  readonly stack: Frame[];
  readonly anchors: Map<string, Anchor>;
  readonly violations: Violation[];
  aliases: number;
  /** Nodes so far, each alias counted as everything it stands for. */
  total: number;
}

/**
 * One pass over the events. The common events (a scalar, a collection opening or closing)
 * are handled inline: the scan runs once per file, mostly before the JIT has warmed up.
 */
export function scanEvents(
  events: readonly Event[],
  text: string,
  limits: ScanLimits,
  at: (offset: number) => Position,
): Scan {
  const state: State = {
    text,
    limits,
    at,
    stack: [],
    anchors: new Map(),
    violations: [],
    aliases: 0,
    total: 0,
  };
  const { stack, violations } = state;
  let documents = 0;
  let top: Frame | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event === undefined) break;
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1) {
          secondDocument(state, events, i);
          return { documents, violations };
        }
        break;
      case EVENT_ID.SCALAR:
        if (event.anchorStart >= 0) anchorScalar(state, event);
        if (top !== undefined) {
          if (top.keys !== undefined && top.count % 2 === 0) scalarKey(state, top, event);
          top.size += 1;
          top.count++;
        }
        state.total += 1;
        break;
      case EVENT_ID.ALIAS:
        if (!alias(state, event, top)) return { documents, violations };
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        if (!open(state, event, top)) return { documents, violations };
        top = stack[stack.length - 1];
        break;
      case EVENT_ID.POP: {
        const frame = stack.pop();
        top = stack[stack.length - 1];
        if (frame) close(frame, top);
        break;
      }
      default:
        assertNever(event, 'YAML event');
    }
  }
  return { documents, violations };
}

function anchorScalar(state: State, event: ScalarEvent): void {
  const name = state.text.slice(event.anchorStart, event.anchorEnd);
  const text = getScalarValue(state.text, event);
  state.anchors.set(name, { size: 1, height: 0, open: false, text });
}

function scalarKey(state: State, frame: Frame, event: ScalarEvent): void {
  const name = getScalarValue(state.text, event);
  // A plain `<<` is a merge key (CORE_SCHEMA with mergeTag): it may repeat.
  const merge = event.style === SCALAR_STYLE.PLAIN && name === '<<';
  key(state, frame, name, scalarOffset(event, frame), merge);
}

/** Takes an alias; false stops the scan (past an alias problem, sizes mean nothing). */
function alias(state: State, event: AliasEvent, parent: Frame | undefined): boolean {
  const offset = Math.max(0, event.anchorStart - 1);
  const name = state.text.slice(event.anchorStart, event.anchorEnd);
  const { maxAliases, maxExpandedNodes, maxDepth } = state.limits;
  if (++state.aliases > maxAliases) {
    return fail(
      state,
      'alias-limit',
      offset,
      (pos) =>
        `The file uses more than ${maxAliases} YAML aliases (the one past the limit is *${name} at line ${pos.line}); write those values out instead.`,
    );
  }
  // An unknown anchor is left to js-yaml, which reports it as a syntax error.
  const anchor = state.anchors.get(name) ?? { size: 1, height: 0, open: false, text: undefined };
  if (anchor.open) {
    return fail(
      state,
      'alias-limit',
      offset,
      (pos) =>
        `The alias *${name} at line ${pos.line}, column ${pos.column} is inside the value it names, so that value would contain itself; write it out instead.`,
    );
  }
  state.total += anchor.size;
  if (state.total > maxExpandedNodes) {
    return fail(
      state,
      'alias-limit',
      offset,
      (pos) =>
        `The file's YAML aliases expand to more than ${maxExpandedNodes} values (past *${name} at line ${pos.line}): that is an alias bomb, not a lab. Write the repeated values out, or alias smaller blocks.`,
    );
  }
  if (state.stack.length + anchor.height > maxDepth) {
    return fail(
      state,
      'alias-limit',
      offset,
      (pos) =>
        `The alias *${name} at line ${pos.line} puts values nested deeper than ${maxDepth} levels; write that value out flatter, or alias a smaller block.`,
    );
  }
  if (parent?.keys !== undefined && parent.count % 2 === 0) {
    key(state, parent, anchor.height === 0 ? anchor.text : undefined, offset, false);
  }
  if (parent) add(parent, anchor.size, anchor.height);
  return true;
}

/** Opens a mapping or sequence; false stops the scan (nested too deep). */
function open(
  state: State,
  event: MappingEvent | SequenceEvent,
  parent: Frame | undefined,
): boolean {
  // A collection used as a key has no name to check; js-yaml refuses it when building.
  if (parent?.keys !== undefined && parent.count % 2 === 0) parent.key = undefined;
  const { maxDepth } = state.limits;
  if (state.stack.length + 1 > maxDepth) {
    return fail(
      state,
      'yaml-syntax',
      event.start,
      (pos) =>
        `The YAML is nested deeper than ${maxDepth} levels at line ${pos.line}, column ${pos.column}; a lab needs far fewer: flatten it.`,
    );
  }
  let anchor: Anchor | undefined;
  if (event.anchorStart >= 0) {
    anchor = { size: 1, height: 1, open: true, text: undefined };
    state.anchors.set(state.text.slice(event.anchorStart, event.anchorEnd), anchor);
  }
  state.total += 1;
  state.stack.push({
    start: event.start,
    anchor,
    keys: event.type === EVENT_ID.MAPPING ? new Map() : undefined,
    count: 0,
    key: undefined,
    size: 1,
    height: 1,
  });
  return true;
}

function close(frame: Frame, parent: Frame | undefined): void {
  if (frame.anchor) {
    frame.anchor.size = frame.size;
    frame.anchor.height = frame.height;
    frame.anchor.open = false;
  }
  if (parent) add(parent, frame.size, frame.height);
}

/** A child of `size` nodes and `height` collection levels completed inside `parent`. */
function add(parent: Frame, size: number, height: number): void {
  parent.size += size;
  if (height + 1 > parent.height) parent.height = height + 1;
  parent.count++;
}

function key(
  state: State,
  frame: Frame,
  name: string | undefined,
  offset: number,
  merge: boolean,
): void {
  frame.key = name;
  if (name === undefined) return;
  if (FORBIDDEN_KEYS.has(name)) {
    state.violations.push(
      formatViolation(
        'forbidden-key',
        pathOf(state.stack),
        `The key "${name}" is not allowed in a lab file; remove it.`,
        state.at(offset),
      ),
    );
    return;
  }
  if (merge) return;
  const first = frame.keys?.get(name);
  if (first === undefined) {
    frame.keys?.set(name, offset);
    return;
  }
  const pos = state.at(offset);
  state.violations.push(
    formatViolation(
      'duplicate-key',
      pathOf(state.stack),
      `The key "${name}" appears twice in one mapping (lines ${state.at(first).line} and ${pos.line}); keep only one of them.`,
      pos,
    ),
  );
}

/** Reports a problem at the node being read; false, to stop the scan. */
function fail(
  state: State,
  code: Violation['code'],
  offset: number,
  message: (pos: Position) => string,
): false {
  const pos = state.at(offset);
  state.violations.push(formatViolation(code, pathOf(state.stack), message(pos), pos));
  return false;
}

/** The lab-format path of the node being read. */
function pathOf(stack: readonly Frame[]): string {
  const segments: (string | number)[] = [];
  for (const frame of stack) {
    if (!frame.keys) segments.push(frame.count);
    else if (frame.key !== undefined) segments.push(frame.key);
  }
  return formatPath(segments);
}

/** A lab file is one document: point at where the second one starts. */
function secondDocument(state: State, events: readonly Event[], index: number): void {
  let end = 0;
  for (let i = 0; i < index; i++) end = Math.max(end, eventEnd(events[i]));
  let content = -1;
  for (let i = index + 1; i < events.length && content < 0; i++) {
    content = eventStart(events[i]);
  }
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  marker.lastIndex = end;
  const dashes = marker.exec(state.text)?.index ?? -1;
  const starts = [content, dashes].filter((offset) => offset >= 0);
  const pos = state.at(starts.length > 0 ? Math.min(...starts) : end);
  state.violations.push(
    formatViolation(
      'yaml-syntax',
      '',
      `The file holds more than one YAML document (another starts at line ${pos.line}, column ${pos.column}); a lab file is one document: remove that \`---\` and what follows, or move it to a file of its own.`,
      pos,
    ),
  );
}

/** The earliest of some offsets, -1 (js-yaml's "absent") when none is present. */
function earliest(...offsets: number[]): number {
  let best = -1;
  for (const offset of offsets) if (offset >= 0 && (best < 0 || offset < best)) best = offset;
  return best;
}

/** Where a key is written (a quoted one at its quote); an empty key has no text, so its tag, anchor or mapping stands in. */
function scalarOffset(event: ScalarEvent, parent: Frame): number {
  const quoted =
    event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
  if (event.valueStart >= 0) return quoted ? event.valueStart - 1 : event.valueStart;
  const offset = earliest(event.tagStart, event.anchorStart);
  return offset >= 0 ? offset : parent.start;
}

function eventStart(event: Event | undefined): number {
  switch (event?.type) {
    case EVENT_ID.SCALAR:
      return earliest(event.tagStart, event.anchorStart, event.valueStart);
    case EVENT_ID.ALIAS:
      return event.anchorStart - 1;
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return earliest(event.tagStart, event.anchorStart, event.start);
    default:
      return -1;
  }
}

function eventEnd(event: Event | undefined): number {
  switch (event?.type) {
    case EVENT_ID.SCALAR:
      return Math.max(event.valueEnd, event.anchorEnd, event.tagEnd, 0);
    case EVENT_ID.ALIAS:
      return event.anchorEnd;
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return Math.max(event.start, event.anchorEnd, event.tagEnd);
    default:
      return 0;
  }
}
