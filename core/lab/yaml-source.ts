/**
 * Turns lab-file text into plain data without trusting it: a size cap, YAML syntax errors
 * with line and column, duplicate keys, alias bombs and prototype keys are all reported as
 * violations, never thrown. The YAML document is kept so later violations can point at the
 * line of the bad field.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { Violation } from '../model/errors';
import { formatPath } from '../model/errors';

export const MAX_LAB_BYTES = 5 * 1024 * 1024;
/** An honest lab uses a handful of aliases; a "billion laughs" file needs thousands. */
export const MAX_ALIAS_COUNT = 100;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface YamlSource {
  readonly data: unknown;
  /** Line and column (1-based) of the value at a path like `vms[1].adapters[0].mac`. */
  locate(path: string): { line: number; column: number } | undefined;
}

export type YamlResult = { ok: true; source: YamlSource } | { ok: false; violations: Violation[] };

/** UTF-8 length without TextEncoder (pure core has none). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function formatViolation(
  code: Violation['code'],
  path: string,
  message: string,
  pos?: { line: number; col: number },
): Violation {
  const where = pos ? { line: pos.line, column: pos.col } : {};
  return { code, rule: 'format', path, severity: 'error', message, ...where };
}

export function readYaml(text: string): YamlResult {
  const size = utf8Length(text);
  if (size > MAX_LAB_BYTES) {
    const mb = (size / 1024 / 1024).toFixed(1);
    return {
      ok: false,
      violations: [
        formatViolation(
          'file-too-large',
          '',
          `The file is ${mb} MB; a lab file may be at most 5 MB.`,
        ),
      ],
    };
  }
  const lineCounter = new LineCounter();
  // `merge: true` accepts YAML merge keys (`<<: *defaults`), which trainers use for repeated VMs.
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    merge: true,
  });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      violations: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        const duplicate = error.code === 'DUPLICATE_KEY';
        const message = duplicate
          ? `A key appears twice in one mapping (line ${pos.line}); keep only one of them.`
          : `YAML syntax error at line ${pos.line}, column ${pos.col}: ${firstLine(error.message)}`;
        return formatViolation(duplicate ? 'duplicate-key' : 'yaml-syntax', '', message, pos);
      }),
    };
  }
  const forbidden = findForbiddenKeys(doc, lineCounter);
  if (forbidden.length > 0) return { ok: false, violations: forbidden };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message =
      error instanceof Error && /alias/i.test(error.message)
        ? `The file expands its YAML aliases too many times (more than ${MAX_ALIAS_COUNT}); write the values out instead.`
        : `The YAML could not be read: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, violations: [formatViolation('alias-limit', '', message)] };
  }
  return { ok: true, source: { data, locate: (path) => locate(doc, lineCounter, path) } };
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

/** `__proto__`, `constructor` and `prototype` keys could poison objects built from the file. */
function findForbiddenKeys(doc: Document, lines: LineCounter): Violation[] {
  const found: Violation[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && FORBIDDEN_KEYS.has(key)) {
          const offset = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
          const pos = lines.linePos(offset);
          found.push(
            formatViolation(
              'forbidden-key',
              formatPath([...path, key]),
              `The key "${key}" is not allowed in a lab file; remove it.`,
              pos,
            ),
          );
        }
        visit(pair.value, key === undefined ? path : [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
    }
  };
  visit(doc.contents, []);
  return found;
}

export function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[1] !== undefined) segments.push(match[1]);
  }
  return segments;
}

function locate(
  doc: Document,
  lines: LineCounter,
  path: string,
): { line: number; column: number } | undefined {
  let segments = parsePath(path);
  // The nearest existing node: a missing key is reported at its parent.
  while (segments.length > 0) {
    const node = doc.getIn(segments, true) as Node | undefined;
    if (node && !isAlias(node) && node.range) {
      const pos = lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
    segments = segments.slice(0, -1);
  }
  return undefined;
}
