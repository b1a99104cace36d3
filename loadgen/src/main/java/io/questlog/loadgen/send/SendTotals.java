package io.questlog.loadgen.send;

/**
 * Outcome of a run.
 *
 * @param sent events put on the wire, counting every retry
 * @param accepted events ingest-api acknowledged (each once; these are in the manifest)
 * @param rejected events given up on: a 4xx/5xx that is not worth retrying, or attempts exhausted
 * @param retriedRequests requests sent again after a 503/429/connection error
 * @param retriedEvents events inside those repeated requests
 */
public record SendTotals(long sent, long accepted, long rejected, long retriedRequests, long retriedEvents) {
}
