package dw.pipelines;

import dw.geo.GeoLookups;
import dw.transforms.common.CounterNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

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
    if (Main.wantsHelp(args)) {
      PipelineSupport.printHelp(optionsType());
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

  /**
   * Validates, checks resources, builds and runs the pipeline. A bounded run waits for the end and
   * returns its summary; an unbounded run returns at once in detached mode, else blocks until the
   * job is cancelled.
   */
  Outcome runPipeline(O o) {
    C c = validate(o);
    LogSettings log = c.log();
    o.setStreaming(!log.bounded());
    o.setJobName(name());
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
              + "; cancel the job to stop");
    }
    PipelineResult result = p.run();
    if (!log.bounded()) {
      if (o.getAttachedMode()) {
        result.waitUntilFinish();
      }
      return new Outcome(result, null);
    }
    PipelineResult.State state = result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("mode", "backfill");
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

  /** Opens the GeoIP databases once, so a bad file fails at start-up with a message. */
  static void checkGeoIp(WarehouseOptions o) {
    if (!o.getGeoipCityDatabase().isEmpty()) {
      GeoLookups.shared(
          o.getGeoipCityDatabase(), o.getGeoipAsnDatabase().isEmpty() ? null : o.getGeoipAsnDatabase());
    } else if (!o.getGeoipAsnDatabase().isEmpty()) {
      throw new IllegalArgumentException(
          "--geoipAsnDatabase needs --geoipCityDatabase as well (the ASN lookup adds to the city one)");
    }
  }
}
