package dw.pipelines;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.PushProxyGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The push-proxy generator's ground truth, and the same shape read back from a warehouse. */
final class PushProxyTruth {
  static final String HOURLY_SQL =
      "SELECT CAST(hour AS VARCHAR), deployment, route, aws_region, load_balancer, requests, answered,"
          + " rate_limited, client_errors, server_errors, target_p50_ms, target_p95_ms, target_p99_ms,"
          + " received_bytes, sent_bytes FROM push_proxy_hourly";
  static final String BY_COUNTRY_SQL =
      "SELECT CAST(hour AS VARCHAR), deployment, route, country_iso, requests, answered"
          + " FROM push_proxy_hourly_by_country";
  static final String PANES_SQL =
      "SELECT pane_timing, is_final, COUNT(*) FROM push_proxy_hourly GROUP BY 1, 2";
  static final String DEAD_SQL = "SELECT COUNT(*) FROM dead_letters WHERE pipeline = 'push-proxy'";

  private PushProxyTruth() {}

  static List<String> csv(Path output, String file) throws IOException {
    List<String> lines = Files.readAllLines(output.resolve(PushProxyGenerator.TRUTH_DIR).resolve(file));
    List<String> out = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      if (!l.isBlank()) {
        out.add(String.join("|", GroundTruth.splitCsv(l)));
      }
    }
    Collections.sort(out);
    return out;
  }

  static JsonNode summary(Path output) throws IOException {
    return new ObjectMapper()
        .readTree(output.resolve(PushProxyGenerator.TRUTH_DIR).resolve(PushProxyGenerator.SUMMARY_JSON).toFile());
  }

  /** Every table equals the truth; the run summary's accounting too. */
  static void assertEqualsTruth(Path output, WarehouseUrl url, RunSummary s) throws Exception {
    JsonNode truth = summary(output);
    org.junit.jupiter.api.Assertions.assertTrue(s.balanced(), s.toJsonLine());
    for (String k : List.of("files", "lines_read", "header_lines", "parsed_requests", "dead_lettered")) {
      org.junit.jupiter.api.Assertions.assertEquals(truth.get(k).asLong(), s.json().get(k).asLong(), k);
    }
    ObjectMapper m = new ObjectMapper();
    org.junit.jupiter.api.Assertions.assertEquals(
        m.convertValue(truth.get("filtered"), new TypeReference<Map<String, Long>>() {}),
        m.convertValue(s.json().get("filtered"), new TypeReference<Map<String, Long>>() {}));
    org.junit.jupiter.api.Assertions.assertEquals(0, s.json().get("late_dropped").asLong());
    assertTables(output, url);
  }

  static void assertTables(Path output, WarehouseUrl url) throws Exception {
    JsonNode truth = summary(output);
    GroundTruth.assertSameRows(
        csv(output, PushProxyGenerator.HOURLY_CSV), GroundTruth.query(url, HOURLY_SQL), "push_proxy_hourly");
    GroundTruth.assertSameRows(
        csv(output, PushProxyGenerator.BY_COUNTRY_CSV),
        GroundTruth.query(url, BY_COUNTRY_SQL),
        "push_proxy_hourly_by_country");
    org.junit.jupiter.api.Assertions.assertEquals(
        List.of(truth.get("dead_lettered").asText()), GroundTruth.query(url, DEAD_SQL), "dead letters");
  }
}
