package dw.pipelines;

import dw.io.files.KeyLayout;
import dw.io.files.ListLogFiles;
import dw.io.files.TailLogFiles;
import dw.io.lake.PushRequestsLake;
import dw.io.lake.WriteToLake;
import dw.io.tables.PushProxyTables;
import dw.io.tables.SecurityTables;
import dw.io.warehouse.WriteToWarehouse;
import dw.transforms.common.DeadLetter;
import dw.transforms.logs.ReadLogFiles;
import dw.transforms.push.AggregatePushHours;
import dw.transforms.push.Deployments;
import dw.transforms.push.ExplodeCountries;
import dw.transforms.push.PushHour;
import dw.transforms.push.PushHourShards;
import dw.transforms.push.PushRequest;
import dw.transforms.push.PushRequestFormat;
import dw.transforms.windows.AttachPaneTiming;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Reshuffle;
import dw.transforms.windows.Timed;
import dw.transforms.windows.WindowIntoFixed;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * {@code push-proxy}: ALB access logs of the push-proxy load balancers → hourly push traffic per
 * deployment and route.
 *
 * <ol>
 *   <li>ListLogFiles (backfill): the ALB files under --input in the day folders of --from..--to+1
 *       ({@link KeyLayout#ALB_DAYS}). TailLogFiles (streaming): new files of the open day folders
 *       every poll interval; late files also go to the dead letters (CollectDeadLetters).
 *   <li>ParsePushRequests: read, inflate, parse ALB lines, keep push requests ({@code POST
 *       …/api/v1/send_push|ack}), deployment label, GeoIP country; dead letters for broken lines and
 *       other log formats (one fused step, {@link ReadLogFiles}).
 *   <li>WindowIntoHours: hourly event-time windows; streaming with early firings, accumulating
 *       panes, allowed lateness and a closing pane ({@link WindowIntoFixed}).
 *   <li>AggregatePushHours: per (hour, deployment, route) counts by status class, bytes, target
 *       percentiles (HdrHistogram), requests per country. Backfill: the reading step already folds
 *       requests into partial aggregates per (hour, deployment, route) ({@link PushHourShards});
 *       they are merged here.
 *   <li>AttachPaneTiming, then WriteHourly (push_proxy_hourly) and ExplodeCountries +
 *       WriteHourlyByCountry (push_proxy_hourly_by_country), each row with pane_timing, is_final.
 *   <li>WriteDeadLetters: the shared dead_letters table, pipeline = 'push-proxy'.
 *   <li>WriteRequestsToLake (only with --lake): every push request as Parquet under
 *       table=push_proxy_requests, partitioned by UTC date and hour, client IP through the privacy
 *       policy.
 * </ol>
 *
 * Step names are Flink operator UIDs, pinned by golden files ({@code StepNamesTest}).
 */
public final class PushProxyPipeline {
  public static final String NAME = PushRequestFormat.PIPELINE;
  public static final TupleTag<PushRequest> REQUESTS = new TupleTag<>("requests") {};
  static final Duration HOUR = Duration.standardHours(1);

  private PushProxyPipeline() {}

  /** The validated configuration: the shared settings and the deployment mapping. */
  public record Config(LogSettings log, Deployments deployments) implements LogPipelineCommand.Settings {}

  public static Config validate(PushProxyOptions o) {
    LogSettings log = LogSettings.validate(o);
    Deployments d;
    try {
      d = Deployments.parse(o.getDeployments());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--deployments=" + o.getDeployments() + ": " + e.getMessage());
    }
    return new Config(log, d);
  }

  public static void checkResources(PushProxyOptions o, Config c) {
    LogPipelineCommand.checkGeoIp(o, c.log());
    WriteToWarehouse.ensureTables(c.log().warehouse(), PushProxyTables.all());
  }

  public static void build(Pipeline p, PushProxyOptions o, Config c) {
    LogSettings log = c.log();
    long start = log.bounded() ? Long.MIN_VALUE : log.streamStart(HOUR); // once: the clock moves
    PCollection<MatchResult.Metadata> files;
    PCollection<DeadLetter> lateFiles = null;
    if (log.bounded()) {
      files =
          p.apply(
              "ListLogFiles",
              ListLogFiles.forDays(log.input(), KeyLayout.ALB_DAYS, log.fromEpochDay(), log.toEpochDay()));
    } else {
      PCollectionTuple tailed =
          p.apply(
              "TailLogFiles",
              TailLogFiles.of(
                  log.input(),
                  KeyLayout.ALB_DAYS,
                  log.timing(HOUR).startingAt(start),
                  log.pollInterval(),
                  log.clock(),
                  NAME));
      // One worker polls; every worker parses.
      files =
          tailed
              .get(TailLogFiles.FILES)
              .apply("RedistributeFiles", Reshuffle.viaRandomKey())
              .setCoder(MetadataCoderV2.of());
      lateFiles = tailed.get(TailLogFiles.LATE_FILES);
    }

    PushRequestFormat format =
        new PushRequestFormat(
            c.deployments(),
            log.bounded() ? log.fromEpochDay() : (int) Math.floorDiv(start, 86_400_000L),
            log.toEpochDay(),
            o.getGeoipCityDatabase(),
            o.getGeoipAsnDatabase(),
            LogPipelineCommand.geoipRefreshHours(o, log),
            log.clientIps());
    ReadLogFiles<PushRequest> read = ReadLogFiles.of(format, REQUESTS);
    PCollectionTuple parsed;
    PCollection<PushHour> hours;
    if (log.bounded()) {
      // Backfill: partial hour aggregates built in the reading step (PushHourShards); the requests
      // themselves only for the lake. No savepoints to keep, so the graph may differ from streaming.
      parsed = files.apply("ParsePushRequests", read.aggregating(new PushHourShards(), !log.lake().isEmpty()));
      hours =
          parsed
              .get(PushHourShards.TAG)
              .apply("WindowIntoHours", Window.into(FixedWindows.of(HOUR)))
              .apply("AggregatePushHours", AggregatePushHours.fromShards());
    } else {
      parsed = files.apply("ParsePushRequests", read);
      hours =
          parsed
              .get(REQUESTS)
              .apply("WindowIntoHours", WindowIntoFixed.of(HOUR, log.allowedLateness(), log.earlyFiring()))
              .apply("AggregatePushHours", new AggregatePushHours());
    }
    PCollection<Timed<PushHour>> timed =
        hours.apply(
            "AttachPaneTiming",
            log.bounded()
                ? AttachPaneTiming.<PushHour>ofBackfill(
                    log.clock(), log.watermarkDelay(), log.allowedLateness(), h -> h.hourEndMillis())
                : AttachPaneTiming.<PushHour>ofPanes(log.clock(), log.watermarkDelay()));
    timed.apply("WriteHourly", WriteToWarehouse.to(log.warehouse(), new PushProxyTables.HourlyBinding()));
    timed
        .apply("ExplodeCountries", new ExplodeCountries())
        .apply(
            "WriteHourlyByCountry",
            WriteToWarehouse.to(log.warehouse(), new PushProxyTables.ByCountryBinding()));

    PCollection<DeadLetter> dead = parsed.get(ReadLogFiles.DEAD_LETTERS);
    if (lateFiles != null) {
      dead = PCollectionList.of(dead).and(lateFiles).apply("CollectDeadLetters", Flatten.pCollections());
    }
    dead.apply(
        "WriteDeadLetters", WriteToWarehouse.to(log.warehouse(), new SecurityTables.DeadLetterBinding()));

    if (!log.lake().isEmpty()) {
      parsed.get(REQUESTS).apply(
          "WriteRequestsToLake",
          WriteToLake.to(
              new PushRequestsLake(),
              log.lake(),
              log.clientIps(),
              log.lakeShards(),
              log.allowedLateness(),
              log.lakeLateFiring()));
    }
  }
}
