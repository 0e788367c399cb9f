package dw.transforms.logs;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Optional hook of {@link ReadLogFiles} for bounded input: fold records into aggregates inside the
 * reading step (a hash map per worker), so the runner moves a few aggregates instead of one element
 * per record. The aggregates are emitted on {@link #tag()} when the buffer asks for it (checked
 * after each file) and at the end of each bundle (on Flink's batch runner: of the worker's input).
 * Only for the global window: per-bundle aggregation has no meaning for event-time windows.
 *
 * @param <T> the record
 * @param <A> the partial aggregate emitted (typically a KV of a key and a mergeable value)
 */
public interface BundleAggregator<T, A> extends Serializable {
  /** The output the aggregates go to. */
  TupleTag<A> tag();

  Coder<A> coder();

  /** A fresh buffer for one worker (called in {@code @Setup}). */
  Buffer<T, A> newBuffer();

  /** A worker's open aggregates. Not thread-safe. */
  interface Buffer<T, A> {
    /** Adds one record. */
    void add(T record);

    /** True when the buffer holds enough to be emitted now (checked after each file). */
    boolean full();

    /** Emits every open aggregate through {@code out} and empties the buffer. */
    void drain(Emitter<A> out);
  }

  /** Receives drained aggregates with their element timestamps. */
  @FunctionalInterface
  interface Emitter<A> {
    void emit(A aggregate, Instant timestamp);
  }
}
