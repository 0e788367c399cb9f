package dw.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.testing.S3ProxyServer;
import dw.transforms.cloudfront.TestLines;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gzip CloudFront object of gigabytes (uncompressed) on a real S3 server is read in bounded
 * memory: a child JVM with a 96 MB heap reads it through the pipelines' own reading path
 * ({@code FileSystems.open} on the {@code s3://} address + {@link
 * dw.transforms.common.LogFileReader}) and counts every line; its peak heap and resident memory
 * are a small fraction of the object.
 *
 * <p>The object is written straight into the S3Proxy filesystem backend's folder while it is
 * generated (streaming: a block of security-ping lines repeated with a changing counter in every
 * line, gzipped at the fastest level), so the test holds nothing in memory; the read is a real S3
 * GET. Size: {@code -Ddw.largeObjectMiB} (default 2048, i.e. 2 GiB uncompressed).
 */
class LargeObjectS3Test {
  @TempDir static Path dir;
  static S3ProxyServer s3;
  static Path root;

  @BeforeAll
  static void start() throws Exception {
    root = Files.createDirectories(dir.resolve("buckets"));
    s3 = S3ProxyServer.start(dir.resolve("s3proxy"), root);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  /** What was written: lines, characters (with newlines), ping lines. */
  record Written(long lines, long chars, long pings, long compressedBytes) {}

  /**
   * Writes a gzip CloudFront log of about {@code targetBytes} uncompressed: two header lines, then
   * a block of the hand-written example lines repeated, each line's request id carrying a running
   * 12-digit counter (so no two lines are equal) and 28 pseudo-random base64 characters (so the
   * object compresses about 10:1, like real CloudFront logs, and its compressed size alone is
   * larger than the reader's heap).
   */
  static Written writeLargeLog(Path file, long targetBytes) throws IOException {
    List<String> templates =
        List.of(TestLines.NORMAL_EARLY, TestLines.NEW_BUILD_FORMAT, TestLines.WINDOWS_MYSQL_TE, TestLines.DEV_BUILD_UNIT_TESTS);
    String marker = "\tMiss\t"; // the field after it is the request id: its first 40 characters are replaced
    StringBuilder block = new StringBuilder();
    List<Integer> counterAt = new ArrayList<>();
    int linesPerBlock = 160;
    for (int i = 0; i < linesPerBlock; i++) {
      String t = templates.get(i % templates.size());
      int at = t.indexOf(marker) + marker.length();
      counterAt.add(block.length() + at);
      block.append(t).append('\n');
    }
    byte[] bytes = block.toString().getBytes(StandardCharsets.US_ASCII);
    String header = TestLines.VERSION_HEADER + "\n" + TestLines.FIELDS_HEADER_33 + "\n";
    long lines = 2;
    long chars = header.length();
    long counter = 0;
    long random = 0x9E3779B97F4A7C15L;
    byte[] alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        GZIPOutputStream z = new FastGzip(raw)) {
      z.write(header.getBytes(StandardCharsets.US_ASCII));
      while (chars < targetBytes) {
        for (int at : counterAt) {
          long c = counter++;
          for (int d = 11; d >= 0; d--) {
            bytes[at + d] = (byte) ('0' + c % 10);
            c /= 10;
          }
          for (int d = 12; d < 40; d += 10) { // xorshift64: 10 characters of 6 bits per step
            random ^= random << 13;
            random ^= random >>> 7;
            random ^= random << 17;
            long x = random;
            for (int k = d; k < Math.min(d + 10, 40); k++) {
              bytes[at + k] = alphabet[(int) (x & 63)];
              x >>>= 6;
            }
          }
        }
        z.write(bytes);
        lines += linesPerBlock;
        chars += bytes.length;
      }
    }
    return new Written(lines, chars, (lines - 2), Files.size(file));
  }

  /** gzip at the fastest level (the content is what matters, not the ratio). */
  static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  @Test
  void aGigabytesObjectIsReadLineByLineInASmallHeap() throws Exception {
    long mib = Long.getLong("dw.largeObjectMiB", 2048);
    Path bucket = Files.createDirectories(root.resolve("big"));
    Path folder = Files.createDirectories(bucket.resolve("cf"));
    String name = "EBIG0000000001.2026-11-01-00.0000b1g0.gz";
    long t0 = System.nanoTime();
    Written w = writeLargeLog(folder.resolve(name), mib << 20);
    long genMillis = (System.nanoTime() - t0) / 1_000_000;

    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx96m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LargeObjectReadMain.class.getName());
    cmd.add("s3://big/cf/" + name);
    cmd.addAll(s3.options());
    cmd.add("--s3ClientFactoryClass=" + dw.io.s3.PathStyleS3ClientBuilderFactory.class.getName());
    Path out = dir.resolve("child.out");
    long t1 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the reader finished");
    long readMillis = (System.nanoTime() - t1) / 1_000_000;
    String output = Files.readString(out);
    assertEquals(0, p.exitValue(), output);
    Map<String, Long> r = new HashMap<>();
    for (String l : output.split("\n")) {
      if (l.startsWith("RESULT ")) {
        for (String kv : l.substring(7).split(" ")) {
          String[] x = kv.split("=");
          r.put(x[0], Long.parseLong(x[1]));
        }
      }
    }
    assertTrue(r.containsKey("lines"), output);
    System.out.printf(
        "large object: %d MiB uncompressed, %d MiB gzip, %d lines; generated in %d ms; child JVM"
            + " (-Xmx96m) read it in %d ms (%d ms inside), peak heap %d MiB, heap after the last GC %d MiB,"
            + " peak RSS %d MiB%n",
        w.chars() >> 20, w.compressedBytes() >> 20, w.lines(), genMillis, readMillis, r.get("millis"),
        r.get("heapPeakBytes") >> 20, r.get("heapAfterGcBytes") >> 20, r.get("vmHwmKb") >> 10);
    assertEquals(w.lines(), r.get("lines"), "every line read");
    assertEquals(w.chars(), r.get("chars"), "every character read");
    assertEquals(w.pings(), r.get("pings"));
    assertTrue(w.chars() >= mib << 20);
    assertTrue(w.compressedBytes() > 96L << 20, "even the compressed object is larger than the heap");
    // bounded memory: the heap stays within its 96 MB limit (an object read whole would not fit
    // even compressed), and the whole process stays far below the object's size
    assertTrue(r.get("heapPeakBytes") <= 96L << 20, "peak heap " + r.get("heapPeakBytes"));
    assertTrue(r.get("vmHwmKb") < 400L << 10, "peak RSS " + r.get("vmHwmKb") + " kB");
    assertTrue(w.chars() > 5 * (r.get("vmHwmKb") << 10), "the object is much larger than the reader");
  }
}
