package dw.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dw.transforms.common.CounterNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The one-line JSON summary a bounded run of any log pipeline prints at its end, built from the
 * same Beam counters an operator watches on the Flink dashboard. Invariant: {@code lines_read =
 * header_lines + <parsed> + filtered_total + dead_lettered} ({@code balanced}), where {@code
 * <parsed>} is the pipeline's counter of kept records ({@code parsed_pings}, {@code
 * parsed_requests}, …; written under that name).
 */
public final class RunSummary {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Beam's own counter for elements dropped behind the allowed lateness of a window. */
  static final String BEAM_LATE_DROPPED = "droppedDueToLateness";

  private final Map<String, Long> counters;
  private final ObjectNode json;

  private RunSummary(Map<String, Long> counters, ObjectNode json) {
    this.counters = counters;
    this.json = json;
  }

  /** Sums every committed (or, where the runner has none, attempted) counter by name. */
  public static Map<String, Long> counters(PipelineResult result) {
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder().build());
    Map<String, Long> sums = new TreeMap<>();
    for (MetricResult<Long> c : q.getCounters()) {
      Long v;
      try {
        v = c.getCommitted();
      } catch (UnsupportedOperationException e) {
        v = c.getAttempted();
      }
      if (v == null) {
        v = c.getAttempted();
      }
      String name = c.getName().getName();
      if (BEAM_LATE_DROPPED.equalsIgnoreCase(name)) {
        name = BEAM_LATE_DROPPED; // runners spell Beam's counter differently
      } else if (!CounterNames.NAMESPACE.equals(c.getName().getNamespace())) {
        continue;
      }
      sums.merge(name, v == null ? 0L : v, Long::sum);
    }
    return sums;
  }

  /**
   * @param parsedCounter the pipeline's counter of kept records (its key in the summary too)
   */
  public static RunSummary of(
      String pipeline,
      String parsedCounter,
      String state,
      Map<String, Long> counters,
      Map<String, Object> extra) {
    ObjectNode o = JSON.createObjectNode();
    o.put("pipeline", pipeline);
    o.put("state", state);
    extra.forEach((k, v) -> o.putPOJO(k, v));
    long lines = get(counters, CounterNames.LINES_READ);
    long headers = get(counters, CounterNames.HEADER_LINES);
    long parsed = get(counters, parsedCounter);
    long dead = get(counters, CounterNames.DEAD_LETTERED);
    o.put("files", get(counters, CounterNames.FILES_READ));
    o.put("files_skipped", get(counters, CounterNames.FILES_SKIPPED));
    o.put("files_failed", get(counters, CounterNames.FILES_FAILED));
    o.put("lines_read", lines);
    o.put("header_lines", headers);
    o.put(parsedCounter, parsed);
    ObjectNode filtered = o.putObject("filtered");
    long filteredTotal = 0;
    ObjectNode written = JSON.createObjectNode();
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      if (e.getKey().startsWith(CounterNames.FILTERED_PREFIX)) {
        filtered.put(e.getKey().substring(CounterNames.FILTERED_PREFIX.length()), e.getValue());
        filteredTotal += e.getValue();
      } else if (e.getKey().startsWith(CounterNames.ROWS_WRITTEN_PREFIX)) {
        written.put(e.getKey().substring(CounterNames.ROWS_WRITTEN_PREFIX.length()), e.getValue());
      }
    }
    o.put("filtered_total", filteredTotal);
    o.put("dead_lettered", dead);
    o.put("late_dropped", get(counters, BEAM_LATE_DROPPED));
    o.set("rows_written", written);
    o.put("balanced", lines == headers + parsed + filteredTotal + dead);
    return new RunSummary(counters, o);
  }

  private static long get(Map<String, Long> counters, String name) {
    return counters.getOrDefault(name, 0L);
  }

  public long counter(String name) {
    return get(counters, name);
  }

  public ObjectNode json() {
    return json;
  }

  public boolean balanced() {
    return json.get("balanced").asBoolean();
  }

  public String toJsonLine() {
    return json.toString();
  }

  /** Prints the line and writes it to {@code summaryFile} when one is given. */
  public void emit(String summaryFile) {
    System.out.println(toJsonLine());
    if (summaryFile != null && !summaryFile.isEmpty()) {
      Path p = Paths.get(summaryFile);
      try {
        if (p.toAbsolutePath().getParent() != null) {
          Files.createDirectories(p.toAbsolutePath().getParent());
        }
        Files.writeString(p, toJsonLine() + "\n");
      } catch (IOException e) {
        throw new IllegalStateException(
            "--summaryFile=" + summaryFile + ": cannot write the run summary: " + e.getMessage(),
            e);
      }
    }
  }
}
