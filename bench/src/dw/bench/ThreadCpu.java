package dw.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time per thread group of a running child JVM, read from /proc every half second (the last
 * reading of each thread is kept, so threads that ended still count). Groups: the Flink operator
 * chains by their first operator, JIT compiler, GC, sort/spill threads, and the rest ("java" is the
 * main thread plus native threads such as DuckDB's). Linux only; elsewhere it reports nothing.
 */
final class ThreadCpu implements AutoCloseable {
  private final long rootPid;
  private final Map<String, double[]> lastByTask = new HashMap<>();
  private final Thread poller;
  private volatile boolean running = true;
  private final long ticks = 100; // USER_HZ on Linux

  ThreadCpu(long rootPid) {
    this.rootPid = rootPid;
    this.poller = new Thread(this::loop, "thread-cpu");
    poller.setDaemon(true);
    poller.start();
  }

  private void loop() {
    while (running) {
      try {
        for (long pid : descendants(rootPid)) {
          Path tasks = Paths.get("/proc", String.valueOf(pid), "task");
          try (Stream<Path> s = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) s::iterator) {
              try {
                String stat = Files.readString(t.resolve("stat"));
                String name = Files.readString(t.resolve("comm")).trim();
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) ticks;
                synchronized (lastByTask) {
                  lastByTask.put(pid + "/" + t.getFileName() + "/" + name, new double[] {cpu});
                }
              } catch (Exception ignored) {
                // the thread ended between listing and reading
              }
            }
          } catch (Exception ignored) {
            // the process ended
          }
        }
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static List<Long> descendants(long pid) {
    List<Long> out = new ArrayList<>();
    out.add(pid);
    for (int i = 0; i < out.size(); i++) {
      try {
        String children =
            Files.readString(Paths.get("/proc", String.valueOf(out.get(i)), "task", String.valueOf(out.get(i)), "children"))
                .trim();
        for (String c : children.isEmpty() ? new String[0] : children.split(" ")) {
          out.add(Long.parseLong(c));
        }
      } catch (Exception ignored) {
        // gone
      }
    }
    return out;
  }

  static String group(String comm) {
    // /proc truncates thread names to 15 characters
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
      return "JIT compiler";
    }
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
      return "GC and VM";
    }
    if (comm.startsWith("SortMerger")) {
      return "Flink sort/spill threads";
    }
    if (comm.startsWith("CHAIN ")) {
      return "Flink operator chains (" + comm.substring(6).trim() + "…)";
    }
    if (comm.startsWith("FlatMap (")) {
      // a task of one operator (the reading step: its several outputs keep it from chaining)
      return "Flink single-operator tasks (" + comm.trim() + "…)";
    }
    if (comm.equals("java")) {
      return "main thread + native threads (DuckDB)";
    }
    return "other";
  }

  /** Seconds of CPU per group, largest first. */
  Map<String, Double> byGroup() {
    Map<String, Double> g = new TreeMap<>();
    synchronized (lastByTask) {
      lastByTask.forEach((k, v) -> g.merge(group(k.substring(k.lastIndexOf('/') + 1)), v[0], Double::sum));
    }
    Map<String, Double> sorted = new LinkedHashMap<>();
    g.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
  }
}
