/**
 * Checks: verifications of behaviour on a host (an HTTP answer, a listening port, a command's output, a
 * certificate's expiry), run after apply and by {@code plumb check}. One type per file, a record whose first
 * component is the target; {@link dev.plumb.checks.CheckTypes} is the registry and
 * {@link dev.plumb.checks.CheckRunner} runs a catalog's checks in parallel, with time limits and retries.
 */
package dev.plumb.checks;
