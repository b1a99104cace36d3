package io.questlog.stream.sessions;

import org.apache.spark.util.AccumulatorV2;

/** The largest value added in the tasks (the sessions query's watermark, for its progress line). */
public final class MaxAccumulator extends AccumulatorV2<Long, Long> {
    private long max = Long.MIN_VALUE;

    @Override
    public boolean isZero() {
        return max == Long.MIN_VALUE;
    }

    @Override
    public AccumulatorV2<Long, Long> copy() {
        MaxAccumulator c = new MaxAccumulator();
        c.max = max;
        return c;
    }

    @Override
    public void reset() {
        max = Long.MIN_VALUE;
    }

    @Override
    public void add(Long v) {
        max = Math.max(max, v);
    }

    @Override
    public void merge(AccumulatorV2<Long, Long> other) {
        max = Math.max(max, other.value());
    }

    @Override
    public Long value() {
        return max;
    }
}
