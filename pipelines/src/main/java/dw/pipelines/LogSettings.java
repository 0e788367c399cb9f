package dw.pipelines;

import dw.io.files.HourTail;
import dw.io.files.LogStore;
import dw.io.files.TailClock;
import dw.io.snowflake.SnowflakeOptions;
import dw.io.warehouse.Dialect;
import dw.io.warehouse.WarehouseUrl;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpHashKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.apache.beam.sdk.io.FileSystems;
import org.joda.time.Duration;

/**
 * The validated settings every log pipeline shares, from {@link LogPipelineOptions}: each wrong
 * option is named with the reason.
 */
public record LogSettings(
    String input,
    boolean bounded,
    int fromEpochDay,
    int toEpochDay,
    WarehouseUrl warehouse,
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

  /** Name of the generated IP hash key file, beside the embedded warehouse. */
  public static final String DEFAULT_KEY_FILE = "ip-hash.key";

  /**
   * Checks the shared options and says which one is wrong and why.
   *
   * <p>{@code --allowedLatenessHours} and {@code --watermarkDelayMinutes} have per-pipeline defaults
   * (see {@link LogPipelineOptions}).
   */
  public static LogSettings validate(LogPipelineOptions o) {
    Integer allowedLatenessHours = o.getAllowedLatenessHours();
    Integer watermarkDelayMinutes = o.getWatermarkDelayMinutes();
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
    atLeast("--allowedLatenessHours", allowedLatenessHours, 0);
    atLeast("--earlyFiringSeconds", o.getEarlyFiringSeconds(), 1);
    atLeast("--pollIntervalSeconds", o.getPollIntervalSeconds(), 1);
    WarehouseUrl warehouse =
        WarehouseUrl.parse(o.getWarehouse(), System.getenv(), SnowflakeOptions.overrides(o));
    if (!bounded && warehouse.dialect() == Dialect.SNOWFLAKE) {
      warehouse.snowflake().checkStreaming();
    }
    String lake = validateLake(o);
    atLeast("--lakeShards", o.getLakeShards(), 1);
    if (o.getLakeShards() > 16) {
      throw new IllegalArgumentException("--lakeShards=" + o.getLakeShards() + ": at most 16 (small files)");
    }
    atLeast("--lakeLateFiringMinutes", o.getLakeLateFiringMinutes(), 1);
    atLeast("--lateFileScanHours", o.getLateFileScanHours(), 0);
    atLeast("--watermarkDelayMinutes", watermarkDelayMinutes, 0);
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
    return new LogSettings(
        input,
        bounded,
        fromDay,
        toDay,
        warehouse,
        Duration.standardHours(allowedLatenessHours),
        Duration.standardSeconds(o.getEarlyFiringSeconds()),
        Duration.standardSeconds(o.getPollIntervalSeconds()),
        clientIpPolicy(o, warehouse),
        lake,
        o.getLakeShards(),
        Duration.standardMinutes(o.getLakeLateFiringMinutes()),
        o.getLateFileScanHours(),
        Duration.standardMinutes(watermarkDelayMinutes),
        startAt,
        clock);
  }

  /** The streaming source's time model for windows of {@code window} (see {@link HourTail}). */
  public HourTail.Timing timing(Duration window) {
    return new HourTail.Timing(
        window.getMillis(),
        allowedLateness.getMillis(),
        watermarkDelay.getMillis(),
        lateFileScanHours * 3_600_000L,
        startAtMillis);
  }

  /**
   * Where a stream's first start begins: {@code --startAt}, or the oldest window still open now
   * (now − watermark delay − allowed lateness), floored to a window. Fixed when the job is built, so
   * the source starts there and the parse step filters events before it (the file of the hour
   * before the start also holds requests of the day before, whose window is not read whole).
   */
  public long streamStart(Duration window) {
    long t =
        startAtMillis != Long.MIN_VALUE
            ? startAtMillis
            : clock.nowMillis() - watermarkDelay.getMillis() - allowedLateness.getMillis();
    return Math.floorDiv(t, window.getMillis()) * window.getMillis();
  }

  /** {@code --startAt}: empty (the oldest open window), a UTC day, or an ISO-8601 instant. */
  static long startAt(String value) {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      return Long.MIN_VALUE;
    }
    try {
      return LocalDate.parse(v).toEpochDay() * 86_400_000L;
    } catch (DateTimeParseException e) {
      try {
        return java.time.Instant.parse(v).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(
            "--startAt=" + v + ": not a UTC day (YYYY-MM-DD) or an instant (2026-11-29T00:00:00Z)");
      }
    }
  }

  /** Whole hours of allowed lateness (the streaming source closes its time prefixes after them). */
  public int allowedLatenessHours() {
    return (int) allowedLateness.getStandardHours();
  }

  /**
   * The client-IP policy: the hash key (see {@link IpHashKey} for where it comes from; a generated
   * one lives beside the embedded warehouse, or in ./data for other warehouses) and the flags.
   */
  static ClientIpPolicy clientIpPolicy(PrivacyOptions o, WarehouseUrl warehouse) {
    Path defaultKey =
        warehouse.dialect() == Dialect.DUCKDB
            ? Paths.get(warehouse.duckDbFile()).toAbsolutePath().resolveSibling(DEFAULT_KEY_FILE)
            : Paths.get(WarehouseUrl.DEFAULT_EMBEDDED).toAbsolutePath().resolveSibling(DEFAULT_KEY_FILE);
    IpHashKey.Resolved key = IpHashKey.resolve(o.getIpHashKeyFile(), defaultKey);
    return new ClientIpPolicy(
        key.pseudonymizer(),
        Boolean.TRUE.equals(o.getStoreNetwork()),
        Boolean.TRUE.equals(o.getStoreClientIpInClear()));
  }

  /** {@code --lake}: empty (off), a folder (not a file), or a URL of a registered Beam filesystem. */
  private static String validateLake(LogPipelineOptions o) {
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

  static void atLeast(String option, Integer v, int min) {
    if (v == null || v < min) {
      throw new IllegalArgumentException(option + "=" + v + ": must be at least " + min);
    }
  }
}
