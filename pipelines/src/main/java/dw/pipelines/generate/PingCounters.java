package dw.pipelines.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link SecurityPingGenerator} wrote, counted as it writes: the lines a pipeline must count
 * as filtered (per reason) or dead-lettered (per reason), the parsed pings, header lines, files,
 * and the informational counters of the summary.
 */
final class PingCounters {
  final long[] filtered = new long[SecurityPingGenerator.FILTER_REASONS.size()];
  final long[] dead = new long[SecurityPingGenerator.DEAD_LETTER_REASONS.size()];
  /** Informational counters of what was generated (insertion order = summary order). */
  private final Map<String, long[]> generated = new LinkedHashMap<>();
  long parsedPings;
  long linesWritten;
  long headerLines;
  int files;

  PingCounters() {
    for (String k : List.of("servers", "days", "server_days", "ping_lines", "duplicate_lines", "boundary_lines",
        "day_boundary_lines", "stray_tab_lines", "status_000_lines", "ipv6_ping_lines", "unknown_country_ping_lines",
        "missing_count_param_pings", "ip_changes_within_day", "version_changes_within_day",
        "server_days_latest_below_max", "old_layout_files", "bulletin_lines", "favicon_lines", "other_path_lines",
        "non_go_client_lines", "test_query_lines", "not_get_lines", "missing_id_lines", "truncated_lines",
        "garbage_lines", "bad_timestamp_lines", "bad_number_lines")) {
      generated.put(k, new long[1]);
    }
    for (String c : PingServers.CATEGORY_NAMES) {
      generated.put("servers_" + c, new long[1]);
    }
  }

  void bump(String key, long by) {
    generated.get(key)[0] += by;
  }

  Map<String, Long> generatedSnapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    generated.forEach((k, v) -> m.put(k, v[0]));
    return m;
  }
}
