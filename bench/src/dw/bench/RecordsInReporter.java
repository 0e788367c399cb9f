package dw.bench;

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
 * Keeps Flink's built-in per-operator {@code numRecordsIn} counter of every subtask of an embedded
 * job, so a benchmark can show how the records of one stage spread over the subtasks (Beam's own
 * metrics are summed over subtasks). Chained operators have their own operator metric group, so
 * each Beam step appears under its own name. Enabled by {@code
 * metrics.reporter.<name>.factory.class: dw.bench.RecordsInReporter$Factory} in the job's
 * flink-conf.yaml; Flink finds the factory through META-INF/services, which bench/run.sh writes.
 */
public final class RecordsInReporter implements MetricReporter {
  /** operator name → subtask index → counter (the newest registration wins). */
  private static final Map<String, Map<Integer, Counter>> RECORDS_IN = new ConcurrentHashMap<>();

  /** numRecordsIn per operator and subtask, as counted so far. */
  public static Map<String, Map<Integer, Long>> snapshot() {
    Map<String, Map<Integer, Long>> out = new TreeMap<>();
    RECORDS_IN.forEach((op, bySubtask) -> {
      Map<Integer, Long> counts = new TreeMap<>();
      bySubtask.forEach((subtask, c) -> counts.put(subtask, c.getCount()));
      out.put(op, counts);
    });
    return out;
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    if (!"numRecordsIn".equals(name) || !(metric instanceof Counter c)) {
      return;
    }
    Map<String, String> vars = group.getAllVariables();
    String operator = vars.get("<operator_name>");
    String subtask = vars.get("<subtask_index>");
    if (operator == null || subtask == null) {
      return; // the task-level counter: only the first operator of a chain, not per step
    }
    RECORDS_IN.computeIfAbsent(operator, k -> new ConcurrentHashMap<>()).put(Integer.parseInt(subtask), c);
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    // keep the counter: its final value is read after the job has finished
  }

  /** The factory Flink instantiates from the configuration. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new RecordsInReporter();
    }
  }
}
