/**
 * Run reports leaving the host: kept as JSON in the state directory ({@link dev.plumb.report.ReportStore}) and
 * printed in one {@link dev.plumb.report.Format} by {@link dev.plumb.report.ReportOutput}, the same for the agent and
 * the plumb command: text for people, JSON, JUnit, TAP and Nagios for the programs that read them.
 */
package dev.plumb.report;
