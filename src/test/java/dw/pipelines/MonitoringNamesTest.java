package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards and Prometheus rules in monitoring/ use only metric names that the scrape
 * of a real cluster found (monitoring/scraped-metrics.txt, written by MetricsScrapeIT), and
 * docs/monitoring.md documents each of them.
 */
class MonitoringNamesTest {
  static final Path MONITORING = Paths.get("monitoring");
  static final Pattern NAME = Pattern.compile("\\bflink_[a-zA-Z0-9_]+");

  /** Every metric name in the dashboards' and rules' expressions. */
  static Set<String> namesUsed() throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> s = Files.walk(MONITORING)) {
      for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".yaml"))::iterator) {
        Matcher m = NAME.matcher(Files.readString(p));
        while (m.find()) {
          names.add(m.group());
        }
      }
    }
    return names;
  }

  @Test
  void dashboardsAreProvisioningReady() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> uids = new TreeSet<>();
    try (Stream<Path> s = Files.list(MONITORING.resolve("grafana"))) {
      for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".json"))::iterator) {
        JsonNode d = json.readTree(p.toFile());
        assertTrue(uids.add(d.path("uid").asText()), p + ": uid missing or not unique");
        assertTrue(d.path("id").isMissingNode(), p + ": no numeric id in a provisioned dashboard");
        assertEquals("datasource", d.path("templating").path("list").get(0).path("name").asText(),
            p + ": the Prometheus data source is a variable (no installation-specific uid)");
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : d.path("panels")) {
          assertTrue(ids.add(panel.path("id").asInt()), p + ": panel ids unique");
          if (!panel.path("type").asText().equals("row")) {
            assertTrue(panel.path("targets").size() > 0, p + ": " + panel.path("title") + " has no query");
            for (JsonNode t : panel.path("targets")) {
              assertEquals("${datasource}", t.path("datasource").path("uid").asText(), p + ": " + panel.path("title"));
              assertTrue(NAME.matcher(t.path("expr").asText()).find(), p + ": " + panel.path("title") + ": " + t);
            }
          }
        }
      }
    }
    assertEquals(Set.of("dw-push-proxy", "dw-security-pings"), uids, "one dashboard per pipeline family");
  }

  @Test
  void dashboardsAndRulesUseOnlyScrapedNamesAndDocumentThem() throws IOException {
    Set<String> used = namesUsed();
    assertTrue(used.size() > 15, "dashboards and rules found: " + used);
    Set<String> scraped = new TreeSet<>(Files.readAllLines(MONITORING.resolve("scraped-metrics.txt")));
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(scraped);
    assertEquals(Set.of(), missing, "used but never scraped (monitoring/scraped-metrics.txt)");
    String doc = Files.readString(Paths.get("docs/monitoring.md"));
    Set<String> undocumented = new TreeSet<>();
    for (String n : used) {
      if (!doc.contains("`" + n + "`")) {
        undocumented.add(n);
      }
    }
    assertEquals(Set.of(), undocumented, "used but not in docs/monitoring.md's table");
  }
}
