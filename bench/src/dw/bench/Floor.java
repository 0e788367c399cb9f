package dw.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The floor: the JDK's GZIPInputStream + BufferedReader line splitting over the data set, with N
 * threads (files dealt round-robin by size). Prints one JSON line: lines, uncompressed bytes,
 * seconds.
 */
public final class Floor {
  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    int threads = Integer.parseInt(args[1]);
    List<Path> files = logFiles(dir);
    List<List<Path>> parts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      parts.add(new ArrayList<>());
    }
    files.sort((a, b) -> Long.compare(size(b), size(a)));
    for (int i = 0; i < files.size(); i++) {
      parts.get(i % threads).add(files.get(i));
    }
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<long[]>> results = new ArrayList<>();
    for (List<Path> part : parts) {
      results.add(pool.submit(() -> {
        long lines = 0;
        long bytes = 0;
        for (Path f : part) {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(
              new GZIPInputStream(Files.newInputStream(f), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            String l;
            while ((l = r.readLine()) != null) {
              lines++;
              bytes += l.length() + 1;
            }
          }
        }
        return new long[] {lines, bytes};
      }));
    }
    long lines = 0;
    long bytes = 0;
    for (Future<long[]> f : results) {
      lines += f.get()[0];
      bytes += f.get()[1];
    }
    pool.shutdown();
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("{\"lines\":%d,\"bytes\":%d,\"seconds\":%.3f}%n", lines, bytes, s);
  }

  static long size(Path p) {
    try {
      return Files.size(p);
    } catch (Exception e) {
      return 0;
    }
  }

  static List<Path> logFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(".gz")).sorted().toList());
    }
  }
}
