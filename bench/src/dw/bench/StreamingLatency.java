package dw.bench;

import dw.io.warehouse.DuckDbStore;
import dw.pipelines.Main;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.security.ExclusionRules;
import dw.transforms.security.PingClassifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Streaming freshness: starts security-pings unbounded on embedded Flink (poll 1 s, early firing
 * 1 s), drops files one at a time into the watched folder, and measures how long until the
 * warehouse's security_server_daily counts the file's pings. Prints the latencies and the median.
 * Args: sourceDir watchedDir warehouseFile mmdb files
 */
public final class StreamingLatency {
  public static void main(String[] args) throws Exception {
    Path source = Paths.get(args[0]);
    Path watched = Paths.get(args[1]);
    String warehouse = args[2];
    String mmdb = args[3];
    int files = Integer.parseInt(args[4]);
    Files.createDirectories(watched);
    int code = Main.run(new String[] {
        "security-pings", "--input=" + watched, "--warehouse=" + warehouse, "--geoipCityDatabase=" + mmdb,
        "--parallelism=2", "--attachedMode=false", "--pollIntervalSeconds=1", "--earlyFiringSeconds=1",
        "--checkpointingInterval=10000"}, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
    // the most recent files whose hour has begun: the source lists hours up to the current one
    String nowHour =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd-HH")
            .withZone(java.time.ZoneOffset.UTC)
            .format(java.time.Instant.now());
    List<Path> all = new ArrayList<>();
    for (Path f : Floor.logFiles(source)) {
      String n = f.getFileName().toString();
      int dot = n.indexOf('.');
      if (dot > 0 && n.length() >= dot + 14 && n.substring(dot + 1, dot + 14).compareTo(nowHour) <= 0) {
        all.add(f);
      }
    }
    all.sort(java.util.Comparator.comparing((Path f) -> f.getFileName().toString().substring(f.getFileName().toString().indexOf('.'))));
    all = all.subList(Math.max(0, all.size() - files), all.size());
    List<Double> latencies = new ArrayList<>();
    long expected = 0;
    Thread.sleep(5000); // job start-up
    for (int i = 0; i < Math.min(files, all.size()); i++) {
      Path f = all.get(i);
      expected += pings(f);
      Path target = watched.resolve(f.getFileName());
      long t0 = System.nanoTime();
      Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
      long deadline = t0 + 120_000_000_000L;
      while (System.nanoTime() < deadline && sumPings(warehouse) < expected) {
        Thread.sleep(100);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      latencies.add(s);
      System.err.printf("file %d: %.2f s%n", i + 1, s);
    }
    List<Double> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    double median = sorted.get(sorted.size() / 2);
    System.out.printf("{\"files\":%d,\"median_seconds\":%.2f,\"max_seconds\":%.2f}%n",
        latencies.size(), median, sorted.get(sorted.size() - 1));
    System.exit(0);
  }

  static long pings(Path f) throws Exception {
    PingClassifier c = new PingClassifier(ExclusionRules.DEFAULT);
    CloudFrontLine line = new CloudFrontLine();
    CloudFrontLayout layout = CloudFrontLayout.STANDARD;
    long n = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
      String raw;
      while ((raw = r.readLine()) != null) {
        if (CloudFrontLayout.isHeader(raw)) {
          if (CloudFrontLayout.isFieldsHeader(raw)) {
            layout = CloudFrontLayout.fromFieldsHeader(raw);
          }
          continue;
        }
        line.reset(raw, layout);
        if (c.classify(line) == PingClassifier.Outcome.PING) {
          n++;
        }
      }
    }
    return n;
  }

  static long sumPings(String warehouse) {
    try (Connection c = DuckDbStore.open(warehouse).newConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(pings), 0) FROM security_server_daily")) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      return -1;
    }
  }
}
