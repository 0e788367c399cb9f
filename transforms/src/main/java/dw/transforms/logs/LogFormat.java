package dw.transforms.logs;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/**
 * One log format plus one data set's rules, as the fused reading step ({@link ReadLogFiles}) needs
 * them: the parser that turns a raw line into a record (or a filter reason, or a dead letter), the
 * fixed list of filter reasons, and the record's coder. Serializable; holds only configuration (the
 * parser opens GeoIP databases and the like on the worker, in {@link #newParser()}).
 *
 * <p>Adding a log pipeline means one {@code LogFormat} (a format parser plus the data set's
 * classifier), its aggregation and one pipeline class; the per-file loop, counters, dead letters and
 * run-summary accounting are shared.
 */
public interface LogFormat<T> extends Serializable {
  /** Written into dead letters and the run summary ({@code security-pings}, {@code push-proxy}, …). */
  String pipeline();

  /**
   * Fixed, stable snake_case filter-reason codes; counter {@code filtered_<code>} each. The index
   * of a code is what {@link LineParser#filterReason()} returns.
   */
  List<String> filterReasons();

  /** A parser for one worker (called in {@code @Setup}); may open GeoIP databases and the like. */
  LineParser<T> newParser();

  /** The coder of the records on {@link ReadLogFiles#records()}; never Java serialization or Kryo. */
  Coder<T> recordCoder();

  /**
   * Name of the counter of kept records (the run summary's key too): {@code parsed_pings} for the
   * security pings (kept for compatibility), {@code parsed_<records>} for later pipelines.
   */
  default String parsedCounter() {
    return "parsed";
  }
}
