package dw.pipelines;

import dw.io.snowflake.SnowflakeOptions;
import dw.io.warehouse.Dialect;
import dw.io.warehouse.WarehouseUrl;
import dw.transforms.privacy.IpHashKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/** {@code security-pings}: see {@link SecurityPingsPipeline}. */
final class SecurityPingsCommand implements Main.Command {
  @Override
  public String description() {
    return "CloudFront security pings -> daily active servers and users (--from/--to: backfill;"
        + " else streaming)";
  }

  @Override
  public int run(String[] args) {
    if (Main.wantsHelp(args)) {
      PipelineSupport.printHelp(SecurityPingsOptions.class);
      return 0;
    }
    SecurityPingsOptions o = PipelineSupport.parse(args, SecurityPingsOptions.class);
    Outcome outcome = execute(o);
    if (outcome.summary() != null) {
      outcome.summary().emit(o.getSummaryFile());
      return outcome.summary().balanced() ? 0 : 3;
    }
    return 0;
  }

  /** What a run produced: the result, and for a finished bounded run its summary. */
  record Outcome(PipelineResult result, RunSummary summary) {}

  /** Runs the pipeline as the current launch ({@link Launch#current()}) allows. */
  static Outcome execute(SecurityPingsOptions o) {
    return execute(o, Launch.current());
  }

