package dw.pipelines;

import dw.geo.GeoLookups;
import dw.io.alerts.AlertOnDeadLetterShare;
import dw.io.files.ListLogFiles;
import dw.io.files.LogStore;
import dw.io.files.TailLogFiles;
import dw.io.tables.SecurityTables;
import dw.io.lake.WritePingsToLake;
import dw.io.snowflake.WritePingsToSnowflake;
import dw.io.warehouse.Dialect;
import dw.io.warehouse.WarehouseUrl;
import dw.io.warehouse.WriteToWarehouse;
import dw.transforms.common.DeadLetter;
import dw.transforms.daily.AggregateDailyTotals;
import dw.transforms.daily.AggregateServerDays;
import dw.transforms.daily.CombineServerDayShards;
import dw.transforms.daily.ExplodeServerDays;
import dw.transforms.daily.ServerDayShard;
import dw.transforms.daily.SumShardTotals;
import dw.transforms.daily.DayTotals;
import dw.transforms.daily.ServerDay;
import dw.transforms.windows.AttachPaneTiming;
import dw.transforms.windows.Timed;
import dw.transforms.windows.WindowIntoFixed;
import dw.io.files.HourTail;
import dw.io.files.TailClock;
import dw.io.files.KeyLayout;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Reshuffle;
import dw.transforms.monitoring.ReportGeoDatabase;
import dw.transforms.pings.ParseSecurityPingLogs;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.security.ExclusionRules;
import dw.transforms.security.SecurityPing;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;

/**
 * {@code security-pings}: CloudFront security-update-check logs → daily active servers and users.
 *
 * <ol>
 *   <li>ListLogFiles (backfill): the CloudFront files under --input whose names can hold requests
 *       of --from..--to, listed by day/hour prefix. TailLogFiles (streaming): new files of the open
 *       hours every poll interval; late files also go to the dead letters (CollectDeadLetters).
 *   <li>ParseSecurityPings: read, inflate, parse by #Fields, keep security pings, GeoIP, exclusion
 *       reasons; dead letters for broken lines (one fused step). Backfill: the step also adds each
 *       ping to its server-day in hash-aggregated shards ({@code ServerDayShard}) and emits shards,
 *       not pings.
 *   <li>RedistributeFiles (streaming): spreads the tailed files over the workers, so every
 *       subtask parses.
 *   <li>WindowIntoDays (streaming): daily UTC event-time windows: early panes, the on-time pane
 *       when the source's watermark (now − --watermarkDelayMinutes) passes the day's end, late
 *       panes up to --allowedLatenessHours, a closing (final) pane; accumulating.
 *   <li>AggregateServerDays: one row per (day, server): latest ping's attributes, max auc, counts.
 *       Streaming: a per-server combine in the daily windows. Backfill: the partial shards of each
 *       (day, shard) merged; ExplodeServerDays then hands the server-days to the writer.
 *   <li>AttachServerDayTiming / AttachTotalsTiming: each result's pane timing (pane_timing,
 *       is_final); early panes of days the watermark is still catching up on are not written.
 *   <li>WriteServerDaily: upsert into security_server_daily.
 *   <li>AggregateDailyTotals: per day and breakdown, over non-excluded servers (full snapshot);
 *       streaming: per (day, shard of servers) on every worker, then the sum of the shards.
 *       Backfill: the sum of the merged shards' totals, added up by the merge (the same numbers).
 *   <li>WriteDailyTotals: replace the day in security_daily_totals.
 *   <li>WriteDeadLetters: upsert into dead_letters.
 *   <li>WritePingsToSnowflake (only streaming into Snowflake): every ping into the raw table
 *       security_pings through Snowpipe, client IP hashed.
 *   <li>WritePingsToLake (only with --lake): every ping as Parquet, partitioned by UTC date and
 *       hour, client IP hashed.
 * </ol>
 *
 * Step names are Flink operator UIDs: renaming one breaks savepoint restore (pinned by a test). A
 * backfill is never restored from a savepoint, so its graph may differ from the streaming one; both
 * compute each server-day with {@code ServerDay} and give the same numbers (tested).
 */
public final class SecurityPingsPipeline {
  public static final String NAME = "security-pings";

  private SecurityPingsPipeline() {}

  /** The validated configuration derived from the options: the shared settings and the ping rules. */
  public record Config(LogSettings log, ExclusionRules rules) implements LogPipelineCommand.Settings {
    public String input() {
      return log.input();
    }

    public boolean bounded() {
      return log.bounded();
    }

