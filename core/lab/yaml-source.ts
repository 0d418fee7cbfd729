/**
 * Turns lab-file text into plain data without trusting it, as YAML 1.2 core schema (merge
 * keys allowed): a size cap, YAML syntax errors with line and column, one document, duplicate
 * keys, `__proto__`/`constructor`/`prototype` keys, too many aliases, alias bombs (counted
 * as expanded, though js-yaml shares an alias's value) and nesting deeper than MAX_DEPTH are
 * all reported as violations, never thrown. The parser events are kept so later violations
 * can point at the line of the bad field; that index is built only when one is asked for.
 */
import { constructFromEvents, CORE_SCHEMA, mergeTag, parseEvents, YAMLException } from 'js-yaml';
import type { Event } from 'js-yaml';
import { parsePath, type Violation } from '../model/errors';
import { utf8Length } from '../wire/utf8';
import { LineTable, locator } from './yaml-locate';
import { formatViolation, scanEvents } from './yaml-scan';

export const MAX_LAB_BYTES = 5 * 1024 * 1024;
/** An honest lab uses a handful of aliases; a bomb made of fewer is caught by its expansion. */
export const MAX_ALIAS_COUNT = 100;
/** A lab is about 7 levels deep (`vms[0].nested[0].adapters[0]`); 64 leave `ui` room to spare. */
export const MAX_DEPTH = 64;
/**
 * The most values aliases may expand to: as many as the largest file the size cap admits
 * could hold written out (`[1,1,…]`, two bytes a value), so later code never walks more
 * than a file without aliases could make it.
 */
export const MAX_EXPANDED_NODES = MAX_LAB_BYTES / 2;
/** YAML 1.2's core schema plus merge keys (`<<: *defaults`), which trainers use for repeated VMs. */
const LAB_SCHEMA = CORE_SCHEMA.withTags(mergeTag);

export interface YamlSource {
  readonly data: unknown;
  /** Line and column (1-based) of the value at a path like `vms[1].adapters[0].mac`. */
  locate(path: string): { line: number; column: number } | undefined;
}

export type YamlResult = { ok: true; source: YamlSource } | { ok: false; violations: Violation[] };

/** The file's size is counted in UTF-8 bytes (core/wire/utf8.ts; pure core has no TextEncoder). */
export { utf8Length };

export function readYaml(text: string): YamlResult {
  const size = utf8Length(text);
  if (size > MAX_LAB_BYTES) {
    const mb = (size / 1024 / 1024).toFixed(1);
    return fail(
      formatViolation(
        'file-too-large',
        '',
        `The file is ${mb} MB; a lab file may be at most 5 MB.`,
      ),
    );
  }
  let table: LineTable | undefined;
  const lines = (): LineTable => (table ??= new LineTable(text));
  let events: Event[];
  try {
    // Two levels of slack: js-yaml counts a block sequence's levels a little differently, and
    // the scan below enforces MAX_DEPTH exactly; this bound only keeps the parser off the stack.
    events = parseEvents(text, { maxDepth: MAX_DEPTH + 2 });
  } catch (error) {
    return fail(readError(error, lines));
  }
  const scan = scanEvents(
    events,
    text,
    { maxAliases: MAX_ALIAS_COUNT, maxExpandedNodes: MAX_EXPANDED_NODES, maxDepth: MAX_DEPTH },
    (offset) => lines().position(offset),
  );
  if (scan.violations.length > 0) return { ok: false, violations: [...scan.violations] };
  if (scan.documents === 0) {
    return fail(
      formatViolation(
        'wrong-type',
        '',
        'The file is empty; a lab file is a YAML mapping that starts with `nestlab: 1`.',
      ),
    );
  }
  let data: unknown;
  try {
    // The scan has bounded aliases and merges already; these limits are a second line.
    [data] = constructFromEvents(events, {
      source: text,
      schema: LAB_SCHEMA,
      maxAliases: MAX_ALIAS_COUNT,
      maxTotalMergeKeys: MAX_EXPANDED_NODES,
    });
  } catch (error) {
    return fail(readError(error, lines));
  }
  const find = locator(events, text, lines);
  return { ok: true, source: { data, locate: (path) => find(parsePath(path)) } };
}

function fail(violation: Violation): YamlResult {
  return { ok: false, violations: [violation] };
}

/** A js-yaml exception (from the parser or while building values) as a violation. */
function readError(error: unknown, lines: () => LineTable): Violation {
  if (!(error instanceof YAMLException)) {
    const reason = error instanceof Error ? error.message : String(error);
    return formatViolation('yaml-syntax', '', `The YAML could not be read: ${reason}`);
  }
  const pos = lines().position(error.mark?.position ?? 0);
  const where = `line ${pos.line}, column ${pos.column}`;
  const reason = error.reason;
  if (reason.startsWith('nesting exceeded maxDepth')) {
    return formatViolation(
      'yaml-syntax',
      '',
      `The YAML is nested deeper than ${MAX_DEPTH} levels at ${where}; a lab needs far fewer: flatten it.`,
      pos,
    );
  }
  if (reason === 'duplicated mapping key') {
    return formatViolation(
      'duplicate-key',
      '',
      `A key appears twice in one mapping (line ${pos.line}); keep only one of them.`,
      pos,
    );
  }
  if (reason.startsWith('aliases exceeded') || reason.startsWith('merge keys exceeded')) {
    return formatViolation(
      'alias-limit',
      '',
      `The file expands its YAML aliases or merge keys too much (at ${where}); write the values out instead.`,
      pos,
    );
  }
  return formatViolation('yaml-syntax', '', `YAML syntax error at ${where}: ${reason}`, pos);
}

/** A path's segments, as `formatPath` wrote them (core/model/errors.ts). */
export { parsePath };