  /**
   * Validates, checks resources, builds and runs the pipeline.
   *
   * <p>Embedded ({@code java -jar}): a bounded run waits for the end and returns its summary; an
   * unbounded run blocks until the job ends (or returns at once with {@code
   * --attachedMode=false}). On a cluster ({@code flink run}, dashboard, REST) the job is always
   * submitted asynchronously: detached submissions ({@code flink run -d}, dashboard, REST) return
   * once the job is submitted; an attached {@code flink run} waits for the job's end itself and,
   * for a bounded run, prints the summary from the job's counters.
   */
  static Outcome execute(SecurityPingsOptions o, Launch launch) {
    boolean remote = launch.onCluster() || !isEmbeddedMaster(o.getFlinkMaster());
    if (remote) {
      refuseEmbeddedDefaults(o, launch);
    }
    SecurityPingsPipeline.Config c = SecurityPingsPipeline.validate(o);
    o.setStreaming(!c.bounded());
    if (o.getJobName() == null || o.getJobName().isBlank()) {
      o.setJobName(jobName(c, o));
    }
    if (!c.bounded() && o.getCheckpointingInterval() != null && o.getCheckpointingInterval() < 0) {
      o.setCheckpointingInterval(60_000L); // exactly-once state needs checkpoints when streaming
    }
    // whether this process waits for the job: flink run without -d, or java -jar unless a stream
    // is started with --attachedMode=false (a bounded embedded run always waits)
    boolean wait = launch.onCluster() ? launch.attached() : c.bounded() || o.getAttachedMode();
    if (launch.onCluster()) {
      // executeAsync: the CLI's attached execute() would print Beam's metrics accumulator (670
      // lines) and fail on -d ("Job was submitted in detached mode"); we wait ourselves instead.
      o.setAttachedMode(false);
    }
    SecurityPingsPipeline.checkResources(o, c);
    Pipeline p = Pipeline.create(o);
    SecurityPingsPipeline.build(p, o, c);
    long start = System.nanoTime();
    if (!c.bounded()) {
      System.err.println(
          "security-pings: streaming from "
              + c.input()
              + " (new files every "
              + c.pollInterval().getStandardSeconds()
              + " s) into "
              + c.warehouse()
              + " as job '"
              + o.getJobName()
              + "'; "
              + (wait ? "stop it with a savepoint (or cancel it) to end" : "submitted detached"));
    }
    PipelineResult result;
    try {
      result = p.run();
    } catch (RuntimeException e) {
      if (!c.bounded() && cancelled(e)) {
        System.err.println("security-pings: the job '" + o.getJobName() + "' was cancelled");
        return new Outcome(null, null);
      }
      throw e;
    }
    if (!wait) {
      System.err.println(
          "security-pings: job '"
              + o.getJobName()
              + "' submitted detached"
              + (remote ? " to the Flink cluster; follow it in the dashboard" : "")
              + (c.bounded()
                  ? " (done when FINISHED; balanced when lines_read = header_lines + parsed_pings"
                      + " + filtered_* + dead_lettered, see docs/operations.md; no --summaryFile in detached mode)"
                  : ""));
      return new Outcome(result, null);
    }
    if (!c.bounded()) {
      PipelineResult.State state = result.waitUntilFinish();
      System.err.println(
          "security-pings: the job '"
              + o.getJobName()
              + "' ended: "
              + (state == PipelineResult.State.CANCELLED
                  ? "cancelled"
                  : state == PipelineResult.State.DONE ? "finished (stopped with a savepoint)" : state));
      if (state == PipelineResult.State.FAILED) {
        throw new IllegalStateException(
            "the job '" + o.getJobName() + "' failed: see the dashboard's Exceptions tab and the JobManager log");
      }
      return new Outcome(result, null);
    }
    PipelineResult.State state = result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("mode", "backfill");
    extra.put("job_name", o.getJobName());
    extra.put("from", o.getFrom());
    extra.put("to", o.getTo());
    extra.put("warehouse", c.warehouse().toString());
    extra.put("wall_seconds", Math.round(seconds * 100) / 100.0);
    RunSummary summary =
        RunSummary.of(SecurityPingsPipeline.NAME, String.valueOf(state), RunSummary.counters(result), extra);
    long lines = summary.counter(dw.transforms.common.CounterNames.LINES_READ);
    summary.json().put("lines_per_second", seconds > 0 ? Math.round(lines / seconds) : 0);
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("security-pings ended in state " + state + ": " + summary.toJsonLine());
    }
    return new Outcome(result, summary);
  }

  /**
   * The job's name in the dashboard: pipeline, mode and input, e.g. {@code security-pings stream
   * s3://logs/cloudfront} or {@code security-pings backfill 2026-11-01..2026-11-02}.
   */
  static String jobName(SecurityPingsPipeline.Config c, SecurityPingsOptions o) {
    return SecurityPingsPipeline.NAME
        + (c.bounded() ? " backfill " + o.getFrom().trim() + ".." + o.getTo().trim() : " stream " + c.input());
  }

  /** {@code --flinkMaster} values that run the job inside this JVM or the submitting context. */
  static boolean isEmbeddedMaster(String master) {
    return master == null || master.equals("[auto]") || master.equals("[local]") || master.equals("[collection]");
  }

  /**
   * Defaults that only make sense on the submitting machine, refused when the job goes to a
   * cluster: the embedded DuckDB file (each TaskManager would open its own file on its own disk)
   * and an IP hash key generated beside it (later runs elsewhere would hash the same IP
   * differently). An explicit DuckDB file only gets a warning: it works with one TaskManager on
   * the machine that holds the file.
   */
  static void refuseEmbeddedDefaults(SecurityPingsOptions o, Launch launch) {
    String where = launch.onCluster() ? launch.describe() : "--flinkMaster=" + o.getFlinkMaster();
    String warehouse = o.getWarehouse() == null ? "" : o.getWarehouse().trim();
    if (warehouse.isEmpty() || warehouse.equals(WarehouseUrl.DEFAULT_EMBEDDED)) {
      throw new IllegalArgumentException(
          "--warehouse: the job goes to a Flink cluster ("
              + where
              + "), where the default embedded DuckDB file "
              + WarehouseUrl.DEFAULT_EMBEDDED
              + " would be a different file on each TaskManager's disk; give"
              + " --warehouse=jdbc:postgresql://host:5432/db (or a Snowflake URL)");
    }
    if (WarehouseUrl.parse(warehouse, System.getenv(), SnowflakeOptions.overrides(o)).dialect() == Dialect.DUCKDB) {
      System.err.println(
          "warning: --warehouse="
              + warehouse
              + " is a DuckDB file on a Flink cluster: each TaskManager opens that path on its own"
              + " disk and DuckDB allows one writing process; this works only with a single"
              + " TaskManager on the machine that holds the file");
    }
    boolean keyConfigured =
        !(o.getIpHashKeyFile() == null || o.getIpHashKeyFile().isBlank())
            || !isBlank(System.getenv(IpHashKey.ENV_KEY_FILE))
            || !isBlank(System.getenv(IpHashKey.ENV_KEY));
    if (!keyConfigured) {
      throw new IllegalArgumentException(
          IpHashKey.OPTION
              + ": the job goes to a Flink cluster ("
              + where
              + "); a key generated here would be unknown to later runs and other machines, so the"
              + " same client IP would hash differently; give "
              + IpHashKey.OPTION
              + "=<file> (or set "
              + IpHashKey.ENV_KEY_FILE
              + " or "
              + IpHashKey.ENV_KEY
              + ")");
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** Whether a failed run is the job being cancelled (how an attached streaming run ends). */
  static boolean cancelled(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("JobCancellationException")) {
        return true;
      }
    }
    return false;
  }
}
