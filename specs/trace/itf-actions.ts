// The group actions of an ITF trace: each state records the action that produced it in Quint's
// `mbt::actionTaken` and `mbt::nondetPicks`; the group actions among them are the trace to judge.
// The state variables are not read (a trace from any model will do); actions that are not group
// actions (a model's internal steps) are counted and reported, not judged.

import { readFileSync } from "node:fs";
import { ACTION_VAR, actionPicks, checkItfSchema, parseJson, PICKS_VAR, recordedAction, TraceFormatError, withLines } from "../../ioa/index.ts";
import { decodeGroupAction, groupActionFields, isGroupActionName } from "./group-action.ts";
import { ProcessNames } from "./process-names.ts";
import type { RecordedEvent, Recording } from "./recorded.ts";

export function readItfActions(file: string, text = readFileSync(file, "utf8"), names = new ProcessNames()): Recording {
  return withLines(text, file, () => groupActionsOf(file, parseJson(text, file), names));
}

function groupActionsOf(file: string, json: unknown, names: ProcessNames): Recording {
  checkItfSchema(json, file);
  const events: RecordedEvent[] = [];
  const skipped = new Map<string, number>();
  json.states.forEach((state, i) => {
    if (i === 0) return;
    const path = `$.states[${i}]`;
    try {
      const name = recordedAction(state, path);
      if (!isGroupActionName(name)) {
        skipped.set(name, (skipped.get(name) ?? 0) + 1);
        return;
      }
      const fields = actionPicks(state, path, groupActionFields(name));
      events.push({ action: decodeGroupAction(name, fields, `${path}["${PICKS_VAR}"]`, `${path}["${ACTION_VAR}"]`, names), source: `${file} state ${i}` });
    } catch (e) {
      if (e instanceof TraceFormatError) throw new TraceFormatError(e.path, e.problem, file);
      throw e;
    }
  });
  return { file, events, skipped };
}