    public int fromEpochDay() {
      return log.fromEpochDay();
    }

    public int toEpochDay() {
      return log.toEpochDay();
    }

    public WarehouseUrl warehouse() {
      return log.warehouse();
    }

    public Duration allowedLateness() {
      return log.allowedLateness();
    }

    public Duration earlyFiring() {
      return log.earlyFiring();
    }

    public ClientIpPolicy clientIps() {
      return log.clientIps();
    }

    public String lake() {
      return log.lake();
    }

    public Duration pollInterval() {
      return log.pollInterval();
    }

    public TailClock clock() {
      return log.clock();
    }

    public Duration watermarkDelay() {
      return log.watermarkDelay();
    }

    /** The source's time model (see HourTail): daily windows, starting at {@code start}. */
    public HourTail.Timing timing(long start) {
      return log.timing(ONE_DAY).startingAt(start);
    }

    /** A stream's first day (see {@link LogSettings#streamStart}). */
    public long streamStart() {
      return log.streamStart(ONE_DAY);
    }
  }

  /** The pipeline's event-time window: the UTC day. */
  public static final Duration ONE_DAY = Duration.standardDays(1);

  /** Checks every option and says which one is wrong and why. */
  public static Config validate(SecurityPingsOptions o) {
    LogSettings log = LogSettings.validate(o);
    ExclusionRules rules;
    try {
      rules = ExclusionRules.of(o.getRestrictedIps(), o.getExcludedCountries());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--restrictedIps/--excludedCountries: " + e.getMessage());
    }
    return new Config(log, rules);
  }

  /** Name of the generated IP hash key file, beside the embedded warehouse. */
  public static final String DEFAULT_KEY_FILE = LogSettings.DEFAULT_KEY_FILE;

  /**
   * Opens what the job needs before it is submitted, so a bad database file or an unreachable
   * warehouse fails at start-up with a message instead of inside a running job.
   */
  public static void checkResources(SecurityPingsOptions o, Config c) {
    if (LogStore.listableByPrefix(c.input())) {
      LogStore store = LogStore.forInput(c.input());
      store.open(o);
      store.checkListable();
    }
    LogPipelineCommand.checkGeoIp(o, c.log());
    WriteToWarehouse.ensureTables(c.warehouse(), SecurityTables.all());
  }

