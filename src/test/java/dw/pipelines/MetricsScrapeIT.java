package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.pipelines.generate.SecurityPingGenerator;
import dw.testing.FlinkJobs;
import dw.testing.WebhookReceiver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scrapes the Prometheus reporter of a real local Flink cluster (flink-conf/local-cluster: a
 * JobManager and a TaskManager as their own JVMs, the loopback Prometheus reporter) while
 * security-pings streams, and checks that every metric name the Grafana dashboards and the alert
 * rules in monitoring/ use is served, with plausible values (lines read = the lines of the files
 * added, the source watermark, the freshness and the GeoIP build time as generated). Writes the
 * names it saw to target/scraped-metrics.txt; monitoring/scraped-metrics.txt is that list, checked in
 * (MonitoringNamesTest compares the dashboards and rules with it without a cluster).
 *
 * <p>Needs the packaged job jar ({@code mvn package}; {@code -Ddw.clusterJar=...}) and PostgreSQL
 * on 127.0.0.1 (TestPostgres). Leaves no process behind.
 */
class MetricsScrapeIT {
  static final Path REPO = Paths.get("").toAbsolutePath();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String SCHEMA = "dw_metrics_scrape_" + Long.toHexString(System.nanoTime());
  /** A Prometheus sample line: name, optional labels, value. */
  static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

  static Path work;
  static WebhookReceiver chat;
  static Map<String, String> env;
  static String rest;
  static List<Integer> promPorts;

  @BeforeAll
  static void startCluster() throws Exception {
    work = REPO.resolve("target/it-metrics");
    deleteTree(work);
    Files.createDirectories(work);
    int restPort = freePort();
    int prom = freePort();
    promPorts = List.of(prom, prom + 1);
    env = new LinkedHashMap<>();
    env.put("DW_FLINK_HOME", work.resolve("cluster").toString());
    env.put("DW_FLINK_REST_PORT", String.valueOf(restPort));
    env.put("DW_FLINK_RPC_PORT", String.valueOf(freePort()));
    env.put("DW_FLINK_BLOB_PORT", String.valueOf(freePort()));
    env.put("DW_FLINK_PROM_PORTS", prom + "-" + (prom + 1));
    // the chat webhook secret, as on Kubernetes: in the environment of the cluster's processes
    chat = new WebhookReceiver();
    env.put("DW_ALERT_WEBHOOK_URL", chat.url());
    // the Flink jars are resolved once (flink-conf/pom.xml) and shared with local-cluster's default
    env.put("DW_FLINK_LIB", REPO.resolve("target/local-cluster/lib").toString());
    rest = "http://127.0.0.1:" + restPort;
    Run start = run(List.of("flink-conf/local-cluster", "start"), 300);
    assertEquals(0, start.code, "local-cluster start failed:\n" + start.output);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    try {
      if (env != null) {
        Run stop = run(List.of("flink-conf/local-cluster", "stop"), 120);
        assertEquals(0, stop.code, stop.output);
        Run status = run(List.of("flink-conf/local-cluster", "status"), 60);
        assertTrue(status.output.contains("jobmanager: not running") && status.output.contains("taskmanager: not running"),
            "processes left behind: " + status.output);
      }
    } finally {
      TestPostgres.dropSchema(SCHEMA);
      deleteTree(work);
      if (chat != null) {
        chat.close();
      }
    }
  }

  static Path jar() {
    String given = System.getProperty("dw.clusterJar", "");
    Path cluster = REPO.resolve("target/dw-pipelines-cluster.jar");
    Path jar = !given.isEmpty() ? Paths.get(given) : Files.isRegularFile(cluster) ? cluster : REPO.resolve("target/dw-pipelines.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: run `mvn package` first");
    return jar;
  }

