// The simulator's public API: batches of random runs under a scheduler and a fault plan, with the
// model's properties checked online, failing runs shrunk, written as ITF and drawn as a report.

export { simulate, simulateUntil, tallyRuns, DEFAULT_RUNS, type BatchOptions, type BatchResult, type Progress, type RunsTally, type SuspectRun } from "./batch.ts";
export { Coverage, formatCoverage, type CoverageSummary } from "./coverage.ts";
export { formatDistribution, parseDistribution, sample, type Distribution } from "./distribution.ts";
export { checkFaultNames, faultTypesOf } from "./fault-names.ts";
export { DEFAULT_PLAN, formatEvent, formatPlan, NO_FAULTS, parseFaultItems, PlanError, rateOf, readPlanFile, type FaultPlan, type TimedEvent } from "./fault-plan.ts";
export { rangeSize, simulateAcross, type RunsRunner } from "./parallel.ts";
export { counted } from "./plural.ts";
export { MODEL_ERROR, PropertyChecker, type Failure, type FailureKind } from "./properties.ts";
export { executionReport, htmlReport, type ExecutionReportContext, type ReportContext } from "./report/html.ts";
export { sequenceChart, type ChartOptions } from "./report/chart.ts";
export { DEFAULT_STEPS, Simulation, type Cause, type Choice, type Ending, type Run, type SimulationOptions } from "./run.ts";
export { isScheduler, type CandidateView, type RunScheduler, type Scheduler, type SchedulerContext } from "./scheduler.ts";
export { pctScheduler, randomScheduler, SCHEDULER_NAMES, schedulerByName, swarmScheduler } from "./schedulers/index.ts";
export { DEFAULT_SHRINK_BUDGET, describeShrunk, ShrinkError, shrinkRun, type ShrinkOptions, type Shrunk } from "./shrink.ts";
export { DEFAULT_SUSPECT_AFTER, livenessSuspects, type Suspect } from "./suspects.ts";
export { runToItf, type RunTraceMeta } from "./trace.ts";
