package dw.transforms.common;

/**
 * Names of the Beam counters the pipelines keep (namespace {@value #NAMESPACE}). They show on the
 * Flink dashboard as operator metrics and make up the run summary; treat them as an interface.
 */
public final class CounterNames {
  public static final String NAMESPACE = "dw";

  public static final String FILES_READ = "files_read";
  public static final String FILES_SKIPPED = "files_skipped";
  public static final String FILES_FAILED = "files_failed";
  public static final String LINES_READ = "lines_read";
  public static final String HEADER_LINES = "header_lines";
  public static final String PARSED = "parsed_pings";
  public static final String DEAD_LETTERED = "dead_lettered";
  public static final String FILTERED_PREFIX = "filtered_";
  public static final String ROWS_WRITTEN_PREFIX = "rows_written_";
  /** Gauge: newest event time (epoch ms) in rows written to a table, per table. */
  public static final String NEWEST_EVENT_MILLIS_PREFIX = "newest_event_millis_";
  /** Gauge: the streaming source's watermark (epoch ms), set after each complete poll. */
  public static final String SOURCE_WATERMARK_MILLIS = "source_watermark_millis";
  /** Gauge: build time (epoch s) of the GeoIP City database the workers use. */
  public static final String GEOIP_BUILD_EPOCH_SECONDS = "geoip_build_epoch_seconds";
  /** Newer GeoIP databases swapped in by the workers (each JVM counts its own swap). */
  public static final String GEOIP_REFRESHES = "geoip_refreshes";
  /**
   * Replaced GeoIP databases a worker could not use (broken, wrong type, unreadable), so it kept
   * the old ones; each JVM counts each bad file once.
   */
  public static final String GEOIP_REFRESH_FAILURES = "geoip_refresh_failures";
  /** Failed warehouse write batches that are retried (connection loss, deadlock...). */
  public static final String WAREHOUSE_WRITE_RETRIES = "warehouse_write_retries";
  /** Failed warehouse writes that are not retried: the bundle fails and Flink restarts the job. */
  public static final String WAREHOUSE_WRITE_FAILURES = "warehouse_write_failures";

  private CounterNames() {}

  public static String filtered(String reasonCode) {
    return FILTERED_PREFIX + reasonCode;
  }

  public static String rowsWritten(String table) {
    return ROWS_WRITTEN_PREFIX + table;
  }

  public static String newestEventMillis(String table) {
    return NEWEST_EVENT_MILLIS_PREFIX + table;
  }
}
