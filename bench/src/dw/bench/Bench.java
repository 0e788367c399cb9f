package dw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dw.pipelines.DemoGeoDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One-command benchmark (bench/run.sh): generates a data set with the project's generator, then
 * measures, each in its own JVM with wall time and peak RSS from the OS: (1) the floor, JDK gzip +
 * line splitting on 1 and N threads; (2) parse + GeoIP alone in plain Java; (3) the security-pings
 * backfill on embedded Flink at parallelism 1 and 2 into the embedded warehouse, net of the
 * start-up measured on a one-file run; streaming freshness; and the memory of an open day for
 * 10 k / 100 k / 1 M servers; how one open day of 1 M servers spreads over the subtasks of the
 * daily totals ({@link TotalsSpread}; {@code --only=totalsSpread} runs just that). Prints a table
 * and writes bench/results/DATE.md.
 */
public final class Bench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Map<String, Double> threadsP2 = Map.of();

  record Measure(String name, long lines, long bytes, double wall, double net, long rssKb, double cpu, String note) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new LinkedHashMap<>();
    opt.put("servers", "230000");
    opt.put("from", "2026-10-01");
    opt.put("to", "2026-10-03");
    opt.put("work", "bench/work");
    opt.put("jar", "target/dw-pipelines.jar");
    opt.put("streamingFiles", "7");
    opt.put("stateSizes", "10000,100000,1000000");
    opt.put("heap", "1g");
    opt.put("gc", "ParallelGC");
    opt.put("pushRequestsPerHour", "60000");
    opt.put("totalsSpread", "1000000");
    opt.put("reference", "true");
    opt.put("referencePairs", "2");
    // the JIT settings the project recommends for batch runs (an argfile; "none": the JVM's defaults)
    opt.put("jvmOptions", "flink-conf/batch.jvm.options");
    // with the argfile, also the class-data archive mvn package writes beside the jar ("false": without)
    opt.put("startupArchive", "true");
    for (String a : args) {
      if (a.equals("--size=large")) { // >= 3 M lines, where start-up does not dominate (issue 14)
        opt.put("servers", "600000");
        opt.put("from", "2026-10-01");
        opt.put("to", "2026-10-04");
      }
    }
    for (String a : args) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("usage: bench [--servers=N] [--from=D] [--to=D] [--streamingFiles=N] [--stateSizes=a,b] [--heap=1g] [--gc=ParallelGC|G1GC] [--pushRequestsPerHour=N (0: skip push-proxy)] [--totalsSpread=N servers (0: skip)] [--size=large] [--reference=false] [--referencePairs=N] [--jvmOptions=FILE|none] [--startupArchive=false] [--only=totalsSpread|reference]");
      }
      opt.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    Path work = Paths.get(opt.get("work")).toAbsolutePath();
    Files.createDirectories(work);
    String cp = System.getProperty("java.class.path");
    String jar = Paths.get(opt.get("jar")).toAbsolutePath().toString();
    int cores = Runtime.getRuntime().availableProcessors();
    if ("totalsSpread".equals(opt.get("only"))) { // bench/run.sh --only=totalsSpread [--totalsSpread=N]
      String report = "# Benchmark " + LocalDateTime.now(ZoneOffset.UTC).withNano(0) + " UTC: daily totals spread\n\n"
          + machine(cores) + "\n" + totalsSpread(Integer.parseInt(opt.get("totalsSpread")), cp, work);
      System.out.println(report);
      Path file = Paths.get("bench", "results", LocalDate.now(ZoneOffset.UTC) + "-totals-spread.md");
      Files.createDirectories(file.getParent());
      Files.writeString(file, report);
      System.err.println("written " + file);
      return;
    }

    Path data = work.resolve("data-" + opt.get("servers") + "-" + opt.get("from") + "-" + opt.get("to"));
    if (!Files.exists(data.resolve("_truth"))) {
      System.err.println("generating " + data);
      run(List.of(java(), "-cp", cp, "dw.pipelines.Main", "generate", "--output=" + data,
          "--from=" + opt.get("from"), "--to=" + opt.get("to"), "--servers=" + opt.get("servers"), "--overwrite=true"), null);
    }
    Path mmdb = DemoGeoDatabase.write(work.resolve("geo.mmdb"));
    Path tiny = work.resolve("tiny");
    if (!Files.exists(tiny)) {
      Files.createDirectories(tiny);
      Path first = Floor.logFiles(data).get(0);
      Files.copy(first, tiny.resolve(first.getFileName()));
    }

    if ("reference".equals(opt.get("only"))) { // bench/run.sh --only=reference [--size=large]
      String report = "# Benchmark " + LocalDateTime.now(ZoneOffset.UTC).withNano(0) + " UTC: backfill vs DuckDB SQL\n\n"
          + machine(cores) + "\n" + referenceSection(data, opt, cp, jar, mmdb, work);
      System.out.println(report);
      Path file = Paths.get("bench", "results", LocalDate.now(ZoneOffset.UTC) + "-vs-duckdb-" + opt.get("servers") + ".md");
      Files.createDirectories(file.getParent());
      Files.writeString(file, report);
      System.err.println("written " + file);
      return;
    }

    List<Measure> rows = new ArrayList<>();
    Result f1 = run(List.of(java(), "-cp", cp, "dw.bench.Floor", data.toString(), "1"), work);
    long bytes = f1.json.get("bytes").asLong();
    rows.add(new Measure("floor: gzip + lines, 1 thread", f1.json.get("lines").asLong(), bytes, f1.wall, f1.json.get("seconds").asDouble(), f1.rssKb, f1.cpu, ""));
    Result fn = run(List.of(java(), "-cp", cp, "dw.bench.Floor", data.toString(), String.valueOf(cores)), work);
    rows.add(new Measure("floor: gzip + lines, " + cores + " threads", fn.json.get("lines").asLong(), bytes, fn.wall, fn.json.get("seconds").asDouble(), fn.rssKb, fn.cpu, ""));
    Result pg = run(List.of(java(), "-cp", cp, "dw.bench.ParseGeo", data.toString(), mmdb.toString()), work);
    rows.add(new Measure("parse + GeoIP, plain Java, 1 thread", pg.json.get("lines").asLong(), bytes, pg.wall, pg.json.get("seconds").asDouble(), pg.rssKb, pg.cpu, pg.json.get("pings").asLong() + " pings"));

    double startup = 0;
    for (int p : new int[] {1, 2}) {
      Result t = pipeline(jar, tiny, opt, work.resolve("tiny-p" + p + ".duckdb"), mmdb, p, work);
      startup = t.wall;
      Result r = pipeline(jar, data, opt, work.resolve("backfill-p" + p + ".duckdb"), mmdb, p, work);
      long lines = r.json.get("lines_read").asLong();
      if (p == 2) {
        threadsP2 = lastThreads;
      }
      rows.add(new Measure("security-pings backfill, Flink p=" + p, lines, bytes, r.wall, r.wall - t.wall, r.rssKb,
          r.cpu, "start-up " + String.format("%.1f", t.wall) + " s (1-file run, " + String.format("%.1f", t.cpu)
              + " s CPU); " + jvmOptionsLabel(opt, opt.get("jvmOptions")) + "; balanced=" + r.json.get("balanced")));
    }

    // push-proxy: ALB logs of the same days, its floor and its backfill at p=2
    if (Integer.parseInt(opt.get("pushRequestsPerHour")) > 0) {
      Path alb = work.resolve("alb-" + opt.get("pushRequestsPerHour") + "-" + opt.get("from") + "-" + opt.get("to"));
      if (!Files.exists(alb.resolve("_truth"))) {
        System.err.println("generating " + alb);
        run(List.of(java(), "-cp", cp, "dw.pipelines.Main", "generate", "--dataset=push-proxy", "--output=" + alb,
            "--from=" + opt.get("from"), "--to=" + opt.get("to"),
            "--requestsPerHour=" + opt.get("pushRequestsPerHour"), "--overwrite=true"), null);
      }
      Path albTiny = work.resolve("alb-tiny");
      if (!Files.exists(albTiny)) {
        Path first = Floor.logFiles(alb).get(0);
        Path target = albTiny.resolve(alb.relativize(first));
        Files.createDirectories(target.getParent());
        Files.copy(first, target);
      }
      Result pf = run(List.of(java(), "-cp", cp, "dw.bench.Floor", alb.toString(), "1"), work);
      long albBytes = pf.json.get("bytes").asLong();
      rows.add(new Measure("floor (ALB files): gzip + lines, 1 thread", pf.json.get("lines").asLong(), albBytes, pf.wall,
          pf.json.get("seconds").asDouble(), pf.rssKb, pf.cpu, ""));
      Result t = pushPipeline(jar, albTiny, opt, work.resolve("push-tiny.duckdb"), mmdb, 2, work);
      Result r = pushPipeline(jar, alb, opt, work.resolve("push-backfill.duckdb"), mmdb, 2, work);
      rows.add(new Measure("push-proxy backfill, Flink p=2", r.json.get("lines_read").asLong(), albBytes, r.wall,
          r.wall - t.wall, r.rssKb, r.cpu, "start-up " + String.format("%.1f", t.wall) + " s; -Xmx" + opt.get("heap")
              + "; balanced=" + r.json.get("balanced")));
    }

    List<String> extra = new ArrayList<>();
    for (String n : opt.get("stateSizes").split(",")) {
      Result s = run(List.of(java(), "-Xmx6g", "-cp", cp, "dw.bench.StateSize", n.trim()), work);
      extra.add(String.format("| %,d | %.0f MB | %.0f MB | %.1f MB | %.0f MB |", s.json.get("servers").asLong(),
          s.json.get("heap_bytes").asLong() / 1e6, s.json.get("encoded_server_days_bytes").asLong() / 1e6,
          s.json.get("encoded_totals_bytes").asLong() / 1e6, s.rssKb / 1024.0));
    }

    String streaming = "skipped (--streamingFiles=0)";
    int streamingFiles = Integer.parseInt(opt.get("streamingFiles"));
    if (streamingFiles > 0) {
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      Path recent = work.resolve("recent-" + System.currentTimeMillis());
      run(List.of(java(), "-cp", cp, "dw.pipelines.Main", "generate", "--output=" + recent,
          "--from=" + today.minusDays(1), "--to=" + today, "--servers=2000", "--filesPerHour=1", "--distributions=1"), null);
      Result s = run(List.of(java(), "-cp", cp, "dw.bench.StreamingLatency", recent.toString(),
          recent + "-watched", work.resolve("streaming-" + System.currentTimeMillis() + ".duckdb").toString(),
          mmdb.toString(), String.valueOf(streamingFiles)), work);
      streaming = String.format("median %.2f s, max %.2f s over %d files (poll 1 s, early firing 1 s)",
          s.json.get("median_seconds").asDouble(), s.json.get("max_seconds").asDouble(), s.json.get("files").asInt());
    }

    String report = report(rows, f1, startup, extra, streaming, opt, cores);
    if (Boolean.parseBoolean(opt.get("reference"))) {
      report = report + referenceSection(data, opt, cp, jar, mmdb, work);
    }
    int spreadServers = Integer.parseInt(opt.get("totalsSpread"));
    if (spreadServers > 0) {
      report = report + totalsSpread(spreadServers, cp, work);
    }
    StringBuilder cpu = new StringBuilder("\n## Where the CPU of the p=2 backfill goes (per thread group, from /proc)\n\n| threads | CPU s |\n|---|---|\n");
    threadsP2.forEach((k, v) -> cpu.append(String.format("| %s | %.1f |%n", k, v)));
    report = report + cpu;
    System.out.println(report);
    Path results = Paths.get("bench", "results");
    Files.createDirectories(results);
    Path file = results.resolve(LocalDate.now(ZoneOffset.UTC) + ".md");
    Files.writeString(file, report);
    System.err.println("written " + file);
  }

  static Result pipeline(String jar, Path input, Map<String, String> opt, Path warehouse, Path mmdb, int p, Path work)
      throws Exception {
    return pipeline(jar, input, opt, warehouse, mmdb, p, work, opt.get("jvmOptions"));
  }

  /** The backfill with the JVM options of {@code jvmOptions} (an argfile, or "none"). */
  static Result pipeline(String jar, Path input, Map<String, String> opt, Path warehouse, Path mmdb, int p, Path work,
      String jvmOptions) throws Exception {
    Files.deleteIfExists(warehouse);
    Path summary = work.resolve("summary-" + warehouse.getFileName() + ".json");
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + opt.get("heap"), "-XX:+Use" + opt.get("gc")));
    cmd.addAll(jvmOptions(jvmOptions));
    if (!jitDefaults(jvmOptions)) {
      startupArchive(opt).ifPresent(a -> cmd.add("-XX:SharedArchiveFile=" + a));
    }
    cmd.addAll(List.of("-jar", jar, "security-pings", "--input=" + input, "--from=" + opt.get("from"),
        "--to=" + opt.get("to"), "--warehouse=" + warehouse, "--geoipCityDatabase=" + mmdb, "--parallelism=" + p,
        "--summaryFile=" + summary));
    Result r = run(cmd, work);
    return new Result(JSON.readTree(summary.toFile()), r.wall, r.rssKb, r.cpu);
  }

  /** Whether {@code --jvmOptions} leaves the JVM's defaults (no argfile). */
  static boolean jitDefaults(String file) {
    return file == null || file.equals("none");
  }

  /** The argfile as a java launcher argument ({@code @file}), none for the JVM's defaults. */
  static List<String> jvmOptions(String file) {
    if (jitDefaults(file)) {
      return List.of();
    }
    Path f = Paths.get(file).toAbsolutePath();
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException("--jvmOptions: no file " + f);
    }
    return List.of("@" + f);
  }

  /**
   * The class-data archive beside the job jar ({@code startup-archive}, written by mvn package),
   * used with the argfile unless {@code --startupArchive=false}; none when the file is missing.
   */
  static java.util.Optional<Path> startupArchive(Map<String, String> opt) {
    if (!Boolean.parseBoolean(opt.get("startupArchive"))) {
      return java.util.Optional.empty();
    }
    Path jsa = Paths.get(opt.get("jar").replaceFirst("\\.jar$", "") + ".jsa").toAbsolutePath();
    return Files.isRegularFile(jsa) ? java.util.Optional.of(jsa) : java.util.Optional.empty();
  }

  /** How a backfill row names its JVM options. */
  static String jvmOptionsLabel(Map<String, String> opt, String jvmOptions) {
    String base = "-Xmx" + opt.get("heap") + " -XX:+Use" + opt.get("gc");
    if (jitDefaults(jvmOptions)) {
      return base + " (JVM defaults: no argfile, no class-data archive)";
    }
    return base + " @" + jvmOptions
        + startupArchive(opt).map(a -> " -XX:SharedArchiveFile=" + Paths.get("").toAbsolutePath().relativize(a)).orElse("");
  }

  /** A push-proxy backfill of the generated ALB files (deployments as the generator's truth assumes). */
  static Result pushPipeline(String jar, Path input, Map<String, String> opt, Path warehouse, Path mmdb, int p, Path work)
      throws Exception {
    Files.deleteIfExists(warehouse);
    Path summary = work.resolve("summary-" + warehouse.getFileName() + ".json");
    Result r = run(List.of(java(), "-Xmx" + opt.get("heap"), "-XX:+Use" + opt.get("gc"), "-jar", jar, "push-proxy",
        "--input=" + input, "--from=" + opt.get("from"), "--to=" + opt.get("to"), "--warehouse=" + warehouse,
        "--geoipCityDatabase=" + mmdb, "--parallelism=" + p, "--summaryFile=" + summary,
        "--deployments=" + dw.pipelines.generate.PushProxyGenerator.DEPLOYMENTS_OPTION), work);
    return new Result(JSON.readTree(summary.toFile()), r.wall, r.rssKb, r.cpu);
  }

  record Result(JsonNode json, double wall, long rssKb, double cpu) {}

  /**
   * No hot key per day: one open day of {@code servers} servers through the daily totals at p=2
   * (dw.bench.TotalsSpread), the sharded aggregation and the former single-key design, each in its
   * own JVM; Flink's numRecordsIn per subtask of the stages that combine.
   */
  static String totalsSpread(int servers, String cp, Path work) throws Exception {
    StringBuilder sb = new StringBuilder("\n## No hot key per day: one open day of ")
        .append(String.format("%,d", servers)).append(" servers, streaming, Flink p=2\n\n")
        .append("Flink's numRecordsIn per subtask (0 / 1) of each stage.\n\n")
        .append("| design | server-days into the day windows | first combine | final merge | wall s | CPU s | peak heap | peak RSS | totals |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (String mode : new String[] {"sharded", "single"}) {
      Result r = run(totalsSpreadCommand(servers, mode, cp, work), work);
      JsonNode in = r.json.get("records_in");
      String windows = "";
      String first = "";
      String merge = "none";
      for (var it = in.fieldNames(); it.hasNext(); ) {
        String op = it.next();
        String counts = String.format("%,d / %,d", in.get(op).path("0").asLong(), in.get(op).path("1").asLong());
        if (op.startsWith("WindowIntoDays/")) {
          windows = counts;
        } else if (op.endsWith("/CombinePerShard") || op.equals("CombineWholeDay")) {
          first = counts + " (" + op.substring(op.lastIndexOf('/') + 1) + ")";
        } else if (op.endsWith("/CombinePerDay")) {
          merge = counts + " (CombinePerDay)";
        }
      }
      sb.append(String.format("| %s | %s | %s | %s | %.1f | %.1f | %.0f MB | %.0f MB | %s: %,d active servers (expected %,d), %d day key, %d results, the last %s |%n",
          mode, windows, first, merge, r.json.get("seconds").asDouble(), r.cpu,
          r.json.get("heap_peak_bytes").asLong() / 1e6, r.rssKb / 1024.0,
          r.json.get("correct").asBoolean() ? "right" : "WRONG", r.json.get("active_servers").asLong(),
          r.json.get("expected_active_servers").asLong(), r.json.get("days").asInt(), r.json.get("panes").asInt(),
          r.json.get("last_pane").asText()));
    }
    sb.append("\nsharded = the pipeline's AggregateDailyTotals (CombinePerShard over ")
        .append("64 shards of the server id, then CombinePerDay: 64 shard totals per firing, on the day's key); ")
        .append("single = the former design, every server-day of the day combined on the day's one key. ")
        .append("Wall s = the job inside its JVM (mini cluster start-up included); CPU s = user + system of the ")
        .append("whole JVM (generator included); peak heap = sum of the heap pools' peaks. Generator: one ping per ")
        .append("server in one UTC day, every 97th server excluded; the truth is counted by the generator's rule.\n");
    return sb.toString();
  }

  /**
   * The obvious alternative side by side (issue 14): {@link DuckDbReference}'s SQL and the
   * security-pings backfill at p=2 over the same files, alternated in pairs; medians, the ratio, and
   * whether the reference's daily totals equal the pipeline's security_daily_totals.
   */
  static String referenceSection(Path data, Map<String, String> opt, String cp, String jar, Path mmdb, Path work)
      throws Exception {
    int pairs = Integer.parseInt(opt.get("referencePairs"));
    List<Result> refs = new ArrayList<>();
    List<Result> pipes = new ArrayList<>();
    List<Result> defaults = new ArrayList<>();
    List<Map<String, Double>> pipeThreads = new ArrayList<>();
    Path csv = work.resolve("reference-totals.csv");
    Path warehouse = work.resolve("vs-reference.duckdb");
    // with recommended JVM options, the backfill also runs with the JIT's defaults in each round
    boolean both = !jitDefaults(opt.get("jvmOptions"));
    for (int i = 0; i < pairs; i++) {
      Files.deleteIfExists(csv);
      // the two of a pair back to back, so that a slower spell of a shared machine (runs here
      // varied by up to 25 % within minutes) tends to fall on both
      refs.add(run(List.of(java(), "-cp", cp, "dw.bench.DuckDbReference", data.toString(), opt.get("from"),
          opt.get("to"), "2", csv.toString()), work));
      pipes.add(pipeline(jar, data, opt, warehouse, mmdb, 2, work));
      pipeThreads.add(lastThreads);
      if (both) {
        defaults.add(pipeline(jar, data, opt, work.resolve("vs-reference-defaults.duckdb"), mmdb, 2, work, "none"));
      }
    }
    long lines = pipes.get(0).json.get("lines_read").asLong();
    String same = compareTotals(csv, warehouse);
    double rw = median(refs.stream().mapToDouble(Result::wall).toArray());
    double rc = median(refs.stream().mapToDouble(Result::cpu).toArray());
    double pw = median(pipes.stream().mapToDouble(Result::wall).toArray());
    double pc = median(pipes.stream().mapToDouble(Result::cpu).toArray());
    StringBuilder sb = new StringBuilder("\n## Backfill vs one DuckDB SQL query over the same files\n\n")
        .append(String.format("%,d lines in %s; %d pair(s), alternated, medians.%n%n", lines, data.getFileName(), pairs))
        .append("| | wall s | CPU s (user + sys) | CPU µs/line | peak RSS | runs (wall / CPU) |\n|---|---|---|---|---|---|\n");
    sb.append(String.format("| security-pings backfill, Flink p=2, %s, DuckDB warehouse, GeoIP | %.1f | %.1f | %.1f | %.0f MB | %s |%n",
        jvmOptionsLabel(opt, opt.get("jvmOptions")), pw, pc, pc * 1e6 / lines,
        pipes.stream().mapToLong(Result::rssKb).max().orElse(0) / 1024.0, runs(pipes)));
    sb.append(String.format("| DuckDB %s SQL (dw.bench.DuckDbReference), 2 threads: parse, ping filters, exclusions, GeoIP as a range join, latest/max auc per server-day, daily totals | %.1f | %.1f | %.1f | %.0f MB | %s |%n",
        duckDbVersion(), rw, rc, rc * 1e6 / lines, refs.stream().mapToLong(Result::rssKb).max().orElse(0) / 1024.0, runs(refs)));
    sb.append(String.format("| **ratio** | **%.2f×** | **%.2f×** | | | |%n", pw / rw, pc / rc));
    double[] pairWall = new double[pairs];
    double[] pairCpu = new double[pairs];
    StringBuilder each = new StringBuilder();
    for (int i = 0; i < pairs; i++) {
      pairWall[i] = pipes.get(i).wall() / refs.get(i).wall();
      pairCpu[i] = pipes.get(i).cpu() / refs.get(i).cpu();
      each.append(i == 0 ? "" : ", ").append(String.format("%.2f / %.2f", pairWall[i], pairCpu[i]));
    }
    sb.append(String.format("| median of the pairs' ratios (each pair's two runs back to back) | %.2f× | %.2f× | | | %s |%n",
        median(pairWall), median(pairCpu), each));
    if (both) {
      double dw = median(defaults.stream().mapToDouble(Result::wall).toArray());
      double dc = median(defaults.stream().mapToDouble(Result::cpu).toArray());
      sb.append(String.format("| the same backfill, %s | %.1f | %.1f | %.1f | %.0f MB | %s |%n",
          jvmOptionsLabel(opt, "none"), dw, dc, dc * 1e6 / lines,
          defaults.stream().mapToLong(Result::rssKb).max().orElse(0) / 1024.0, runs(defaults)));
      sb.append(String.format("| ratio with the JVM's defaults | %.2f× | %.2f× | | | |%n", dw / rw, dc / rc));
    }
    sb.append("\nDaily totals: ").append(same).append("\n");
    // what storing the server-day table alone costs, which the reference does not pay (StoreFloor)
    Result floor = run(List.of(java(), "-Xmx6g", "-cp", cp, "dw.bench.StoreFloor", warehouse.toString(), work.toString()), work);
    double store = floor.json.get("store_cpu_seconds").asDouble();
    double appender = floor.json.get("appender_cpu_seconds").asDouble();
    sb.append(String.format("%nStoring security_server_daily alone (dw.bench.StoreFloor: the backfill's %,d rows × %d columns,"
            + " read back into memory, then written into a new file on one thread, checkpoint included): %.1f s CPU through the"
            + " pipeline's DuckDbStore (20 k-row writes, key ledger, Appender), %.1f s through DuckDB's Appender alone."
            + " The reference writes no table; the backfill's CPU less the DuckDbStore figure is %.1f s, **%.2f×** the reference's.%n",
        floor.json.get("rows").asLong(), floor.json.get("columns").asInt(), store, appender, pc - store, (pc - store) / rc));
    sb.append("\nThe pipeline also writes security_server_daily (one row per server-day), dead_letters and the")
        .append(" totals into its DuckDB file; the reference writes only its totals (a CSV). CPU per thread group")
        .append(" of the last pipeline run (from /proc):\n\n| threads | CPU s |\n|---|---|\n");
    pipeThreads.get(pipeThreads.size() - 1).forEach((k, v) -> sb.append(String.format("| %s | %.1f |%n", k, v)));
    return sb.toString();
  }

  static String runs(List<Result> rs) {
    List<String> parts = new ArrayList<>();
    for (Result r : rs) {
      parts.add(String.format("%.1f / %.1f", r.wall, r.cpu));
    }
    return String.join(", ", parts);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static String duckDbVersion() {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.ResultSet r = c.createStatement().executeQuery("SELECT version()")) {
      r.next();
      return r.getString(1);
    } catch (java.sql.SQLException e) {
      return "?";
    }
  }

  /** Whether the reference's totals CSV holds exactly the rows of the pipeline's daily totals. */
  static String compareTotals(Path csv, Path warehouse) throws Exception {
    String cols = "CAST(log_date AS VARCHAR) AS d, version, edition, database_type, operating_system, country_iso,"
        + " CAST(active_servers AS BIGINT) AS s, CAST(active_users AS BIGINT) AS u,"
        + " CAST(max_active_users AS BIGINT) AS m, CAST(registered_users AS BIGINT) AS r";
    String ref = "SELECT " + cols + " FROM read_csv('" + csv.toString().replace("'", "''")
        + "', header = true, all_varchar = true)";
    String pipe = "SELECT " + cols + " FROM w.security_daily_totals";
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = c.createStatement()) {
      st.execute("ATTACH '" + warehouse.toString().replace("'", "''") + "' AS w (READ_ONLY)");
      try (java.sql.ResultSet r = st.executeQuery("SELECT (SELECT count(*) FROM (" + ref + ")), (SELECT count(*) FROM ("
          + pipe + ")), (SELECT count(*) FROM (" + ref + " EXCEPT ALL " + pipe + ")), (SELECT count(*) FROM (" + pipe
          + " EXCEPT ALL " + ref + "))")) {
        r.next();
        long n1 = r.getLong(1);
        long n2 = r.getLong(2);
        long only1 = r.getLong(3);
        long only2 = r.getLong(4);
        return only1 == 0 && only2 == 0 && n1 == n2
            ? String.format("**equal** (%,d rows by day, version, edition, database, OS and country; every count column)", n1)
            : String.format("**DIFFERENT**: reference %,d rows, pipeline %,d; %,d only in the reference, %,d only in the pipeline",
                n1, n2, only1, only2);
      }
    }
  }

  static List<String> totalsSpreadCommand(int servers, String mode, String cp, Path work) {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx2g"));
    cmd.addAll(List.of(FLINK_OPENS.split(" ")));
    cmd.addAll(List.of("-cp", cp, "dw.bench.TotalsSpread", String.valueOf(servers), mode,
        work.resolve("totals-spread-conf-" + mode).toString()));
    return cmd;
  }

  /** Flink on Java 17 (pom.xml flink.java17.opens): the child JVMs here run from the class path. */
  static final String FLINK_OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED"
      + " --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
      + " --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED"
      + " --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
      + " --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED"
      + " --add-opens=java.sql/java.sql=ALL-UNNAMED";

  /** CPU seconds per thread group of the last child JVM run. */
  static Map<String, Double> lastThreads = Map.of();

  static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs a child JVM; wall time and peak RSS come from /usr/bin/time when present. */
  static Result run(List<String> cmd, Path work) throws Exception {
    List<String> full = new ArrayList<>();
    Path timeFile = Files.createTempFile("bench-time", ".txt");
    boolean gnuTime = new File("/usr/bin/time").canExecute();
    if (gnuTime) {
      full.addAll(List.of("/usr/bin/time", "-f", "%e %M %U %S", "-o", timeFile.toString()));
    }
    full.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.INHERIT);
    long t0 = System.nanoTime();
    Process proc = pb.start();
    ThreadCpu threads = new ThreadCpu(proc.pid());
    long peak = 0;
    double cpu = 0;
    String out = new String(proc.getInputStream().readAllBytes());
    int code = proc.waitFor();
    threads.close();
    lastThreads = threads.byGroup();
    double wall = (System.nanoTime() - t0) / 1e9;
    if (code != 0) {
      throw new IllegalStateException("exit " + code + ": " + String.join(" ", cmd) + "\n" + out);
    }
    if (gnuTime) {
      String[] t = Files.readString(timeFile).trim().split("\\s+");
      wall = Double.parseDouble(t[t.length - 4]);
      peak = Long.parseLong(t[t.length - 3]);
      cpu = Double.parseDouble(t[t.length - 2]) + Double.parseDouble(t[t.length - 1]);
    }
    Files.deleteIfExists(timeFile);
    JsonNode json = null;
    for (String line : out.split("\n")) {
      if (line.startsWith("{")) {
        json = JSON.readTree(line);
      }
    }
    return new Result(json, wall, peak, cpu);
  }

  static String report(List<Measure> rows, Result floor1, double startup, List<String> state, String streaming,
      Map<String, String> opt, int cores) throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append("# Benchmark ").append(LocalDateTime.now(ZoneOffset.UTC).withNano(0)).append(" UTC\n\n");
    sb.append(machine(cores));
    sb.append("Data: the project's generator, ").append(opt.get("servers")).append(" servers, ")
        .append(opt.get("from")).append("..").append(opt.get("to")).append(", ")
        .append(String.format("%,d", rows.get(0).lines)).append(" lines, ")
        .append(String.format("%.0f MB", rows.get(0).bytes / 1e6)).append(" uncompressed.\n\n");
    sb.append("| step | lines/s (net) | MB/s (net) | wall s | net s | CPU s | CPU µs/line | peak RSS | vs floor 1 thread | notes |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
    double floorRate = rows.get(0).lines / rows.get(0).net;
    for (Measure m : rows) {
      double rate = m.lines / m.net;
      sb.append(String.format("| %s | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f MB | %.2f× | %s |%n", m.name, rate,
          m.bytes / 1e6 / m.net, m.wall, m.net, m.cpu, m.cpu * 1e6 / m.lines, m.rssKb / 1024.0, rate / floorRate,
          m.note));
    }
    sb.append("\nNet = wall minus the JVM/Flink start-up (floor and plain-Java rows: time inside the")
        .append(" program); gross lines/s of a pipeline row = lines / wall. CPU = user + system time of the whole")
        .append(" JVM (all threads, JIT compiler and GC included), from /usr/bin/time.\n");
    sb.append("\nReference (../shared/docs/performance-baseline.md, same machine kind, 1.1 M lines, no GeoIP):")
        .append(" plain Java 213 k lines/s (1 thread) and 271 k (2 threads); native Flink 1.19 batch 84 k net;")
        .append(" Beam 2.70 on Flink 83 k net (tuned), start-up 9.8 s; goal of issue 5: >= 100 k net at p=2,")
        .append(" start-up <= 10 s, peak RSS <= 1.5 GB.\n");
    sb.append("\n## Memory of one open day\n\n| servers | heap retained | encoded server days | encoded totals accumulator | JVM peak RSS |\n|---|---|---|---|---|\n");
    for (String s : state) {
      sb.append(s).append('\n');
    }
    sb.append("\n## Streaming freshness\n\nA file moved into the watched folder shows up in security_server_daily: ")
        .append(streaming).append(".\n");
    return sb.toString();
  }

  static String machine(int cores) {
    return "Machine: " + cores + " cores, " + memTotal() + ", " + System.getProperty("java.vm.name") + ' '
        + System.getProperty("java.version") + ", " + cpuModel() + ", load average " + loadAverage() + " at start.\n";
  }

  static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "unknown";
    }
  }

  static String memTotal() {
    try {
      for (String l : Files.readAllLines(Paths.get("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return String.format("%.0f GiB RAM", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0);
        }
      }
    } catch (Exception ignored) {
      // not Linux
    }
    return "unknown RAM";
  }

  static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception ignored) {
      // not Linux
    }
    return "unknown CPU";
  }
}