  /** Adds the pipeline's steps to {@code p}. */
  public static void build(Pipeline p, SecurityPingsOptions o, Config c) {
    long start = c.bounded() ? Long.MIN_VALUE : c.streamStart(); // once: the clock moves
    PCollection<MatchResult.Metadata> files;
    PCollection<DeadLetter> lateFiles = null;
    if (c.bounded()) {
      files = p.apply("ListLogFiles", ListLogFiles.forDays(c.input(), c.fromEpochDay(), c.toEpochDay()));
    } else {
      PCollectionTuple tailed =
          p.apply(
              "TailLogFiles",
              TailLogFiles.of(
                  c.input(), KeyLayout.CLOUDFRONT_HOURS, c.timing(start), c.pollInterval(), c.clock(), NAME));
      // One worker polls; every worker parses.
      files =
          tailed
              .get(TailLogFiles.FILES)
              .apply("RedistributeFiles", Reshuffle.viaRandomKey())
              .setCoder(MetadataCoderV2.of());
      lateFiles = tailed.get(TailLogFiles.LATE_FILES);
    }

    int geoipRefreshHours = LogPipelineCommand.geoipRefreshHours(o, c.log());
    if (!o.getGeoipCityDatabase().isEmpty()) {
      files.apply(
          "ReportGeoDatabase",
          ReportGeoDatabase.<MatchResult.Metadata>of(
              o.getGeoipCityDatabase(), o.getGeoipAsnDatabase(), geoipRefreshHours));
    }


    // A stream counts only events from its start (see LogSettings.streamStart); a backfill its days.
    int fromDay =
        c.bounded() ? c.fromEpochDay() : (int) Math.floorDiv(start, ONE_DAY.getMillis());
    ParseSecurityPingLogs parse =
        ParseSecurityPingLogs.of(
            c.rules(),
            fromDay,
            c.toEpochDay(),
            o.getGeoipCityDatabase(),
            o.getGeoipAsnDatabase(),
            geoipRefreshHours,
            c.clientIps());
    PCollectionTuple parsed;
    PCollection<Timed<DayTotals>> totals;
    if (c.bounded()) {
      // Backfill: hash-aggregated server-day shards (see ServerDayShard); no savepoints to keep.
      parsed =
          files.apply("ParseSecurityPings", parse.aggregatingIntoShards(!c.lake().isEmpty()));
      PCollection<KV<Integer, ServerDayShard>> shards =
          parsed
              .get(ParseSecurityPingLogs.SERVER_DAY_SHARDS)
              .apply("AggregateServerDays", new CombineServerDayShards());
      // One chain from the merge to the day totals (each step the only consumer of the one before):
      // Flink runs it in the merge's task, and no server-day is encoded between these steps.
      PCollection<Timed<ServerDay>> written =
          shards
              .apply("ExplodeServerDays", new ExplodeServerDays())
              .apply(
                  "AttachServerDayTiming",
                  AttachPaneTiming.<ServerDay>ofBackfill(
                      c.clock(), c.watermarkDelay(), c.allowedLateness(), d -> dayEnd(d.logEpochDay())))
              .apply(
                  "WriteServerDaily",
                  WriteToWarehouse.to(c.warehouse(), new SecurityTables.ServerDailyBinding(c.clientIps()))
                      .passingOn());
      totals =
          written
              .apply("AggregateDailyTotals", new SumShardTotals())
              .apply(
                  "AttachTotalsTiming",
                  AttachPaneTiming.<DayTotals>ofBackfill(
                      c.clock(), c.watermarkDelay(), c.allowedLateness(), t -> dayEnd(t.logEpochDay())));
    } else {
      parsed = files.apply("ParseSecurityPings", parse);
      PCollection<ServerDay> windowed =
          parsed
              .get(ParseSecurityPingLogs.PINGS)
              .apply(
                  "WindowIntoDays",
                  WindowIntoFixed.<SecurityPing>of(ONE_DAY, c.allowedLateness(), c.earlyFiring()))
              .apply("AggregateServerDays", new AggregateServerDays());
      windowed
          .apply("AttachServerDayTiming", AttachPaneTiming.<ServerDay>ofPanes(c.clock(), c.watermarkDelay()))
          .apply(
              "WriteServerDaily",
              WriteToWarehouse.to(c.warehouse(), new SecurityTables.ServerDailyBinding(c.clientIps())));
      totals =
          windowed
              .apply(
                  "AggregateDailyTotals", new AggregateDailyTotals(c.allowedLateness(), c.earlyFiring()))
              .apply(
                  "AttachTotalsTiming", AttachPaneTiming.<DayTotals>ofPanes(c.clock(), c.watermarkDelay()));
    }
    totals.apply(
        "WriteDailyTotals", WriteToWarehouse.to(c.warehouse(), new SecurityTables.DailyTotalsBinding()));

    PCollection<DeadLetter> dead = parsed.get(ParseSecurityPingLogs.DEAD_LETTERS);
    if (lateFiles != null) {
      dead = PCollectionList.of(dead).and(lateFiles).apply("CollectDeadLetters", Flatten.pCollections());
    }
    dead.apply(
        "WriteDeadLetters", WriteToWarehouse.to(c.warehouse(), new SecurityTables.DeadLetterBinding()));

    if (!c.bounded() && o.getDeadLetterAlertShare() > 0) {
      // a side branch that only counts (docs/monitoring.md "Chat alerts")
      AlertOnDeadLetterShare.inputs(parsed.get(ParseSecurityPingLogs.PINGS), dead)
          .apply(
              "AlertOnDeadLetterShare",
              AlertOnDeadLetterShare.of(
                  NAME,
                  o.getAlertWebhookUrl(),
                  o.getDeadLetterAlertShare(),
                  o.getAlertWindowMinutes(),
                  o.getAlertMinIntervalMinutes()));
    }

    if (!c.bounded() && c.warehouse().dialect() == Dialect.SNOWFLAKE) {
      parsed
          .get(ParseSecurityPingLogs.PINGS)
          .apply(
              "WritePingsToSnowflake",
              WritePingsToSnowflake.to(c.warehouse().snowflake(), c.clientIps()));
    }

    if (!c.lake().isEmpty()) {
      parsed
          .get(ParseSecurityPingLogs.PINGS)
          .apply(
              "WritePingsToLake",
              WritePingsToLake.to(
                  c.lake(),
                  c.clientIps(),
                  c.log().lakeShards(),
                  c.allowedLateness(),
                  c.log().lakeLateFiring()));
    }
  }

  private static long dayEnd(int epochDay) {
    return (epochDay + 1L) * ONE_DAY.getMillis();
  }
}
