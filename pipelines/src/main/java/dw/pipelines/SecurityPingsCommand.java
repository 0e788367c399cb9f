package dw.pipelines;

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

  /**
   * Validates, checks resources, builds and runs the pipeline. A bounded run waits for the end and
   * returns its summary; an unbounded run returns at once in detached mode ({@code
   * --attachedMode=false}), else blocks until the job is cancelled.
   */
  static Outcome execute(SecurityPingsOptions o) {
    SecurityPingsPipeline.Config c = SecurityPingsPipeline.validate(o);
    o.setStreaming(!c.bounded());
    o.setJobName(SecurityPingsPipeline.NAME);
    if (!c.bounded() && o.getCheckpointingInterval() != null && o.getCheckpointingInterval() < 0) {
      o.setCheckpointingInterval(60_000L); // exactly-once state needs checkpoints when streaming
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
              + "; cancel the job to stop");
    }
    PipelineResult result = p.run();
    if (!c.bounded()) {
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
}
