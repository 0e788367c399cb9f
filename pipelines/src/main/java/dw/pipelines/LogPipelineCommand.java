package dw.pipelines;

import dw.geo.GeoLookups;
import dw.io.snowflake.SnowflakeOptions;
import dw.io.warehouse.Dialect;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.CommandLineOptions;
import dw.transforms.common.CounterNames;
import dw.transforms.common.GeoDatabases;
import dw.transforms.privacy.IpHashKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The flow every log pipeline command follows: parse options (or print {@code --help}), validate,
 * check resources, build, run; a bounded run waits for its end and prints the one-line JSON run
 * summary (exit code 3 when its line accounting does not balance), an unbounded run returns at once
 * in detached mode ({@code --attachedMode=false}), else blocks until the job is cancelled.
 *
 * @param <O> the pipeline's options
 * @param <C> its validated configuration
 */
abstract class LogPipelineCommand<O extends LogPipelineOptions, C extends LogPipelineCommand.Settings>
    implements Main.Command {

  /** What the flow needs from a pipeline's validated configuration. */
  interface Settings {
    LogSettings log();
  }

  /** What a run produced: the result, and for a finished bounded run its summary. */
  record Outcome(PipelineResult result, RunSummary summary) {}

  /** The pipeline's name (job name, dead letters, run summary). */
  abstract String name();

  abstract Class<O> optionsType();

  /** The counter of kept records ({@link dw.transforms.logs.LogFormat#parsedCounter()}). */
  abstract String parsedCounter();

  abstract C validate(O o);

  /** Opens what the job needs (GeoIP, warehouse tables) so a bad resource fails before submission. */
  abstract void checkResources(O o, C c);

  abstract void build(Pipeline p, O o, C c);

  @Override
  public int run(String[] args) {
    if (CommandLineOptions.wantsHelp(args)) {
      CommandLineOptions.printHelp(System.out, optionsType());
      return 0;
    }
    O o = PipelineSupport.parse(args, optionsType());
    Outcome outcome = runPipeline(o);
    if (outcome.summary() != null) {
      outcome.summary().emit(o.getSummaryFile());
      return outcome.summary().balanced() ? 0 : 3;
    }
    return 0;
  }

  /** Runs the pipeline as the current launch ({@link Launch#current()}) allows. */
  Outcome runPipeline(O o) {
    return runPipeline(o, Launch.current());
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
  Outcome runPipeline(O o, Launch launch) {
    boolean remote = launch.onCluster() || !isEmbeddedMaster(o.getFlinkMaster());
    if (remote) {
      refuseEmbeddedDefaults(o, launch);
    }
    C c = validate(o);
    LogSettings log = c.log();
    o.setStreaming(!log.bounded());
    if (o.getJobName() == null || o.getJobName().isBlank()) {
      o.setJobName(jobName(log, o));
    }
    if (!log.bounded() && o.getCheckpointingInterval() != null && o.getCheckpointingInterval() < 0) {
      o.setCheckpointingInterval(60_000L); // exactly-once state needs checkpoints when streaming
    }
    if (!log.bounded()) {
      // Combine accumulators are updated in place in keyed state. Flink's heap state backend
      // snapshots asynchronously and copies an entry touched during a snapshot with the state
      // serializer's copy(); with Beam's fasterCopy that copy is the same object, so the snapshot
      // could serialize an accumulator while it changes (seen as ConcurrentModificationException
      // in a checkpoint). Streaming jobs therefore keep real copies.
      o.setFasterCopy(false);
    }
    // whether this process waits for the job: flink run without -d, or java -jar unless a stream
    // is started with --attachedMode=false (a bounded embedded run always waits)
    boolean wait = launch.onCluster() ? launch.attached() : log.bounded() || o.getAttachedMode();
    if (launch.onCluster()) {
      // executeAsync: the CLI's attached execute() would print Beam's metrics accumulator (670
      // lines) and fail on -d ("Job was submitted in detached mode"); we wait ourselves instead.
      o.setAttachedMode(false);
    }
    checkResources(o, c);
    Pipeline p = Pipeline.create(o);
    build(p, o, c);
    long start = System.nanoTime();
    if (!log.bounded()) {
      System.err.println(
          name()
              + ": streaming from "
              + log.input()
              + " (new files every "
              + log.pollInterval().getStandardSeconds()
              + " s) into "
              + log.warehouse()
              + " as job '"
              + o.getJobName()
              + "'; "
              + (wait ? "stop it with a savepoint (or cancel it) to end" : "submitted detached"));
    }
    PipelineResult result;
    try {
      result = p.run();
    } catch (RuntimeException e) {
      if (!log.bounded() && cancelled(e)) {
        System.err.println(name() + ": the job '" + o.getJobName() + "' was cancelled");
        return new Outcome(null, null);
      }
      throw e;
    }
    if (!wait) {
      System.err.println(
          name()
              + ": job '"
              + o.getJobName()
              + "' submitted detached"
              + (remote ? " to the Flink cluster; follow it in the dashboard" : "")
              + (log.bounded()
                  ? " (done when FINISHED; balanced when lines_read = header_lines + parsed"
                      + " + filtered_* + dead_lettered, see docs/operations.md; no --summaryFile in detached mode)"
                  : ""));
      return new Outcome(result, null);
    }
    if (!log.bounded()) {
      PipelineResult.State state = result.waitUntilFinish();
      System.err.println(
          name()
              + ": the job '"
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
    extra.put("warehouse", log.warehouse().toString());
    extra.put("wall_seconds", Math.round(seconds * 100) / 100.0);
    RunSummary summary =
        RunSummary.of(name(), parsedCounter(), String.valueOf(state), RunSummary.counters(result), extra);
    long lines = summary.counter(CounterNames.LINES_READ);
    summary.json().put("lines_per_second", seconds > 0 ? Math.round(lines / seconds) : 0);
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(name() + " ended in state " + state + ": " + summary.toJsonLine());
    }
    return new Outcome(result, summary);
  }

  /**
   * The job's name in the dashboard: pipeline, mode and input, e.g. {@code security-pings stream
   * s3://logs/cloudfront} or {@code security-pings backfill 2026-11-01..2026-11-02}.
   */
  String jobName(LogSettings log, O o) {
    return name()
        + (log.bounded() ? " backfill " + o.getFrom().trim() + ".." + o.getTo().trim() : " stream " + log.input());
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
  static void refuseEmbeddedDefaults(LogPipelineOptions o, Launch launch) {
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

  /**
   * Opens the GeoIP databases once, so a bad file fails at start-up with a message, and checks
   * {@code --geoipRefreshHours}.
   */
  static void checkGeoIp(WarehouseOptions o, LogSettings log) {
    int refreshHours = geoipRefreshHours(o, log);
    if (!o.getGeoipCityDatabase().isEmpty()) {
      if (o.getGeoipCityDatabase().contains("://") || o.getGeoipAsnDatabase().contains("://")) {
        FileSystems.setDefaultPipelineOptions(o); // s3:// databases: the run's S3 options
      }
      GeoDatabases.forOptions(o.getGeoipCityDatabase(), o.getGeoipAsnDatabase(), refreshHours);
    } else if (!o.getGeoipAsnDatabase().isEmpty()) {
      throw new IllegalArgumentException(
          "--geoipAsnDatabase needs --geoipCityDatabase as well (the ASN lookup adds to the city one)");
    }
  }

  /**
   * The GeoIP refresh period the parse steps use, in hours: {@code --geoipRefreshHours} when
   * streaming, 0 for a backfill (one database from start to end keeps its result reproducible).
   *
   * @throws IllegalArgumentException naming the option if it is negative
   */
  static int geoipRefreshHours(WarehouseOptions o, LogSettings log) {
    GeoLookups.refreshPeriod(o.getGeoipRefreshHours());
    return log.bounded() ? 0 : o.getGeoipRefreshHours();
  }
}
