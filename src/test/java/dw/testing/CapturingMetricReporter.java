package dw.testing;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter for embedded test jobs: keeps every counter Flink registers, by name and
 * subtask, so a test can see what each parallel instance did (Beam's own metrics are summed over
 * subtasks). Enable with {@code metrics.reporter.capture.factory.class:
 * dw.testing.CapturingMetricReporter$Factory} in the job's Flink configuration.
 */
public final class CapturingMetricReporter implements MetricReporter {
  /** metric name → subtask index → counter (the newest registration wins). */
  private static final Map<String, Map<Integer, Counter>> COUNTERS = new ConcurrentHashMap<>();

  /** The counter {@code name} (e.g. {@code files_read}) per subtask index, for every operator registering it. */
  public static Map<Integer, Long> bySubtask(String name) {
    Map<Integer, Long> out = new TreeMap<>();
    Map<Integer, Counter> m = COUNTERS.get(name);
    if (m != null) {
      m.forEach((subtask, c) -> out.put(subtask, c.getCount()));
    }
    return out;
  }

  public static void clear() {
    COUNTERS.clear();
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    if (!(metric instanceof Counter c)) {
      return;
    }
    String subtask = group.getAllVariables().get("<subtask_index>");
    if (subtask == null) {
      return;
    }
    // Beam's counters show as "<step>.dw_<name>" on Flink's REST API: keep "<name>"
    String shortName = name.substring(name.lastIndexOf('.') + 1);
    if (shortName.startsWith("dw_")) {
      shortName = shortName.substring(3);
    }
    COUNTERS.computeIfAbsent(shortName, k -> new ConcurrentHashMap<>()).put(Integer.parseInt(subtask), c);
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}

  /** The factory Flink instantiates from the configuration. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new CapturingMetricReporter();
    }
  }
}
