package dw.bench;

import dw.transforms.daily.LatestPerServer;
import dw.transforms.daily.ServerDay;
import dw.transforms.daily.ServerDayCoder;
import dw.transforms.daily.TotalsContribution;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import dw.transforms.security.SecurityPing;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory of one open day: the per-server accumulators ({@link ServerDay}, one per server) and the
 * day's totals accumulator ({@link LatestPerServer}), for N distinct servers. Reports the heap
 * they retain (measured after GC) and their encoded size (what Flink state and checkpoints hold).
 */
public final class StateSize {
  private static final ClientIpPolicy IPS =
      new ClientIpPolicy(new IpPseudonymizer(new byte[32]), false, false);

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    long base = usedAfterGc();
    List<ServerDay> days = new ArrayList<>(n);
    LatestPerServer totals = new LatestPerServer();
    long start = java.time.Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    for (int i = 0; i < n; i++) {
      String id = String.format("%026d", i);
      SecurityPing.Builder b = SecurityPing.builder()
          .serverId(id).rawBuild("9.5." + (i % 12) + ".9.5." + (i % 12)).enterpriseReady(i % 2 == 0)
          .database("postgres").os("linux").registeredUsers(100L + i % 1000).teams(3L)
          .clientIp("203." + (i >>> 16 & 255) + "." + (i >>> 8 & 255) + "." + (i & 255))
          .geo("US", "United States", "CA", "California", "San Jose", null)
          .pseudonymize(IPS); // as the parse step leaves it: hash and fingerprint, no address
      ServerDay d = new ServerDay()
          .add(b.eventTimeMillis(start + (i % 40_000) * 1000L).activeUsers((long) (i % 500)).build())
          .add(b.eventTimeMillis(start + 50_000_000L + (i % 30_000) * 1000L).activeUsers((long) (i % 300)).build());
      days.add(d);
      totals.add(TotalsContribution.of(d));
    }
    long heap = usedAfterGc() - base;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long encodedDays = 0;
    for (ServerDay d : days) {
      out.reset();
      ServerDayCoder.of().encode(d, out);
      encodedDays += out.size();
    }
    out.reset();
    LatestPerServer.Coder.of().encode(totals, out);
    long encodedTotals = out.size();
    System.out.printf(
        "{\"servers\":%d,\"heap_bytes\":%d,\"encoded_server_days_bytes\":%d,\"encoded_totals_bytes\":%d,\"check\":%d}%n",
        n, heap, encodedDays, encodedTotals, days.size() + totals.size());
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
