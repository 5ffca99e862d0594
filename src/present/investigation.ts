/**
 * The words of §15: the guide's checklist titles and each item's finding, worded from the facts the
 * checklist analysis returns; and the investigation as a document (the --json shape).
 */
import { THRESHOLDS } from '../config/thresholds.js';
import { secondsBetween } from '../rows/time.js';
import type { ChecklistItem, ChecklistKey, Investigation } from '../analyses/investigation.js';
import { CRASH_PATTERN_TITLES, confidenceMeaning, classificationDocument, classificationSummary, coverageNotes, wordCriterion, wordEvidence } from './crash-patterns.js';
import { countsText, formatDuration, instantText, minutesRangeText, ordinalText, thresholdText } from './format.js';
import { VERDICT_ICONS } from './icons.js';

/** The guide's §15 checklist, in its words. */
export const CHECKLIST_TITLES: Readonly<Record<ChecklistKey, string>> = {
  heartbeat: 'Check last heartbeat age (workers table)',
  logs: 'Get all logs for the worker',
  last_log: 'Identify the last log before silence',
  model_switch: 'Look for MODEL SWITCH log',
  switch_to_crash: 'Calculate time between MODEL SWITCH and crash',
  heartbeat_gaps: 'Check for heartbeat gaps',
  errors: 'Find any error messages',
  tasks: 'Check tasks assigned to worker',
  memory_profile: 'Verify memory profile being used',
  ram_before_death: 'Check memory before death ([RAM] samples)',
  crash_timing: 'Compare crash timing with other failed workers',
};

