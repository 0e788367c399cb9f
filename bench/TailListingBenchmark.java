import dw.io.files.CloudFrontKeys;
import dw.io.files.HourTail;
import dw.io.files.KeyLayout;
import dw.io.files.LogStore;
import dw.io.files.TailState;
import dw.io.s3.S3AccessOptions;
import dw.io.s3.S3RequestCounter;
import dw.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Listing requests per poll and state size of the hour-prefix tail (TailLogFiles) against Beam's
 * FileIO.match().continuously() (Watch), for N files over 30 days in one bucket of a real S3
 * server (S3Proxy, filesystem backend); the same for load-balancer day folders (2 accounts, 3
 * region folders). Run: bench/tail-listing.sh [files...] (default 10000 100000).
 */
public final class TailListingBenchmark {
  static final long H = 3_600_000L;
  static final int DAYS = 30;
  static final String[] DISTS = {"E1BENCHA", "E2BENCHB"};

  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {10_000, 100_000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    Path work = Files.createTempDirectory("tail-bench");
    Path fs = work.resolve("fs");
    Files.createDirectories(fs);
    long start = Instant.parse("2026-09-01T00:00:00Z").toEpochMilli();
    for (int n : sizes) {
      String bucket = "bench" + n;
      layOut(fs.resolve(bucket), n, start);
      layOutAlb(fs.resolve("alb" + n), n, start);
    }
    System.out.println("S3Proxy (filesystem backend) in " + work);
    try (S3ProxyServer s3 = S3ProxyServer.start(work.resolve("proxy"), fs)) {
      S3AccessOptions options = s3.pipelineOptions();
      FileSystems.setDefaultPipelineOptions(options);
      System.out.println();
      System.out.println("| files over 30 days | source | listing requests per poll | other requests per poll | state: entries | state: bytes | poll time |");
      System.out.println("|---|---|---|---|---|---|---|");
      for (int n : sizes) {
        String bucket = "bench" + n;
        tail(n, "s3://" + bucket + "/logs", KeyLayout.CLOUDFRONT_HOURS, options, start, 25, 24);
        tail(n, "s3://" + bucket + "/logs", KeyLayout.CLOUDFRONT_HOURS, options, start, 25, 0);
        watch(n, bucket);
      }
      for (int n : sizes) {
        tail(n, "s3://alb" + n + "/lb/AWSLogs", KeyLayout.ALB_DAYS, options, start, 25, 24);
        watch(n, "alb" + n, "lb");
      }
    }
  }

  /** n objects: 2 distributions, spread evenly over 30 days of hours, key layout as CloudFront's. */
  static void layOut(Path bucketDir, int n, long start) throws Exception {
    int hours = DAYS * 24;
    for (int i = 0; i < n; i++) {
      String dist = DISTS[i % DISTS.length];
      long hour = start + (long) ((i / DISTS.length) % hours) * H;
      String name = dist + "." + CloudFrontKeys.hourStamp(hour) + "." + String.format("%08x", i) + ".gz";
      Path f = bucketDir.resolve("logs").resolve(dist).resolve(name);
      Files.createDirectories(f.getParent());
      Files.write(f, new byte[] {0x1f});
    }
  }

  /**
   * n load-balancer objects: 3 (account, region) folders, each folder's files spread evenly over
   * 30 days (end times on the minute), key layout as AWS writes it.
   */
  static void layOutAlb(Path bucketDir, int n, long start) throws Exception {
    String[][] folders = {{"111111111111", "us-east-1"}, {"111111111111", "eu-central-1"}, {"222222222222", "us-east-1"}};
    java.time.format.DateTimeFormatter day =
        java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(java.time.ZoneOffset.UTC);
    java.time.format.DateTimeFormatter stamp =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(java.time.ZoneOffset.UTC);
    long perFolder = Math.max(1, n / folders.length);
    for (int i = 0; i < n; i++) {
      String[] f = folders[i % folders.length];
      long offset = (i / folders.length) * (DAYS * 24 * H) / perFolder;
      Instant end = Instant.ofEpochMilli(start + offset / 60_000L * 60_000L + 60_000L);
      String name = f[0] + "_elasticloadbalancing_" + f[1] + "_app.bench." + "50dc6c495c0c9188_" + stamp.format(end)
          + "_10.0.0.1_" + String.format("%08x", i) + ".log.gz";
      Path p = bucketDir.resolve("lb/AWSLogs/" + f[0] + "/elasticloadbalancing/" + f[1] + "/" + day.format(end)).resolve(name);
      Files.createDirectories(p.getParent());
      Files.write(p, new byte[] {0x1f});
    }
  }

