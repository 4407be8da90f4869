// The TO service's trace checker: does the TO machine (to.ts) admit this trace? The VS checker
// without safe indications (they are not TO actions, so a trace's safe indications are passed
// over), plus agreement at view changes: members moving from one view to the same next view have
// delivered the same messages in it.

import { orderedViewChecker } from "./vs-checker.ts";

export function toChecker(n: number) {
  return orderedViewChecker(n, { agreedCuts: true, actions: ["cast", "deliver", "view", "crash", "recover"] });
}