  @Test
  void everyMetricTheDashboardsAndAlertsUseIsScraped() throws Exception {
    LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    Path generated = work.resolve("generated");
    new SecurityPingGenerator(new SecurityPingGenerator.Config(generated).from(day).to(day).servers(80).seed(12)).generate();
    List<Path> files = SecurityPingsFlinkTest.logFiles(generated);
    long lines = 0;
    for (Path f : files) {
      lines += lineCount(f);
    }
    Path watched = Files.createDirectories(work.resolve("watched"));
    Path mmdb = DemoGeoDatabase.write(work.resolve("geo.mmdb"));
    long geoBuild;
    try (var reader = new com.maxmind.db.Reader(mmdb.toFile())) {
      geoBuild = reader.getMetadata().buildTime().getEpochSecond();
    }
    Path key = Files.writeString(work.resolve("ip-hash.key"), "00112233445566778899aabbccddeeff\n");
    String warehouse = TestPostgres.createSchema(SCHEMA);
    SecurityPingsFlinkTest.moveAll(files, generated, watched);
    long submitted = System.currentTimeMillis();
    Run r = run(List.of("flink-conf/flink", "run", "-d", "-p", "1", jar().toString(), "security-pings",
        "--input=" + watched, "--warehouse=" + warehouse, "--geoipCityDatabase=" + mmdb,
        "--ipHashKeyFile=" + key, "--pollIntervalSeconds=2", "--earlyFiringSeconds=2",
        "--checkpointingInterval=3000", "--allowedLatenessHours=50",
        // the generated logs have well under 1 % dead letters: a threshold below that must alert
        "--deadLetterAlertShare=0.001", "--alertWindowMinutes=1"), 300);
    assertEquals(0, r.code, "flink run -d:\n" + r.output);

    // Wait until lines_read counts every line added and every name the dashboards and rules use
    // is served (the daily totals are written a little after the server days), then compare.
    Set<String> used = MonitoringNamesTest.namesUsed();
    Map<String, Double> sums = new TreeMap<>();
    long deadline = System.currentTimeMillis() + 240_000;
    while (true) {
      sums.clear();
      sums.putAll(scrape());
      boolean counted = sums.getOrDefault("flink_taskmanager_job_task_operator_dw_lines_read", -1.0) == lines;
      if (counted && sums.keySet().containsAll(used)
          && sums.getOrDefault("flink_jobmanager_job_numberOfCompletedCheckpoints", 0.0) > 0) {
        break;
      }
      if (System.currentTimeMillis() > deadline) {
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(sums.keySet());
        assertEquals(Set.of(), missing, "names the dashboards/rules use that the cluster does not serve");
        assertEquals((double) lines, sums.get("flink_taskmanager_job_task_operator_dw_lines_read"),
            "lines_read = the lines of the files added");
        throw new AssertionError("no completed checkpoint: " + sums.get("flink_jobmanager_job_numberOfCompletedCheckpoints"));
      }
      Thread.sleep(1000);
    }
    Files.write(REPO.resolve("target/scraped-metrics.txt"), new TreeSet<>(sums.keySet()), StandardCharsets.UTF_8);

    // plausible values
    double watermark = sums.get("flink_taskmanager_job_task_operator_dw_source_watermark_millis");
    assertTrue(watermark <= submitted && watermark >= day.minusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
        "source watermark " + watermark);
    double newest = sums.get("flink_taskmanager_job_task_operator_dw_newest_event_millis_security_server_daily");
    assertTrue(newest >= day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
        && newest < day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), "freshness " + newest);
    assertEquals((double) geoBuild, sums.get("flink_taskmanager_job_task_operator_dw_geoip_build_epoch_seconds"));
    assertEquals(0.0, sums.get("flink_jobmanager_job_numRestarts"));
    assertEquals((double) files.size(), sums.get("flink_taskmanager_job_task_operator_dw_files_read"));

    // The dead-letter share alert, posted by the TaskManager to the receiver named in its
    // environment, once (rate limit) for the window holding all the lines.
    FlinkJobs.waitFor(() -> !chat.bodies.isEmpty(), "the dead-letter share alert from the cluster");
    String text = new com.fasterxml.jackson.databind.ObjectMapper().readTree(chat.bodies.get(0)).get("text").asText();
    long dead = Math.round(sums.get("flink_taskmanager_job_task_operator_dw_dead_lettered"));
    long parsed = Math.round(sums.get("flink_taskmanager_job_task_operator_dw_parsed_pings"));
    Matcher m = Pattern.compile("\\((\\d+) dead letters of (\\d+) records\\)").matcher(text);
    assertTrue(text.contains("**security-pings**: dead-letter share") && m.find(), text);
    long windowDead = Long.parseLong(m.group(1));
    long windowRecords = Long.parseLong(m.group(2));
    // one processing-time window: all the lines, or the part of them parsed within that minute
    assertTrue(windowDead > 0 && windowDead <= dead && windowRecords >= 100 && windowRecords <= dead + parsed
        && windowDead > 0.001 * windowRecords, text + " vs totals " + dead + "/" + (dead + parsed));
    assertEquals(1, chat.bodies.size(), "one message within the rate limit: " + chat.bodies);
  }

  /** Every sample of both reporters (JobManager, TaskManager), summed per metric name. */
  static Map<String, Double> scrape() throws Exception {
    Map<String, Double> sums = new TreeMap<>();
    for (int port : promPorts) {
      HttpResponse<String> resp;
      try {
        resp = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException notYet) {
        continue;
      }
      for (String line : resp.body().split("\n")) {
        Matcher m = SAMPLE.matcher(line);
        if (!line.startsWith("#") && m.find()) {
          double v;
          try {
            v = Double.parseDouble(m.group(3));
          } catch (NumberFormatException e) {
            continue;
          }
          sums.merge(m.group(1), v, Double::sum);
        }
      }
    }
    return sums;
  }

  static long lineCount(Path gz) throws IOException {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
      return r.lines().count();
    }
  }

  record Run(int code, String output) {}

  static Run run(List<String> command, int timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path log = Files.createTempFile(work, "run", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(command + " did not end within " + timeoutSeconds + " s:\n" + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
