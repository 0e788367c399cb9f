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

  private CounterNames() {}

  public static String filtered(String reasonCode) {
    return FILTERED_PREFIX + reasonCode;
  }

  public static String rowsWritten(String table) {
    return ROWS_WRITTEN_PREFIX + table;
  }
}
