package dw.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Ground truth written as JSON lines (one array per row), in the shape {@link GroundTruth#query} returns. */
final class JsonTruth {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonTruth() {}

  /** Rows as "a|b|c" (JSON null as empty), sorted. */
  static List<String> rows(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      StringBuilder sb = new StringBuilder();
      int i = 0;
      for (JsonNode v : JSON.readTree(line)) {
        sb.append(i++ > 0 ? "|" : "").append(v.isNull() ? "" : v.asText());
      }
      out.add(sb.toString());
    }
    Collections.sort(out);
    return out;
  }

  /** Rows whose first column is {@code first}. */
  static List<String> withFirst(List<String> rows, String first) {
    return rows.stream().filter(r -> r.startsWith(first + "|")).toList();
  }

  static JsonNode summary(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  /** The non-zero entries of a summary's "filtered" object. */
  static Map<String, Long> filtered(JsonNode summary) {
    Map<String, Long> m = new TreeMap<>();
    summary.get("filtered").fields().forEachRemaining(e -> {
      if (e.getValue().asLong() != 0) {
        m.put(e.getKey(), e.getValue().asLong());
      }
    });
    return m;
  }
}
