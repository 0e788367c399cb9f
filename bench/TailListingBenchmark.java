import dw.io.files.CloudFrontKeys;
import dw.io.files.HourTail;
import dw.io.files.LogStore;
import dw.io.files.TailState;
import dw.io.s3.S3AccessOptions;
import dw.io.s3.S3RequestCounter;
import dw.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
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
 * server (S3Proxy, filesystem backend). Run: bench/tail-listing.sh [files...] (default 10000 100000).
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
        tail(n, bucket, options, start, 25, 24);
        tail(n, bucket, options, start, 25, 0);
        watch(n, bucket);
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

  static void tail(int n, String bucket, S3AccessOptions options, long start, int lateness, int scan) throws Exception {
    LogStore store = LogStore.forInput("s3://" + bucket + "/logs");
    store.open(options);
    HourTail tail = new HourTail(store, lateness, scan);
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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(state);
    }
    row(n, "hour-prefix tail (lateness 25 h, scan band " + scan + " h)", maxList, maxOther, state.trackedKeys(), bytes.size(), ms / polls);
  }

  /** What one poll of FileIO.match().continuously() does: match the glob, keep a hash per file. */
  static void watch(int n, String bucket) throws Exception {
    Map<String, Long> before = S3RequestCounter.snapshot();
    long t0 = System.nanoTime();
    List<MatchResult> r = FileSystems.match(List.of("s3://" + bucket + "/logs/**"));
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
    row(n, "FileIO.match().continuously() (Watch)", list, all - list, matched, bytes.size(), ms);
  }

  static long delta(Map<String, Long> a, Map<String, Long> b, String op) {
    return b.getOrDefault(op, 0L) - a.getOrDefault(op, 0L);
  }

  static void row(int n, String source, long list, long other, long entries, long bytes, long ms) {
    System.out.println(String.format(Locale.ROOT, "| %,d | %s | %,d | %,d | %,d | %,d | %,d ms |", n, source, list, other, entries, bytes, ms));
  }
}
