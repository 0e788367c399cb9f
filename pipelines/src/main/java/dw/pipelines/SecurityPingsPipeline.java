package dw.pipelines;

import dw.geo.GeoLookups;
import dw.io.files.ListLogFiles;
import dw.io.files.LogStore;
import dw.io.files.TailClock;
import dw.io.files.TailLogFiles;
import dw.io.tables.SecurityTables;
import dw.io.lake.WritePingsToLake;
import dw.io.snowflake.SnowflakeOptions;
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
import dw.io.files.KeyLayout;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Reshuffle;
import dw.transforms.pings.ParseSecurityPingLogs;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpHashKey;
import dw.transforms.security.ExclusionRules;
import dw.transforms.security.SecurityPing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
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

  /** The validated configuration derived from the options. */
  public record Config(
      String input,
      boolean bounded,
      int fromEpochDay,
      int toEpochDay,
      WarehouseUrl warehouse,
      ExclusionRules rules,
      Duration allowedLateness,
      Duration earlyFiring,
      Duration pollInterval,
      ClientIpPolicy clientIps,
      String lake,
      int lakeShards,
      Duration lakeLateFiring,
      int lateFileScanHours,
      Duration watermarkDelay,
      long startAtMillis,
      TailClock clock) {

    /** The source's time model (see HourTail): daily windows. */
    public HourTail.Timing timing() {
      return new HourTail.Timing(
          ONE_DAY.getMillis(),
          allowedLateness.getMillis(),
          watermarkDelay.getMillis(),
          lateFileScanHours * 3_600_000L,
          startAtMillis);
    }
  }

  /** The pipeline's event-time window: the UTC day. */
  public static final Duration ONE_DAY = Duration.standardDays(1);

  /** Checks every option and says which one is wrong and why. */
  public static Config validate(SecurityPingsOptions o) {
    String input = o.getInput() == null ? "" : o.getInput().trim();
    if (input.isEmpty()) {
      throw new IllegalArgumentException("--input is required (a folder or s3://bucket/prefix)");
    }
    if (!input.contains("://") && !Files.exists(Paths.get(input))) {
      throw new IllegalArgumentException("--input=" + input + ": no such file or folder");
    }
    if (input.contains("://") && !input.startsWith("s3://")) {
      throw new IllegalArgumentException(
          "--input=" + input + ": only local folders and s3://bucket/prefix are supported");
    }
    if (input.startsWith("s3://")) {
      LogStore.forInput(input); // checks the address (bucket present)
    }
    String from = o.getFrom() == null ? "" : o.getFrom().trim();
    String to = o.getTo() == null ? "" : o.getTo().trim();
    if (from.isEmpty() != to.isEmpty()) {
      throw new IllegalArgumentException(
          "--from and --to go together (a bounded backfill); give both, or neither to run unbounded");
    }
    boolean bounded = !from.isEmpty();
    int fromDay = Integer.MIN_VALUE;
    int toDay = Integer.MAX_VALUE;
    if (bounded) {
      fromDay = (int) day("--from", from).toEpochDay();
      toDay = (int) day("--to", to).toEpochDay();
      if (fromDay > toDay) {
        throw new IllegalArgumentException("--from=" + from + " is after --to=" + to);
      }
    }
    ExclusionRules rules;
    try {
      rules = ExclusionRules.of(o.getRestrictedIps(), o.getExcludedCountries());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--restrictedIps/--excludedCountries: " + e.getMessage());
    }
    positive("--allowedLatenessHours", o.getAllowedLatenessHours(), 0);
    positive("--earlyFiringSeconds", o.getEarlyFiringSeconds(), 1);
    positive("--pollIntervalSeconds", o.getPollIntervalSeconds(), 1);
    WarehouseUrl warehouse =
        WarehouseUrl.parse(o.getWarehouse(), System.getenv(), SnowflakeOptions.overrides(o));
    if (!bounded && warehouse.dialect() == Dialect.SNOWFLAKE) {
      warehouse.snowflake().checkStreaming();
    }
    String lake = validateLake(o);
    positive("--lakeShards", o.getLakeShards(), 1);
    if (o.getLakeShards() > 16) {
      throw new IllegalArgumentException("--lakeShards=" + o.getLakeShards() + ": at most 16 (small files)");
    }
    positive("--lakeLateFiringMinutes", o.getLakeLateFiringMinutes(), 1);
    positive("--lateFileScanHours", o.getLateFileScanHours(), 0);
    positive("--watermarkDelayMinutes", o.getWatermarkDelayMinutes(), 0);
    long startAt = startAt(o.getStartAt());
    if (!bounded) {
      if (!LogStore.listableByPrefix(input)) {
        throw new IllegalArgumentException(
            "--input=" + input + ": streaming needs a folder or s3://bucket/prefix (not a file or glob)");
      }
      LogStore.forInput(input); // checks the address
    }
    String clockSpec = o.getTailClock() == null ? "system" : o.getTailClock().trim();
    TailClock clock;
    if (clockSpec.equals("system")) {
      clock = TailClock.system();
    } else if (clockSpec.startsWith("manual:") && clockSpec.length() > "manual:".length()) {
      clock = TailClock.manual(clockSpec.substring("manual:".length()));
    } else {
      throw new IllegalArgumentException("--tailClock=" + clockSpec + ": system or manual:<name>");
    }
    return new Config(
        input,
        bounded,
        fromDay,
        toDay,
        warehouse,
        rules,
        Duration.standardHours(o.getAllowedLatenessHours()),
        Duration.standardSeconds(o.getEarlyFiringSeconds()),
        Duration.standardSeconds(o.getPollIntervalSeconds()),
        clientIpPolicy(o, warehouse),
        lake,
        o.getLakeShards(),
        Duration.standardMinutes(o.getLakeLateFiringMinutes()),
        o.getLateFileScanHours(),
        Duration.standardMinutes(o.getWatermarkDelayMinutes()),
        startAt,
        clock);
  }

  /** {@code --startAt}: empty (the oldest open day), a UTC day, or an ISO-8601 instant. */
  static long startAt(String value) {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      return Long.MIN_VALUE;
    }
    try {
      return LocalDate.parse(v).toEpochDay() * ONE_DAY.getMillis();
    } catch (DateTimeParseException e) {
      try {
        return java.time.Instant.parse(v).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(
            "--startAt=" + v + ": not a UTC day (YYYY-MM-DD) or an instant (2026-11-29T00:00:00Z)");
      }
    }
  }

  /**
   * The client-IP policy: the hash key (see {@link IpHashKey} for where it comes from; a generated
   * one lives beside the embedded warehouse, or in ./data for other warehouses) and the flags.
   */
  static ClientIpPolicy clientIpPolicy(SecurityPingsOptions o, WarehouseUrl warehouse) {
    Path defaultKey =
        warehouse.dialect() == Dialect.DUCKDB
            ? Paths.get(warehouse.duckDbFile()).toAbsolutePath().resolveSibling(DEFAULT_KEY_FILE)
            : Paths.get(WarehouseUrl.DEFAULT_EMBEDDED).toAbsolutePath().resolveSibling(DEFAULT_KEY_FILE);
    IpHashKey.Resolved key = IpHashKey.resolve(o.getIpHashKeyFile(), defaultKey);
    return new ClientIpPolicy(
        key.pseudonymizer(), Boolean.TRUE.equals(o.getStoreNetwork()), Boolean.TRUE.equals(o.getStoreClientIpInClear()));
  }

  /** Name of the generated IP hash key file, beside the embedded warehouse. */
  public static final String DEFAULT_KEY_FILE = "ip-hash.key";

  /** {@code --lake}: empty (off), a folder (not a file), or a URL of a registered Beam filesystem. */
  private static String validateLake(SecurityPingsOptions o) {
    String lake = o.getLake() == null ? "" : o.getLake().trim();
    if (lake.isEmpty()) {
      return "";
    }
    if (lake.contains("://")) {
      FileSystems.setDefaultPipelineOptions(o);
      try {
        FileSystems.matchNewResource(lake, true);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--lake=" + lake + ": no Beam filesystem for this scheme in this build (" + e.getMessage() + ")");
      }
    } else if (Files.exists(Paths.get(lake)) && !Files.isDirectory(Paths.get(lake))) {
      throw new IllegalArgumentException("--lake=" + lake + ": is a file, not a folder");
    }
    return lake;
  }

  private static LocalDate day(String option, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + "=" + value + ": not a date (YYYY-MM-DD)");
    }
  }

  private static void positive(String option, Integer v, int min) {
    if (v == null || v < min) {
      throw new IllegalArgumentException(option + "=" + v + ": must be at least " + min);
    }
  }

  /**
   * Opens what the job needs before it is submitted, so a bad database file or an unreachable
   * warehouse fails at start-up with a message instead of inside a running job.
   */
  public static void checkResources(SecurityPingsOptions o, Config c) {
    if (!o.getGeoipCityDatabase().isEmpty()) {
      GeoLookups.shared(
          o.getGeoipCityDatabase(), o.getGeoipAsnDatabase().isEmpty() ? null : o.getGeoipAsnDatabase());
    } else if (!o.getGeoipAsnDatabase().isEmpty()) {
      throw new IllegalArgumentException(
          "--geoipAsnDatabase needs --geoipCityDatabase as well (the ASN lookup adds to the city one)");
    }
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
                  c.input(), KeyLayout.CLOUDFRONT_HOURS, c.timing(), c.pollInterval(), c.clock(), NAME));
      // One worker polls; every worker parses.
      files =
          tailed
              .get(TailLogFiles.FILES)
              .apply("RedistributeFiles", Reshuffle.viaRandomKey())
              .setCoder(MetadataCoderV2.of());
      lateFiles = tailed.get(TailLogFiles.LATE_FILES);
    }

    ParseSecurityPingLogs parse =
        ParseSecurityPingLogs.of(
            c.rules(),
            c.fromEpochDay(),
            c.toEpochDay(),
            o.getGeoipCityDatabase(),
            o.getGeoipAsnDatabase(),
            c.clientIps());
    PCollectionTuple parsed;
    PCollection<Timed<ServerDay>> serverDays;
    PCollection<Timed<DayTotals>> totals;
    if (c.bounded()) {
      // Backfill: hash-aggregated server-day shards (see ServerDayShard); no savepoints to keep.
      parsed =
          files.apply("ParseSecurityPings", parse.aggregatingIntoShards(!c.lake().isEmpty()));
      PCollection<KV<Integer, ServerDayShard>> shards =
          parsed
              .get(ParseSecurityPingLogs.SERVER_DAY_SHARDS)
              .apply("AggregateServerDays", new CombineServerDayShards());
      serverDays =
          shards
              .apply("ExplodeServerDays", new ExplodeServerDays())
              .apply(
                  "AttachServerDayTiming",
                  AttachPaneTiming.<ServerDay>ofBackfill(
                      c.clock(), c.watermarkDelay(), c.allowedLateness(), d -> dayEnd(d.logEpochDay())));
      totals =
          shards
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
      serverDays =
          windowed.apply(
              "AttachServerDayTiming", AttachPaneTiming.<ServerDay>ofPanes(c.clock(), c.watermarkDelay()));
      totals =
          windowed
              .apply(
                  "AggregateDailyTotals", new AggregateDailyTotals(c.allowedLateness(), c.earlyFiring()))
              .apply(
                  "AttachTotalsTiming", AttachPaneTiming.<DayTotals>ofPanes(c.clock(), c.watermarkDelay()));
    }
    serverDays.apply(
        "WriteServerDaily",
        WriteToWarehouse.to(c.warehouse(), new SecurityTables.ServerDailyBinding(c.clientIps())));
    totals.apply(
        "WriteDailyTotals", WriteToWarehouse.to(c.warehouse(), new SecurityTables.DailyTotalsBinding()));

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
                  c.lake(), c.clientIps(), c.lakeShards(), c.allowedLateness(), c.lakeLateFiring()));
    }
  }

  private static long dayEnd(int epochDay) {
    return (epochDay + 1L) * ONE_DAY.getMillis();
  }
}