/** What an item found, in a sentence. */
export function checklistFinding(item: ChecklistItem): string {
  switch (item.key) {
    case 'heartbeat': {
      const f = item.facts;
      return f.last_heartbeat === null
        ? `No DB heartbeat ever (status ${f.status}).`
        : `Last DB heartbeat ${formatDuration(f.heartbeat_age_s)} before as-of: ${f.heartbeat_state} (status ${f.status}).`;
    }
    case 'logs': {
      const f = item.facts;
      return `${f.total} line(s): ${countsText(f.by_level)}; by source ${countsText(f.by_source_type)}.`;
    }
    case 'last_log': {
      const f = item.facts;
      const last = f.last_worker_log;
      if (last === null) return 'The worker never wrote a line of its own.';
      return (
        `"${last.message}" at ${instantText(last.timestamp)}; silent for ${formatDuration(f.silence_s)} before as-of` +
        (f.silence_before_death_s !== null ? `, ${formatDuration(f.silence_before_death_s)} before its last DB heartbeat` : '') +
        (f.orchestrator_lines_after > 0 ? `; ${f.orchestrator_lines_after} orchestrator line(s) about it came later` : '') +
        '.'
      );
    }
    case 'model_switch': {
      const f = item.facts;
      return f.switch_at === null ? 'No MODEL SWITCH logged.' : `${f.switches_total} switch(es); last at ${instantText(f.switch_at)}: "${f.switch_message}".`;
    }
    case 'switch_to_crash': {
      const f = item.facts;
      if (f.crash_after_s === null) {
        if (f.switch_at === null) return 'No switch to time.';
        // Dead with no time of death: the worker never sent a DB heartbeat (e.g. status error).
        return f.crashed ? 'Dead, but it never sent a DB heartbeat: no time of death to measure from the switch.' : 'Not dead: no crash to time.';
      }
      if (f.crash_after_s < 0) {
        return `Dead, but its last DB heartbeat came ${formatDuration(-f.crash_after_s)} before the switch was logged: the death cannot be timed from the switch.`;
      }
      const oomWindow = minutesRangeText(THRESHOLDS.oomCrashWindowS);
      return (
        `Died ${formatDuration(f.crash_after_s)} after the switch (to the last DB heartbeat)` +
        (f.in_oom_window
          ? `: inside the ${oomWindow} OOM window.`
          : f.in_model_load_window
            ? `: within ${thresholdText(THRESHOLDS.modelLoadCrashWindowS)}, outside the ${oomWindow} OOM window.`
            : ': long after the switch.')
      );
    }
    case 'heartbeat_gaps': {
      const f = item.facts;
      if (f.logged_heartbeats === 0) {
        return `No heartbeat lines logged: gaps judged from the DB heartbeat only (last ${f.db_last_heartbeat === null ? 'never' : instantText(f.db_last_heartbeat)}).`;
      }
      return (
        `${f.logged_heartbeats} logged heartbeat(s); ${f.gaps} gap(s) over ${f.threshold_s} s` +
        (f.longest_gap_s !== null ? `, longest ${formatDuration(f.longest_gap_s)}` : '') +
        (f.db_after_last_logged_s !== null ? `; the DB heartbeat went on ${formatDuration(f.db_after_last_logged_s)} after the last logged one` : '') +
        '.'
      );
    }
    case 'errors': {
      const f = item.facts;
      return f.errors === 0 ? 'No ERROR or CRITICAL line.' : `${f.errors} ERROR/CRITICAL line(s), ${f.from_worker} from the worker; last: "${f.last_error}".`;
    }
    case 'tasks': {
      const f = item.facts;
      return `${f.total} task(s): ${countsText(f.by_status)}` + (f.orphaned > 0 ? `; ${f.orphaned} orphaned (In Progress on a dead worker).` : '.');
    }
    case 'memory_profile': {
      const f = item.facts;
      if (f.memory_profile !== null) return `Memory profile ${f.memory_profile} ("${f.line}").`;
      return f.profile_lines === 0 ? 'No memory-profile line logged: the profile is unknown.' : `A memory-profile line names no profile number ("${f.line}").`;
    }
    case 'ram_before_death': {
      const f = item.facts;
      const s = f.sample;
      if (s === null) return f.ram_lines === 0 ? 'No [RAM] samples logged: memory before a crash unknown.' : 'No [RAM] sample before its death.';
      const used = s.system_used_pct === null ? 'system use unknown' : `system ${s.system_used_pct} % used${s.system_used_pct >= f.high_pct ? ` (≥ ${f.high_pct} %: high)` : ''}`;
      const process = s.process_mb === null ? '' : `, the worker's process ${s.process_mb} MB`;
      const when = f.died_at === null ? '' : `, ${formatDuration(secondsBetween(s.at, f.died_at))} before its last DB heartbeat`;
      return `Last sample${s.label ? ` ("${s.label}")` : ''} at ${instantText(s.at)}${when}: ${used}${process}.`;
    }
    case 'crash_timing': {
      const f = item.facts;
      const p = f.placement;
      if (p === null) return f.fleet_loaded ? 'This worker has no switch-to-death time to compare.' : 'Fleet crash timings not loaded.';
      // §12's `time_between < 10`: a death at the window's very end is not a model-load crash (isModelLoadCrash).
      return p.crash_after_s < 0 || p.crash_after_s >= f.model_load_window_s
        ? `${formatDuration(p.crash_after_s)} after the switch: outside the ${thresholdText(f.model_load_window_s)} model-load window, so not one of the fleet's ${p.n} model-load crash(es) (median ${formatDuration(p.median_s)}).`
        : `${formatDuration(p.crash_after_s)} after the switch: at the ${ordinalText(Math.round(p.percentile * 100))} percentile of ${p.n} model-load crash(es) in the fleet (median ${formatDuration(p.median_s)}).`;
    }
  }
}

export interface WordedChecklistItem {
  key: ChecklistKey;
  title: string;
  verdict: ChecklistItem['verdict'];
  icon: string;
  finding: string;
}

export function wordChecklistItem(item: ChecklistItem): WordedChecklistItem {
  return { key: item.key, title: CHECKLIST_TITLES[item.key], verdict: item.verdict, icon: VERDICT_ICONS[item.verdict], finding: checklistFinding(item) };
}

/** The investigation as a document: every result, the checklist worded, the closing verdict. */
export function investigationDocument(inv: Investigation) {
  const c = inv.classification;
  return {
    ...inv,
    classification: classificationDocument(c),
    checklist: inv.checklist.map((item) => ({ ...wordChecklistItem(item), facts: item.facts })),
    verdict: {
      pattern: c.pattern,
      title: CRASH_PATTERN_TITLES[c.pattern],
      confidence: c.confidence,
      confidence_meaning: confidenceMeaning(c),
      summary: classificationSummary(c),
      criteria: c.criteria.map((k) => wordCriterion(k, c.pattern)),
      evidence: c.evidence.map(wordEvidence),
      coverage_notes: coverageNotes(c.coverage),
    },
  };
}
