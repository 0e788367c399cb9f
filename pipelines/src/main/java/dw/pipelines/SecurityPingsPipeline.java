package dw.pipelines;

import dw.io.files.ListLogFiles;
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
import dw.transforms.daily.WindowIntoDays;
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
 *   <li>WindowIntoDays (streaming): daily UTC event-time windows, early and late firings,
 *       accumulating panes.
 *   <li>AggregateServerDays: one row per (day, server): latest ping's attributes, max auc, counts.
 *       Streaming: a per-server combine in the daily windows. Backfill: the partial shards of each
 *       (day, shard) merged; ExplodeServerDays then hands the server-days to the writer.
 *   <li>WriteServerDaily: upsert into security_server_daily.
 *   <li>AggregateDailyTotals: per day and breakdown, over non-excluded servers (full snapshot).
 *       Backfill: the sum of the merged shards' totals (the same numbers).
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
  }

  /** Checks every option and says which one is wrong and why. */
  public static Config validate(SecurityPingsOptions o) {
    LogSettings log = LogSettings.validate(o, o.getAllowedLatenessHours());
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
    LogPipelineCommand.checkGeoIp(o);
    WriteToWarehouse.ensureTables(c.warehouse(), SecurityTables.all());
  }

  /** Adds the pipeline's steps to {@code p}. */
  public static void build(Pipeline p, SecurityPingsOptions o, Config c) {
    PCollection<MatchResult.Metadata> files;
    PCollection<DeadLetter> lateFiles = null;
    if (c.bounded()) {
      files = p.apply("ListLogFiles", ListLogFiles.forDays(c.input(), c.fromEpochDay(), c.toEpochDay()));
    } else {
      PCollectionTuple tailed =
          p.apply(
              "TailLogFiles",
              TailLogFiles.of(
                  c.input(),
                  c.log().allowedLatenessHours(),
                  c.log().lateFileScanHours(),
                  c.log().pollInterval(),
                  c.log().clock(),
                  NAME));
      files = tailed.get(TailLogFiles.FILES);
      lateFiles = tailed.get(TailLogFiles.LATE_FILES);
    }

    ParseSecurityPingLogs parse =
        ParseSecurityPingLogs.of(
            c.rules(),
            c.fromEpochDay(),
            c.toEpochDay(),
            o.getGeoipCityDatabase(),
            o.getGeoipAsnDatabase());
    PCollectionTuple parsed;
    if (c.bounded()) {
      // Backfill: hash-aggregated server-day shards (see ServerDayShard); no savepoints to keep.
      parsed =
          files.apply("ParseSecurityPings", parse.aggregatingIntoShards(!c.lake().isEmpty()));
      PCollection<KV<Integer, ServerDayShard>> shards =
          parsed
              .get(ParseSecurityPingLogs.SERVER_DAY_SHARDS)
              .apply("AggregateServerDays", new CombineServerDayShards());
      shards
          .apply("ExplodeServerDays", new ExplodeServerDays())
          .apply(
              "WriteServerDaily",
              WriteToWarehouse.to(c.warehouse(), new SecurityTables.ServerDailyBinding(c.clientIps())));
      shards
          .apply("AggregateDailyTotals", new SumShardTotals())
          .apply(
              "WriteDailyTotals",
              WriteToWarehouse.to(c.warehouse(), new SecurityTables.DailyTotalsBinding()));
    } else {
      parsed = files.apply("ParseSecurityPings", parse);
      PCollection<ServerDay> serverDays =
          parsed
              .get(ParseSecurityPingLogs.PINGS)
              .apply(
                  "WindowIntoDays",
                  WindowIntoDays.<SecurityPing>of(c.allowedLateness(), c.earlyFiring()))
              .apply("AggregateServerDays", new AggregateServerDays());

      serverDays.apply(
          "WriteServerDaily",
          WriteToWarehouse.to(c.warehouse(), new SecurityTables.ServerDailyBinding(c.clientIps())));

      PCollection<DayTotals> totals =
          serverDays.apply(
              "AggregateDailyTotals", new AggregateDailyTotals(c.allowedLateness(), c.earlyFiring()));
      totals.apply(
          "WriteDailyTotals",
          WriteToWarehouse.to(c.warehouse(), new SecurityTables.DailyTotalsBinding()));
    }

    PCollection<DeadLetter> dead = parsed.get(ParseSecurityPingLogs.DEAD_LETTERS);
    if (lateFiles != null) {
      dead = PCollectionList.of(dead).and(lateFiles).apply("CollectDeadLetters", Flatten.pCollections());
    }
    dead.apply(
        "WriteDeadLetters", WriteToWarehouse.to(c.warehouse(), new SecurityTables.DeadLetterBinding()));

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
}
