/** Run reports: kept as JSON in the state directory, and rendered for people. */
package dev.plumb.report;
