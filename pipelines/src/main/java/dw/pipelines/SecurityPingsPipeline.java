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
import dw.transforms.daily.WindowIntoDays;
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
      TailClock clock) {}

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
        clock);
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
    if (LogStore.listableByPrefix(c.input())) {
      LogStore store = LogStore.forInput(c.input());
      store.open(o);
      store.checkListable();
    }
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
                  c.input(),
                  (int) c.allowedLateness().getStandardHours(),
                  c.lateFileScanHours(),
                  c.pollInterval(),
                  c.clock(),
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
                  c.lake(), c.clientIps(), c.lakeShards(), c.allowedLateness(), c.lakeLateFiring()));
    }
  }
}