  static void tail(int n, String input, KeyLayout layout, S3AccessOptions options, long start, int lateness, int scan)
      throws Exception {
    LogStore store = LogStore.forInput(input);
    store.open(options);
    HourTail tail = new HourTail(store, layout, lateness, scan);
    TailState state = new TailState();
    // the job started 3 days before the end of the 30 days; one poll every 6 simulated hours is
    // enough to reach the steady state (what a poll lists depends on the clock, not the cadence)
    long end = start + DAYS * 24 * H;
    long t = end - 3 * 24 * H;
    long maxList = 0;
    long maxOther = 0;
    long ms = 0;
    int polls = 0;
    for (; t < end; t += 6 * H) {
      Map<String, Long> before = S3RequestCounter.snapshot();
      long t0 = System.nanoTime();
      tail.poll(state, t + 30 * 60_000, (m, h, late) -> {});
      ms += (System.nanoTime() - t0) / 1_000_000;
      polls++;
      Map<String, Long> after = S3RequestCounter.snapshot();
      long list = delta(before, after, "ListObjectsV2");
      long all = after.values().stream().mapToLong(Long::longValue).sum() - before.values().stream().mapToLong(Long::longValue).sum();
      maxList = Math.max(maxList, list);
      maxOther = Math.max(maxOther, all - list);
    }
    // the checkpointed form: the restriction coder Flink snapshots
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TailState.Coder.of().encode(state, bytes);
    String what =
        layout == KeyLayout.ALB_DAYS
            ? "load balancers: day-folder tail (lateness 25 h, scan band " + scan + " h)"
            : "hour-prefix tail (lateness 25 h, scan band " + scan + " h)";
    row(n, what, maxList, maxOther, state.trackedKeys(), bytes.size(), ms / polls);
  }

  /** What one poll of FileIO.match().continuously() does: match the glob, keep a hash per file. */
  static void watch(int n, String bucket) throws Exception {
    watch(n, bucket, "logs");
  }

  static void watch(int n, String bucket, String folder) throws Exception {
    Map<String, Long> before = S3RequestCounter.snapshot();
    long t0 = System.nanoTime();
    List<MatchResult> r = FileSystems.match(List.of("s3://" + bucket + "/" + folder + "/**"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Map<String, Long> after = S3RequestCounter.snapshot();
    int matched = r.get(0).metadata().size();
    long list = delta(before, after, "ListObjectsV2");
    long all = after.values().stream().mapToLong(Long::longValue).sum() - before.values().stream().mapToLong(Long::longValue).sum();
    // Watch.GrowthState keeps every output ever seen: a 128-bit hash and a timestamp per file
    Map<byte[], org.joda.time.Instant> completed = new java.util.HashMap<>();
    for (int i = 0; i < matched; i++) {
      completed.put(java.nio.ByteBuffer.allocate(16).putLong(i).putLong(~i).array(), new org.joda.time.Instant(i));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    MapCoder.of(ByteArrayCoder.of(), InstantCoder.of()).encode(completed, bytes);
    row(n, (folder.equals("lb") ? "load balancers: " : "") + "FileIO.match().continuously() (Watch)", list, all - list, matched, bytes.size(), ms);
  }

  static long delta(Map<String, Long> a, Map<String, Long> b, String op) {
    return b.getOrDefault(op, 0L) - a.getOrDefault(op, 0L);
  }

  static void row(int n, String source, long list, long other, long entries, long bytes, long ms) {
    System.out.println(String.format(Locale.ROOT, "| %,d | %s | %,d | %,d | %,d | %,d | %,d ms |", n, source, list, other, entries, bytes, ms));
  }
}
