// What an HTML report carries: every attributed episode (the parts of it the
// components draw) with its Signals, exactly as the signals file holds them.
import type { Signals } from './sources.js';

/** The episode as the report shows it: its transcript and the two values the waterfall starts and ends at. */
export interface ReportEpisode {
  id: string;
  task?: string;
  agents: string[];
  messages: Array<{ id: string; agent: string; content: string; label?: string }>;
  outcome: { score: number; success: boolean };
  repairs: Array<{ message: string; content: string }>;
  /** v(∅) from the coalition table; null without one. */
  emptyValue: number | null;
}

export interface ReportData {
  /** The inputs, as named on the command line. */
  inputs: string[];
  episodes: Array<{ episode: ReportEpisode; signals: Signals }>;
  /** Records that could not be attributed (skipped, or the one that stopped the run). */
  problems: string[];
}

/** The id of the <script type="application/json"> element holding the ReportData. */
export const REPORT_DATA_ID = 'report-data';
