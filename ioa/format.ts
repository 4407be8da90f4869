// Human-readable rendering of values, actions and the difference between two states.

import type { Action } from "./action.ts";
import { IMap, ISet, propertyPath, valuesEqual, type Value, type ValueRecord } from "./value.ts";

export interface FormatOptions {
  /** Elide the middle of renderings longer than this many characters. */
  maxLength?: number;
}

export function formatValue(v: Value, options: FormatOptions = {}): string {
  const text = render(v);
  const max = options.maxLength;
  if (max === undefined || text.length <= max) return text;
  const half = Math.max(1, Math.floor((max - 1) / 2));
  return `${text.slice(0, half)}…${text.slice(text.length - half)}`;
}

function render(v: Value): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "bigint":
      return `${v}n`;
    case "number":
    case "boolean":
      return String(v);
  }
  if (Array.isArray(v)) return `[${v.map(render).join(", ")}]`;
  if (v instanceof ISet) return `Set{${v.toArray().map(render).join(", ")}}`;
  if (v instanceof IMap) return `Map{${[...v].map(([k, x]) => `${render(k)} => ${render(x)}`).join(", ")}}`;
  const entries = Object.entries(v as ValueRecord);
  if (entries.length === 0) return "{}";
  return `{ ${entries.map(([k, x]) => `${renderKey(k)}: ${render(x)}`).join(", ")} }`;
}

function renderKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
}

/** `name(p: 1, m: "a")`, or just `name` for an action without parameters. */
export function formatAction(a: Action, options: FormatOptions = {}): string {
  const params = Object.entries(a).filter(([k]) => k !== "name");
  if (params.length === 0) return a.name;
  return `${a.name}(${params.map(([k, x]) => `${renderKey(k)}: ${formatValue(x as Value, options)}`).join(", ")})`;
}

export type Change =
  | { readonly kind: "changed"; readonly path: string; readonly before: Value; readonly after: Value }
  | { readonly kind: "added"; readonly path: string; readonly after: Value }
  | { readonly kind: "removed"; readonly path: string; readonly before: Value };

/** The differences between two values, as paths from `root`; empty when they are equal. */
export function diffValues(before: Value, after: Value, root = ""): Change[] {
  if (before === after || valuesEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) return diffRecords(before, after, root);
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((x: Value, i) => diffValues(x, after[i] as Value, `${root}[${i}]`));
  }
  if (before instanceof ISet && after instanceof ISet) {
    return [
      ...before.difference(after).toArray().map((x): Change => ({ kind: "removed", path: root, before: x })),
      ...after.difference(before).toArray().map((x): Change => ({ kind: "added", path: root, after: x })),
    ];
  }
  if (before instanceof IMap && after instanceof IMap) return diffMaps(before, after, root);
  return [{ kind: "changed", path: root, before, after }];
}

function isRecord(v: Value): v is ValueRecord {
  return typeof v === "object" && !Array.isArray(v) && !(v instanceof ISet) && !(v instanceof IMap);
}

function diffRecords(before: ValueRecord, after: ValueRecord, root: string): Change[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((k): Change[] => {
    const path = root === "" ? k : propertyPath(root, k);
    const b = before[k];
    const a = after[k];
    if (b === undefined) return [{ kind: "added", path, after: a! }];
    if (a === undefined) return [{ kind: "removed", path, before: b }];
    return diffValues(b, a, path);
  });
}

function diffMaps(before: IMap, after: IMap, root: string): Change[] {
  const changes: Change[] = [];
  for (const [k, b] of before) {
    const path = `${root}.get(${formatValue(k)})`;
    const a = after.get(k);
    changes.push(...(a === undefined ? [{ kind: "removed", path, before: b } as const] : diffValues(b, a, path)));
  }
  for (const [k, a] of after) {
    if (!before.has(k)) changes.push({ kind: "added", path: `${root}.get(${formatValue(k)})`, after: a });
  }
  return changes;
}

/** One line per change: `path: before → after`, `path: + element`, `path: − element`. */
export function formatChange(c: Change, options: FormatOptions = {}): string {
  switch (c.kind) {
    case "changed":
      return `${c.path}: ${formatValue(c.before, options)} → ${formatValue(c.after, options)}`;
    case "added":
      return `${c.path}: + ${formatValue(c.after, options)}`;
    case "removed":
      return `${c.path}: − ${formatValue(c.before, options)}`;
  }
}
