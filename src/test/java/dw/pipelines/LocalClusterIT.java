package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.PushProxyGenerator;
import dw.pipelines.generate.SecurityPingGenerator;
import dw.testing.FlinkJobs;
import dw.testing.S3ProxyServer;
import dw.transforms.common.CounterNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * security-pings on a real Flink 1.19 session cluster (flink-conf/local-cluster: a JobManager and
 * a TaskManager as separate JVMs on 127.0.0.1), driven as an operator would: the packaged cluster
 * jar submitted with flink-conf/flink (Flink's CLI) and through REST, watched through the REST
 * API, stopped with savepoints and redeployed from them as a changed build at another parallelism
 * (2 -> 1 -> 2), then a backfill of the same days on the cluster. The streaming warehouse equals
 * the generator's ground truth exactly, and the backfill's equals the streaming one. On the same
 * cluster, a second test kills the TaskManager under two streaming jobs and starts a new one
 * (worker failure, docs/reliability.md "Faults").
 *
 * <p>Runs in {@code mvn verify} (failsafe), after {@code package} built the cluster jar. Timings
 * are printed as {@code cluster-timing name=seconds} lines (docs/operations.md "Measured").
 */
class LocalClusterIT {
  static final Path REPO = Paths.get("").toAbsolutePath();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String STREAM_SCHEMA = "dw_cluster_stream_" + Long.toHexString(System.nanoTime());
  static final String BACKFILL_SCHEMA = "dw_cluster_backfill_" + Long.toHexString(System.nanoTime());
  static final String KILL_SCHEMA = "dw_cluster_kill_" + Long.toHexString(System.nanoTime());

  static Path work;
  static Map<String, String> env;
  static String rest;
  static Path jar;
  static final Map<String, Double> timings = new LinkedHashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    jar = Paths.get(System.getProperty("dw.clusterJar", "target/dw-pipelines-cluster.jar")).toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), jar + " is missing: run `mvn verify` (package builds it)");
    work = Files.createDirectories(REPO.resolve("target/it-cluster"));
    deleteTree(work);
    Files.createDirectories(work);
    int restPort = freePort();
    int promPort = freePort();
    env = new LinkedHashMap<>();
    env.put("DW_FLINK_HOME", work.resolve("cluster").toString());
    env.put("DW_FLINK_REST_PORT", String.valueOf(restPort));
    env.put("DW_FLINK_RPC_PORT", String.valueOf(freePort()));
    env.put("DW_FLINK_BLOB_PORT", String.valueOf(freePort()));
    env.put("DW_FLINK_PROM_PORTS", promPort + "-" + (promPort + 1));
    // the Flink jars are resolved once (flink-conf/pom.xml) and shared with local-cluster's default
    env.put("DW_FLINK_LIB", REPO.resolve("target/local-cluster/lib").toString());
    rest = "http://127.0.0.1:" + restPort;
    long t0 = System.nanoTime();
    Run start = run(List.of("flink-conf/local-cluster", "start"), 300);
    timings.put("cluster_start", seconds(t0));
    assertEquals(0, start.code, "local-cluster start failed:\n" + start.output);
    assertTrue(start.output.contains(rest), "start prints the dashboard URL: " + start.output);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    try {
      if (env != null) {
        // cancel whatever still runs, then stop exactly the processes the script started
        try {
          for (JsonNode j : get("/jobs/overview").path("jobs")) {
            if (!j.path("state").asText().matches("FINISHED|CANCELED|FAILED")) {
              send("PATCH", "/jobs/" + j.path("jid").asText() + "?mode=cancel", null);
            }
          }
        } catch (IOException | RuntimeException notRunning) {
          // the cluster is already gone
        }
        Run stop = run(List.of("flink-conf/local-cluster", "stop"), 120);
        assertEquals(0, stop.code, stop.output);
        Run status = run(List.of("flink-conf/local-cluster", "status"), 60);
        assertTrue(status.output.contains("jobmanager: not running") && status.output.contains("taskmanager: not running"),
            "processes left behind: " + status.output);
      }
    } finally {
      TestPostgres.dropSchema(STREAM_SCHEMA);
      TestPostgres.dropSchema(BACKFILL_SCHEMA);
      TestPostgres.dropSchema(KILL_SCHEMA);
      if (work != null) {
        deleteTree(work);
      }
      timings.forEach((k, v) -> System.out.printf("cluster-timing %s=%.1f%n", k, v));
    }
  }

  @Test
  void streamRedeployAtOtherParallelismsThenBackfillOnTheCluster() throws Exception {
    // The dashboard is served.
    HttpResponse<String> index = HTTP.send(HttpRequest.newBuilder(URI.create(rest + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("Apache Flink Web Dashboard"), index.body());

    // Two whole past days (every file's hour has begun on the cluster's clock) with their truth,
    // whose on-time result is due: the stream's watermark is now - watermarkDelayMinutes, so the
    // later day ended more than that ago, with 15 minutes for this test's own run. (Just after
    // midnight UTC, yesterday's on-time result is not due yet: its rows would all still be EARLY.)
    int watermarkDelayMinutes = 75;
    LocalDate to =
        java.time.LocalDateTime.now(ZoneOffset.UTC).minusMinutes(watermarkDelayMinutes + 15L).toLocalDate().minusDays(1);
    LocalDate from = to.minusDays(1);
    Path generated = work.resolve("generated");
    new SecurityPingGenerator(
            new SecurityPingGenerator.Config(generated).from(from).to(to).servers(150).seed(15))
        .generate();
    // in the order CloudFront delivers them: hour by hour, all distributions of an hour together
    List<Path> files = new ArrayList<>(SecurityPingsFlinkTest.logFiles(generated));
    Pattern hour = Pattern.compile("\\.(\\d{4}-\\d{2}-\\d{2}-\\d{2})\\.");
    files.sort(Comparator.comparing((Path f) -> {
          Matcher m = hour.matcher(f.getFileName().toString());
          return m.find() ? m.group(1) : "";
        })
        .thenComparing(Path::toString));
    int third = files.size() / 3;
    List<List<Path>> batches =
        List.of(files.subList(0, third), files.subList(third, 2 * third), files.subList(2 * third, files.size()));
    Path watched = Files.createDirectories(work.resolve("watched"));
    Path mmdb = DemoGeoDatabase.write(work.resolve("geo.mmdb"));
    Path key = Files.writeString(work.resolve("ip-hash.key"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
    Path savepoints = Files.createDirectories(work.resolve("savepoints"));
    String streamUrl = TestPostgres.createSchema(STREAM_SCHEMA);
    String backfillUrl = TestPostgres.createSchema(BACKFILL_SCHEMA);
    List<String> common =
        List.of(
            "--warehouse=" + streamUrl,
            "--geoipCityDatabase=" + mmdb,
            "--ipHashKeyFile=" + key);
    List<String> streaming = new ArrayList<>(List.of("security-pings", "--input=" + watched));
    streaming.addAll(common);
    streaming.addAll(List.of(
        "--pollIntervalSeconds=2",
        "--earlyFiringSeconds=2",
        "--checkpointingInterval=5000",
        "--watermarkDelayMinutes=" + watermarkDelayMinutes,
        // the tail lists hours from now - lateness: cover both generated days (at most 74 h ago)
        "--allowedLatenessHours=80"));

    // REST submission runs main() inside the JobManager: a refused option is an error reply, and
    // the JobManager survives it (no System.exit).
    String uploaded = upload(jar);
    JsonNode refused = send("POST", "/jars/" + uploaded + "/run",
        JSON.createObjectNode().set("programArgsList",
            JSON.valueToTree(List.of("security-pings", "--input=" + watched))));
    assertTrue(refused.toString().contains("--warehouse"), "REST run without --warehouse: " + refused);
    assertEquals(1, get("/overview").path("taskmanagers").asInt(), "the JobManager must survive a failed REST run");

    // 1. Files of the first third; submit detached with the CLI at parallelism 2.
    SecurityPingsFlinkTest.moveAll(batches.get(0), generated, watched);
    List<String> submit1 = new ArrayList<>(List.of("flink-conf/flink", "run", "-d", "-p", "2", jar.toString()));
    submit1.addAll(streaming);
    long t0 = System.nanoTime();
    Run r1 = run(submit1, 300);
    assertEquals(0, r1.code, "flink run -d must return 0:\n" + r1.output);
    String job1 = jobId(r1.output);
    waitRunning(job1);
    timings.put("submit_to_running", seconds(t0));
    JsonNode job = get("/jobs/" + job1);
    assertEquals("security-pings stream " + watched, job.path("name").asText(), "the job's name in the dashboard");
    assertTrue(job.path("vertices").toString().contains("TailLogFiles"), job.toString());
    waitCounter(job1, CounterNames.FILES_READ, batches.get(0).size());
    String sp1 = stopWithSavepoint(job1, savepoints);

    // 2. More files; a changed build (another jar, an extra option) from the savepoint at -p 1.
    SecurityPingsFlinkTest.moveAll(batches.get(1), generated, watched);
    Path changed = changedBuild(jar, work.resolve("dw-pipelines-cluster-v2.jar"));
    List<String> submit2 = new ArrayList<>(List.of("flink-conf/flink", "run", "-d", "-p", "1", "-s", sp1, changed.toString()));
    submit2.addAll(streaming);
    submit2.add("--jobName=security-pings stream v2");
    t0 = System.nanoTime();
    Run r2 = run(submit2, 300);
    assertEquals(0, r2.code, "restore at parallelism 1:\n" + r2.output);
    String job2 = jobId(r2.output);
    waitRunning(job2);
    timings.put("restore_p1_to_running", seconds(t0));
    assertEquals("security-pings stream v2", get("/jobs/" + job2).path("name").asText());
    JsonNode restored = get("/jobs/" + job2 + "/checkpoints").path("latest").path("restored");
    assertTrue(restored.path("is_savepoint").asBoolean(), "restored from the savepoint: " + restored);
    for (JsonNode v : get("/jobs/" + job2).path("vertices")) {
      assertEquals(1, v.path("parallelism").asInt(), "every vertex at parallelism 1: " + v);
    }
    // the tail's state came back: only the new files are read
    waitCounter(job2, CounterNames.FILES_READ, batches.get(1).size());
    String sp2 = stopWithSavepoint(job2, savepoints);

    // 3. The last files; back to parallelism 2 from the second savepoint, submitted through REST.
    SecurityPingsFlinkTest.moveAll(batches.get(2), generated, watched);
    var runBody = JSON.createObjectNode();
    runBody.set("programArgsList", JSON.valueToTree(streaming));
    runBody.put("parallelism", 2);
    runBody.put("savepointPath", sp2);
    t0 = System.nanoTime();
    JsonNode r3 = send("POST", "/jars/" + uploaded + "/run", runBody);
    String job3 = r3.path("jobid").asText();
    assertTrue(job3.matches("[0-9a-f]{32}"), "REST run returns the job id: " + r3);
    waitRunning(job3);
    timings.put("restore_p2_rest_to_running", seconds(t0));
    waitCounter(job3, CounterNames.FILES_READ, batches.get(2).size());
    WarehouseUrl stream = WarehouseUrl.parse(streamUrl);
    List<String> totals = GroundTruth.csv(generated, SecurityPingGenerator.DAILY_TOTALS_CSV);
    List<String> servers = GroundTruth.csv(generated, SecurityPingGenerator.SERVER_DAILY_CSV);
    // the last early firing after the last file makes the tables whole: wait for that state
    FlinkJobs.waitFor(
        () -> GroundTruth.query(stream, GroundTruth.TOTALS_SQL).equals(totals)
            && GroundTruth.query(stream, GroundTruth.SERVERS_SQL).equals(servers),
        "the streaming warehouse to reach the ground truth");
    JsonNode metrics = vertexMetrics(job3);
    assertTrue(metrics.toString().contains("dw_" + CounterNames.LINES_READ), "the job's metrics: " + metrics);
    stopWithSavepoint(job3, savepoints);
    GroundTruth.assertSameRows(totals, GroundTruth.query(stream, GroundTruth.TOTALS_SQL), "streaming totals on the cluster");
    GroundTruth.assertSameRows(servers, GroundTruth.query(stream, GroundTruth.SERVERS_SQL), "streaming server days on the cluster");

    // 4. A backfill of the same days on the cluster (attached CLI) into a second warehouse.
    Path summaryFile = work.resolve("backfill-summary.json");
    List<String> backfill = new ArrayList<>(List.of(
        "flink-conf/flink", "run", "-p", "2", jar.toString(), "security-pings",
        "--input=" + watched, "--from=" + from, "--to=" + to,
        "--warehouse=" + backfillUrl, "--geoipCityDatabase=" + mmdb, "--ipHashKeyFile=" + key,
        "--summaryFile=" + summaryFile));
    t0 = System.nanoTime();
    Run b = run(backfill, 600);
    timings.put("backfill_cli", seconds(t0));
    assertEquals(0, b.code, "backfill on the cluster:\n" + b.output);
    assertTrue(!b.output.contains("Accumulator Results"), "no accumulator dump:\n" + b.output);
    JsonNode summary = JSON.readTree(Files.readString(summaryFile));
    assertTrue(summary.path("balanced").asBoolean(), summary.toString());
    assertEquals("security-pings backfill " + from + ".." + to, summary.path("job_name").asText());
    timings.put("backfill_lines_per_second", summary.path("lines_per_second").asDouble());
    boolean onCluster = false;
    for (JsonNode j : get("/jobs/overview").path("jobs")) {
      onCluster |= j.path("name").asText().equals("security-pings backfill " + from + ".." + to)
          && j.path("state").asText().equals("FINISHED");
    }
    assertTrue(onCluster, "the backfill ran on the cluster: " + get("/jobs/overview"));
    WarehouseUrl bw = WarehouseUrl.parse(backfillUrl);
    GroundTruth.assertSameRows(totals, GroundTruth.query(bw, GroundTruth.TOTALS_SQL), "backfill totals on the cluster");
    GroundTruth.assertSameRows(
        GroundTruth.query(stream, GroundTruth.ALL_SERVER_DATA_COLUMNS_SQL),
        GroundTruth.query(bw, GroundTruth.ALL_SERVER_DATA_COLUMNS_SQL),
        "backfill vs streaming server days, all data columns");
    // the pane columns say how each side was written (docs/streaming.md): the backfill on time;
    // the stream read the days' files in three batches, after their on-time result when the
    // cluster's clock is past it (LATE refinements), and nothing of it is final (80 h lateness)
    String panes = "SELECT DISTINCT pane_timing, is_final FROM security_server_daily";
    List<String> backfillPanes = GroundTruth.query(bw, "SELECT DISTINCT pane_timing FROM security_server_daily");
    assertEquals(List.of("ON_TIME"), backfillPanes, "backfill panes");
    List<String> streamPanes = GroundTruth.query(stream, panes);
    assertTrue(
        !streamPanes.isEmpty() && streamPanes.stream().allMatch(p -> p.equals("ON_TIME|false") || p.equals("LATE|false")),
        "streaming panes: " + streamPanes);
  }

  /**
   * The fault: the TaskManager process is killed (SIGKILL) while two streaming jobs from S3
   * (S3Proxy) hold half of a day in their open windows, security-pings and push-proxy (one slot
   * each); a new TaskManager is started. Each job, still the same job, restarts on it from its
   * last completed checkpoint (the cluster's exponential-delay restart strategy; checkpoints every
   * 5 s), reads none of the objects it had read before the checkpoint again (its reader's counters
   * start at 0 in the new attempt and end at the second half's count), reads the second half, and
   * the warehouse equals the ground truth.
   */
  @Test
  void aKilledTaskManagerIsReplacedAndTheJobsResumeFromTheirLastCheckpoints() throws Exception {
    // Yesterday (its hours all begun); the tails list the hours of the last 49 h, which hold it all.
    LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    Path pings = work.resolve("kill-pings");
    new SecurityPingGenerator(new SecurityPingGenerator.Config(pings).from(day).to(day).servers(60).seed(13))
        .generate();
    List<Path> pingFiles = new ArrayList<>(SecurityPingsFlinkTest.logFiles(pings));
    pingFiles.sort(Comparator.comparing((Path f) -> f.getFileName().toString().replaceAll("^[^.]*\\.", "")));
    Path alb = work.resolve("kill-alb");
    new PushProxyGenerator(new PushProxyGenerator.Config(alb).from(day).to(day).requestsPerHour(30).seed(13))
        .generate();
    List<Path> albFiles;
    try (Stream<Path> s = Files.walk(alb.resolve("AWSLogs"))) {
      albFiles = s.filter(f -> f.toString().endsWith(".log.gz")).sorted().toList();
    }
    int pingHalf = pingFiles.size() / 2;
    int albHalf = albFiles.size() / 2;
    String url = TestPostgres.createSchema(KILL_SCHEMA);
    Path mmdb = DemoGeoDatabase.write(work.resolve("kill-geo.mmdb"));
    Path key = Files.writeString(work.resolve("kill-ip-hash.key"), "ff".repeat(32) + "\n");
    try (S3ProxyServer s3 = S3ProxyServer.start(work.resolve("kill-s3"))) {
      s3.createBucket("logs");
      s3.createBucket("alb");
      upload(s3, "logs", "cf/", pings, pingFiles.subList(0, pingHalf));
      upload(s3, "alb", "logs/", alb, albFiles.subList(0, albHalf));
      List<String> common = new ArrayList<>(List.of(
          "--warehouse=" + url, "--geoipCityDatabase=" + mmdb, "--ipHashKeyFile=" + key,
          "--pollIntervalSeconds=3", "--earlyFiringSeconds=2", "--checkpointingInterval=5000",
          "--allowedLatenessHours=49"));
      common.addAll(s3.options());
      // both submitted at once (two CLI processes)
      var albSubmission = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return submit(
              List.of("push-proxy", "--input=s3://alb/logs", "--deployments=" + PushProxyGenerator.DEPLOYMENTS_OPTION),
              common);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      String pingJob = submit(List.of("security-pings", "--input=s3://logs/cf"), common);
      String albJob = null;
      try {
        albJob = albSubmission.get(600, TimeUnit.SECONDS);
        List<String> jobs = List.of(pingJob, albJob);
        waitCounter(pingJob, CounterNames.FILES_READ, pingHalf);
        waitCounter(albJob, CounterNames.FILES_READ, albHalf);
        long linesBeforeKill = counter(pingJob, CounterNames.LINES_READ);
        // a checkpoint of each job triggered after its first half was read (REST counters trail by <= 2 s)
        long read = System.currentTimeMillis();
        Map<String, Long> checkpoints = new LinkedHashMap<>();
        for (String job : jobs) {
          FlinkJobs.waitFor(
              () -> get("/jobs/" + job + "/checkpoints").path("latest").path("completed").path("trigger_timestamp").asLong() > read + 2000,
              "a checkpoint of " + job + " after the first half");
          checkpoints.put(job, get("/jobs/" + job + "/checkpoints").path("latest").path("completed").path("id").asLong());
        }

        long tmPid = Long.parseLong(Files.readString(work.resolve("cluster/taskmanager.pid")).strip());
        ProcessHandle tm = ProcessHandle.of(tmPid).orElseThrow(() -> new AssertionError("no TaskManager " + tmPid));
        long t0 = System.nanoTime();
        assertTrue(tm.destroyForcibly(), "kill -9 " + tmPid); // SIGKILL: no shutdown hook, no goodbye
        tm.onExit().get(60, TimeUnit.SECONDS);
        Run started = run(List.of("flink-conf/local-cluster", "start-taskmanager"), 180);
        assertEquals(0, started.code, started.output);
        timings.put("killed_tm_replacement_registered", seconds(t0));
        for (String job : jobs) {
          // restored: the job (same id) ran again from a checkpoint, not a savepoint
          FlinkJobs.waitFor(
              () -> get("/jobs/" + job + "/checkpoints").path("latest").path("restored").has("id"),
              "job " + job + " to restore from a checkpoint");
          waitRunning(job);
          JsonNode restored = get("/jobs/" + job + "/checkpoints").path("latest").path("restored");
          assertTrue(!restored.path("is_savepoint").asBoolean() && restored.path("id").asLong() >= checkpoints.get(job),
              "restored from checkpoint " + checkpoints.get(job) + " or later: " + restored);
          assertTrue(get("/jobs/" + job + "/exceptions").toString().contains("127.0.0.1"),
              "the failure names the lost TaskManager: " + get("/jobs/" + job + "/exceptions"));
        }
        timings.put("tm_killed_to_jobs_running", seconds(t0));

        upload(s3, "logs", "cf/", pings, pingFiles.subList(pingHalf, pingFiles.size()));
        upload(s3, "alb", "logs/", alb, albFiles.subList(albHalf, albFiles.size()));
        WarehouseUrl w = WarehouseUrl.parse(url);
        List<String> totals = GroundTruth.csv(pings, SecurityPingGenerator.DAILY_TOTALS_CSV);
        List<String> servers = GroundTruth.csv(pings, SecurityPingGenerator.SERVER_DAILY_CSV);
        List<String> hourly = PushProxyTruth.csv(alb, PushProxyGenerator.HOURLY_CSV);
        List<String> countries = PushProxyTruth.csv(alb, PushProxyGenerator.BY_COUNTRY_CSV);
        // the generated day's hours (a day folder may hold the next day's first minutes)
        String generated = " WHERE hour < TIMESTAMP '" + day.plusDays(1) + " 00:00:00'";
        FlinkJobs.waitFor(
            () -> GroundTruth.query(w, GroundTruth.TOTALS_SQL).equals(totals)
                && GroundTruth.query(w, GroundTruth.SERVERS_SQL).equals(servers)
                && GroundTruth.query(w, PushProxyTruth.HOURLY_SQL + generated).equals(hourly)
                && GroundTruth.query(w, PushProxyTruth.BY_COUNTRY_SQL + generated).equals(countries),
            "the warehouse to reach the ground truth after the kill");
        // every object read once: the attempts after the restore read exactly the second halves
        // (reading a first-half object again would count here), and the lines match
        waitCounter(pingJob, CounterNames.FILES_READ, pingFiles.size() - pingHalf);
        waitCounter(albJob, CounterNames.FILES_READ, albFiles.size() - albHalf);
        assertEquals(GroundTruth.summary(pings).path("lines_read").asLong(),
            linesBeforeKill + counter(pingJob, CounterNames.LINES_READ), "lines read before the kill + after the restore");
        GroundTruth.assertSameRows(totals, GroundTruth.query(w, GroundTruth.TOTALS_SQL), "totals after the kill");
        GroundTruth.assertSameRows(servers, GroundTruth.query(w, GroundTruth.SERVERS_SQL), "server days after the kill");
        GroundTruth.assertSameRows(hourly, GroundTruth.query(w, PushProxyTruth.HOURLY_SQL + generated), "push-proxy hours after the kill");
        GroundTruth.assertSameRows(countries, GroundTruth.query(w, PushProxyTruth.BY_COUNTRY_SQL + generated),
            "push-proxy countries after the kill");
        assertEquals(List.of("1"), GroundTruth.query(w,
            "SELECT COUNT(*) / NULLIF(COUNT(DISTINCT (log_date, server_id)), 0) FROM security_server_daily"),
            "one row per server day");
      } finally {
        send("PATCH", "/jobs/" + pingJob + "?mode=cancel", null);
        if (albJob != null) {
          send("PATCH", "/jobs/" + albJob + "?mode=cancel", null);
        }
      }
    }
  }

  /** Submits a streaming job detached with the CLI at parallelism 1; returns its id once it runs. */
  static String submit(List<String> command, List<String> options) throws Exception {
    List<String> cli = new ArrayList<>(List.of("flink-conf/flink", "run", "-d", "-p", "1", jar.toString()));
    cli.addAll(command);
    cli.addAll(options);
    Run r = run(cli, 300);
    assertEquals(0, r.code, "flink run -d " + command + ":\n" + r.output);
    String job = jobId(r.output);
    waitRunning(job);
    return job;
  }

  static void upload(S3ProxyServer s3, String bucket, String prefix, Path root, List<Path> files) {
    for (Path f : files) {
      s3.putFile(bucket, prefix + root.relativize(f).toString().replace('\\', '/'), f);
    }
  }

  // --- cluster operations ---------------------------------------------------------------------

  /** Stops the job with a savepoint through the CLI; returns the savepoint's path. */
  static String stopWithSavepoint(String jobId, Path dir) throws Exception {
    long t0 = System.nanoTime();
    Run r = run(List.of("flink-conf/flink", "stop", "--savepointPath", dir.toUri().toString(), jobId), 300);
    timings.merge("stop_with_savepoint_max", seconds(t0), Math::max);
    assertEquals(0, r.code, "stop with savepoint:\n" + r.output);
    Matcher m = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(r.output);
    assertTrue(m.find(), r.output);
    FlinkJobs.waitFor(() -> get("/jobs/" + jobId).path("state").asText().equals("FINISHED"), "job " + jobId + " to finish");
    return m.group(1);
  }

  static String jobId(String cliOutput) {
    Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(cliOutput);
    assertTrue(m.find(), "no job id in:\n" + cliOutput);
    return m.group(1);
  }

  /** Until the job and every one of its tasks run (tasks of a finished bounded source excepted). */
  static void waitRunning(String jobId) throws Exception {
    FlinkJobs.waitFor(
        () -> {
          JsonNode j = get("/jobs/" + jobId);
          if (j.path("state").asText().equals("FAILED")) {
            throw new AssertionError("job failed: " + get("/jobs/" + jobId + "/exceptions"));
          }
          if (!j.path("state").asText().equals("RUNNING")) {
            return false;
          }
          for (JsonNode v : j.path("vertices")) {
            if (!v.path("status").asText().matches("RUNNING|FINISHED")) {
              return false;
            }
          }
          return true;
        },
        "job " + jobId + " to run");
  }

  /** Polls the job's counter {@code dw_<name>}, summed over subtasks and vertices, until it is {@code n}. */
  static void waitCounter(String jobId, String name, long n) throws Exception {
    long[] last = {-1};
    try {
      FlinkJobs.waitFor(() -> (last[0] = counter(jobId, name)) == n, "counter " + name + " = " + n);
    } catch (AssertionError e) {
      throw new AssertionError("counter " + name + " stayed at " + last[0] + ", expected " + n, e);
    }
  }

  static long counter(String jobId, String name) throws Exception {
    long sum = 0;
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      String vid = v.path("id").asText();
      List<String> ids = new ArrayList<>();
      for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vid + "/subtasks/metrics")) {
        if (m.path("id").asText().endsWith("." + CounterNames.NAMESPACE + "_" + name)) {
          ids.add(m.path("id").asText());
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      String q = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
      for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vid + "/subtasks/metrics?agg=sum&get=" + q)) {
        sum += (long) m.path("sum").asDouble();
      }
    }
    return sum;
  }

  /** Every vertex's metric ids, as REST lists them. */
  static JsonNode vertexMetrics(String jobId) throws Exception {
    var all = JSON.createArrayNode();
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      all.add(get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/subtasks/metrics"));
    }
    return all;
  }

  /** Uploads a jar through REST; returns its id for /jars/<id>/run. */
  static String upload(Path file) throws Exception {
    String boundary = "dw" + System.nanoTime();
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
            + file.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpRequest req = HttpRequest.newBuilder(URI.create(rest + "/jars/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.concat(
            HttpRequest.BodyPublishers.ofByteArray(head),
            HttpRequest.BodyPublishers.ofFile(file),
            HttpRequest.BodyPublishers.ofByteArray(tail)))
        .timeout(Duration.ofMinutes(5))
        .build();
    JsonNode r = JSON.readTree(HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body());
    assertEquals("success", r.path("status").asText(), r.toString());
    return Paths.get(r.path("filename").asText()).getFileName().toString();
  }

  static JsonNode get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  static JsonNode send(String method, String path, JsonNode body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofMinutes(5));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    String text = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
  }

  /** The same classes as another build: a copy of the jar with a build-info entry added. */
  static Path changedBuild(Path jar, Path copy) throws IOException {
    Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
    try (FileSystem zip = FileSystems.newFileSystem(copy)) {
      Files.writeString(zip.getPath("dw-build.properties"), "build=v2\n");
    }
    return copy;
  }

  // --- processes and files --------------------------------------------------------------------

  record Run(int code, String output) {}

  /** Runs a command from the repository with the cluster's settings; output kept for messages. */
  static Run run(List<String> command, int timeoutSeconds) throws Exception {
    Path out = Files.createTempFile(work, "cmd", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(command + " did not end within " + timeoutSeconds + " s:\n" + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readString(out));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static double seconds(long t0) {
    return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
