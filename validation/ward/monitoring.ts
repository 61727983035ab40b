/**
 * The ward's rules, as data, read by the cohort generator (what the ward does) and by the alert measures (what a
 * study checks the ward did):
 *
 * - **Monitoring frequency** by the NEWS2 band of the set just taken (Royal College of Physicians, National Early
 *   Warning Score (NEWS) 2, 2017, Chart 4 — minimum frequency): 0 → 12-hourly; 1–4 → 4–6-hourly (the longer, 6 h, is
 *   the limit); 3 in a single parameter (a red score) or 5–6 → hourly; ≥ 7 → continuous monitoring, charted here at
 *   least hourly.
 * - **Clinical response triggers** (Chart 4 / Chart 5): a red score → urgent ward-based response; ≥ 5 → urgent
 *   response (key threshold); ≥ 7 → emergency response.
 */

/** Night on the ward: 22:00–06:00 by the clock (the hour of the day, 0–23). */
export function isNightHour(hour: number): boolean {
  return hour >= 22 || hour < 6;
}

/** Whether a time (ms since the epoch) falls in the ward's night, by the clock of the data (its UTC hours). */
export function isNightTime(ms: number): boolean {
  return isNightHour(new Date(ms).getUTCHours());
}

/** The NEWS2 monitoring bands of RCP 2017 Chart 4, lowest first. */
export const MONITORING_BANDS = ['0', '1–4', '5–6 or red', '≥ 7'] as const;
export type MonitoringBand = (typeof MONITORING_BANDS)[number];

/** The longest interval (hours) allowed to the next set, by band (RCP 2017 Chart 4; continuous charted hourly). */
export const MONITORING_HOURS: Readonly<Record<MonitoringBand, number>> = { '0': 12, '1–4': 6, '5–6 or red': 1, '≥ 7': 1 };

/**
 * The monitoring band of a NEWS2 set from its total and whether any single parameter scored 3.
 *
 * @example monitoringBand(0, false); // => '0'
 * @example monitoringBand(2, true); // => '5–6 or red'
 */
export function monitoringBand(total: number, red: boolean): MonitoringBand {
  if (total >= 7) return '≥ 7';
  if (total >= 5 || red) return '5–6 or red';
  return total >= 1 ? '1–4' : '0';
}

/** The escalation policies: which NEWS2 sets trigger a clinical response. */
export const ESCALATION_TRIGGERS = ['urgent', 'emergency', 'red'] as const;
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number];

/**
 * Whether a NEWS2 set triggers a response under a policy: `'urgent'` — total ≥ 5 or a red score (RCP's urgent
 * response, the default); `'emergency'` — total ≥ 7; `'red'` — a red score (3 in any single parameter) whatever the
 * total.
 */
export function triggers(policy: EscalationTrigger, total: number, red: boolean): boolean {
  return policy === 'urgent' ? total >= 5 || red : policy === 'emergency' ? total >= 7 : red;
}
