// The kernel's public API: values, types, automata, composition, executions, traces, models.

export type { Action, ActionDetails, ActionInfo, ActionKind, Params, Role } from "./action.ts";
export { isExternal, isLocallyControlled } from "./action.ts";
export type { ActionOf, Automaton, StateOf } from "./automaton.ts";
export { enabledActions } from "./automaton.ts";
export { compose, Composition, instances, type Components, type CompositeState } from "./compose.ts";
export { automaton, Definition, type InputSpec, type LocalSpec, type Precondition } from "./define.ts";
export { ByteReader, ByteWriter, decodeValue, DecodeError, encodeValue, writeValue } from "./encoding.ts";
export { decodeTyped, encodeTyped, typedCodec, type TypedCodec } from "./typed-codec.ts";
export { DefinitionError, ParamError, TraceFormatError, TroupeError, ValueError } from "./errors.ts";
export { admitsTrace, repeatedSteps, replay, replayExecution, traceOf, type Execution, type Lasso, type ReplayResult, type TraceResult } from "./execution.ts";
export { diffValues, formatAction, formatChange, formatValue, type Change } from "./format.ts";
export { hide, Hidden } from "./hide.ts";
export { Wrapper } from "./wrapper.ts";
export { withLines } from "./json-locate.ts";
export { ACTION_VAR, actionPicks, checkItfSchema, fromItf, INIT_ACTION, parseJson, PICKS_VAR, readItfFile, recordedAction, toItf, writeItfFile, type ItfTrace, type TraceMeta } from "./itf.ts";
export { valueFromItf, valueToItf, type ItfValue } from "./itf-value.ts";
export { instantiate, isModel, model, parseParamArgs, withProperties, type Built, type Model, type ModelInstance, type ParamDefaults, type ParamValue } from "./model.ts";
export {
  always,
  atQuiescence,
  eventuallyAlways,
  everyTransition,
  isLiveness,
  monitorJudged,
  leadsTo,
  sometimes,
  traceMonitor,
  Violation,
  type Checkability,
  type EventuallyAlways,
  type Fairness,
  type LeadsTo,
  type LivenessOptions,
  type LivenessProperty,
  type Goal,
  type Invariant,
  type Monitor,
  type Properties,
  type Property,
  type QuiescentProperty,
  type TraceProperty,
  type TransitionProperty,
} from "./property.ts";
export { Random } from "./random.ts";
export { rename, Renaming } from "./rename.ts";
export { typedFingerprinter, typedFingerprintInto } from "./typed-fingerprint.ts";
export { IncrementalFingerprint } from "./incremental-fingerprint.ts";
export { assertType, Optional, RecordType, t, type Fields, type Layout, type IdRenaming, type IdsType, type Infer, type Problem, type RecordOf, type Type } from "./types.ts";
export {
  checkValue,
  compareValues,
  fingerprint,
  fingerprintInto,
  fingerprintString,
  IMap,
  ISet,
  isValue,
  valuesEqual,
  type Primitive,
  type Value,
  type ValueRecord,
} from "./value.ts";
export { appendTo, isPrefixOf, range, replaceAt } from "./sequence.ts";
export { StepError, walk, type Walk, type WalkOptions } from "./walk.ts";
