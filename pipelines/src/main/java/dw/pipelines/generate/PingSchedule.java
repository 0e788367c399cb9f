package dw.pipelines.generate;

import static dw.pipelines.generate.SecurityPingGenerator.mix;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * When each server pings on a day: which servers are active, 1–3 pings at distinct seconds, the
 * within-day and overnight address and version changes, the requests that finish past the hour, and
 * the duplicated, status-000 and stray-TAB lines; then the day's truth ({@link PingTruth}), the
 * placement of every ping line in an hour file, and the day's noise ({@link PingNoise}).
 */
final class PingSchedule {
  /** One ping (a request that a correct pipeline keeps). */
  static final class Ping {
    final int server;
    final int day;
    int sec;
    String ip;
    int net;
    PingServers.Build build;
    int uc;
    int tc;
    int auc;
    boolean status000;
    boolean duplicate;
    boolean strayTab;
    boolean boundary;
    final long seed;

    Ping(int server, int day, int sec, long seed) {
      this.server = server;
      this.day = day;
      this.sec = sec;
      this.seed = seed;
    }
  }

  /** One output line: a ping, a pre-built request, or raw text. */
  static final class Line {
    final Ping ping;
    final PingRendering.Req req;
    final String raw;
    final int slot;
    final boolean strayTab;

    Line(Ping ping, PingRendering.Req req, String raw, int slot, boolean strayTab) {
      this.ping = ping;
      this.req = req;
      this.raw = raw;
      this.slot = slot;
      this.strayTab = strayTab;
    }
  }

  private final SecurityPingGenerator.Config cfg;
  private final PingServers servers;
  private final PingTruth truth;
  private final PingNoise noise;
  private final PingCounters counters;

  PingSchedule(
      SecurityPingGenerator.Config cfg, PingServers servers, PingTruth truth, PingNoise noise, PingCounters counters) {
    this.cfg = cfg;
    this.servers = servers;
    this.truth = truth;
    this.noise = noise;
    this.counters = counters;
  }

  static int[] pickDistinct(SplittableRandom r, int size, int count) {
    count = Math.min(count, size);
    if (count <= 0) {
      return new int[0];
    }
    Set<Integer> chosen = new HashSet<>();
    int[] out = new int[count];
    int k = 0;
    while (k < count) {
      int i = r.nextInt(size);
      if (chosen.add(i)) {
        out[k++] = i;
      }
    }
    Arrays.sort(out);
    return out;
  }

  static int countFor(double fraction, int population) {
    if (fraction <= 0 || population <= 0) {
      return 0;
    }
    return (int) Math.max(1, Math.round(fraction * population));
  }

  void generateDay(int d, List<Line>[] hours, List<Line> prevHour23) throws IOException {
    SplittableRandom r = new SplittableRandom(mix(cfg.seed(), 0xDA7, d));
    List<Ping> pings = new ArrayList<>((int) (servers.n * 1.4));
    List<int[]> groups = new ArrayList<>(servers.n); // {start, end}
    int[] secs = new int[3];
    for (int s = 0; s < servers.n; s++) {
      if (r.nextDouble() < cfg.activeDayProbability) {
        addServerDay(d, s, r, pings, groups, secs);
      }
    }

    // within-day changes on multi-ping server-days: later pings come from a new address / a newer build
    List<Integer> multiAddr = new ArrayList<>();
    List<Integer> multiNormal = new ArrayList<>();
    List<Integer> single = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      int[] gr = groups.get(g);
      byte c = servers.category[pings.get(gr[0]).server];
      if (gr[1] - gr[0] > 1) {
        if (c == PingServers.NORMAL || c == PingServers.EXCL_COUNTRY) {
          multiAddr.add(g);
        }
        if (c == PingServers.NORMAL) {
          multiNormal.add(g);
        }
      } else {
        single.add(g);
      }
    }
    for (int gi : pickDistinct(r, multiAddr.size(), countFor(cfg.ipChangeFraction, multiAddr.size()))) {
      int[] gr = groups.get(multiAddr.get(gi));
      int s = pings.get(gr[0]).server;
      int split = gr[0] + 1 + r.nextInt(gr[1] - gr[0] - 1);
      servers.assignAddress(s, r);
      for (int i = split; i < gr[1]; i++) {
        pings.get(i).ip = servers.ip[s];
        pings.get(i).net = servers.net[s];
      }
      counters.bump("ip_changes_within_day", 1);
    }
    for (int gi : pickDistinct(r, multiNormal.size(), countFor(cfg.versionChangeFraction, multiNormal.size()))) {
      int[] gr = groups.get(multiNormal.get(gi));
      int s = pings.get(gr[0]).server;
      PingServers.Build next = servers.build(servers.upgraded(servers.build[s].text, r));
      if (next == servers.build[s]) {
        continue;
      }
      servers.build[s] = next;
      int split = gr[0] + 1 + r.nextInt(gr[1] - gr[0] - 1);
      for (int i = split; i < gr[1]; i++) {
        pings.get(i).build = next;
      }
      counters.bump("version_changes_within_day", 1);
    }
    // requests that finish just past the hour: time HH:00:0x, written in the file of hour HH-1
    int[] boundary = pickDistinct(r, single.size(), countFor(cfg.boundaryFraction, single.size()));
    for (int bi = 0; bi < boundary.length; bi++) {
      Ping p = pings.get(groups.get(single.get(boundary[bi]))[0]);
      int h;
      if (d > 0 && bi == 0) {
        h = 0; // across the day boundary: date D+1 00:00:0x in file D-23
      } else {
        h = d > 0 ? r.nextInt(24) : 1 + r.nextInt(23);
      }
      p.sec = h * 3600 + r.nextInt(10);
      p.boundary = true;
      counters.bump("boundary_lines", 1);
      if (h == 0) {
        counters.bump("day_boundary_lines", 1);
      }
    }
    for (int i : pickDistinct(r, pings.size(), countFor(cfg.duplicateFraction, pings.size()))) {
      pings.get(i).duplicate = true;
    }
    for (int i : pickDistinct(r, pings.size(), countFor(cfg.status000Fraction, pings.size()))) {
      pings.get(i).status000 = true;
    }
    for (int i : pickDistinct(r, pings.size(), countFor(cfg.strayTabFraction, pings.size()))) {
      pings.get(i).strayTab = true;
    }

    truth.writeTruth(d, pings, groups);

    // place ping lines
    int fph = cfg.filesPerHour();
    for (Ping p : pings) {
      int key = d * 24 + p.sec / 3600 - (p.boundary ? 1 : 0);
      int slot = servers.dist[p.server] * fph + r.nextInt(fph);
      place(d, key, new Line(p, null, null, slot, p.strayTab), hours, prevHour23);
      int copies = 1;
      if (p.duplicate) {
        // the copy goes to a (possibly other) file of the same hour and distribution: identical bytes
        place(d, key, new Line(p, null, null, servers.dist[p.server] * fph + r.nextInt(fph), p.strayTab), hours,
            prevHour23);
        copies = 2;
        counters.bump("duplicate_lines", 1);
      }
      counters.parsedPings += copies;
      counters.bump("ping_lines", copies);
      if (p.strayTab) {
        counters.bump("stray_tab_lines", copies);
      }
      if (p.status000) {
        counters.bump("status_000_lines", copies);
      }
      if (p.ip.indexOf(':') >= 0) {
        counters.bump("ipv6_ping_lines", copies);
      }
      if (p.net < 0) {
        counters.bump("unknown_country_ping_lines", copies);
      }
    }
    noise.generateNoise(d, pings.size(), r, hours);
  }

  /** The pings of server {@code s} on day {@code d}: 1–3 at distinct seconds, in time order. */
  private void addServerDay(int d, int s, SplittableRandom r, List<Ping> pings, List<int[]> groups, int[] secs) {
    byte c = servers.category[s];
    if (d > 0 && c == PingServers.NORMAL && r.nextDouble() < cfg.overnightUpgradeFraction) {
      servers.build[s] = servers.build(servers.upgraded(servers.build[s].text, r));
    }
    if (d > 0 && (c == PingServers.NORMAL || c == PingServers.EXCL_COUNTRY) && r.nextDouble() < cfg.overnightIpChangeFraction) {
      servers.assignAddress(s, r);
    }
    double kx = r.nextDouble();
    int k = kx < cfg.threePingFraction ? 3 : kx < cfg.threePingFraction + cfg.twoPingFraction ? 2 : 1;
    for (int j = 0; j < k; j++) {
      int sec;
      boolean clash;
      do {
        sec = r.nextInt(86_400);
        clash = false;
        for (int q = 0; q < j; q++) {
          clash |= secs[q] == sec;
        }
      } while (clash);
      secs[j] = sec;
    }
    Arrays.sort(secs, 0, k);
    int start = pings.size();
    int uc = servers.baseUc[s] + d * servers.growth[s];
    for (int j = 0; j < k; j++) {
      Ping p = new Ping(s, d, secs[j], r.nextLong());
      p.ip = servers.ip[s];
      p.net = servers.net[s];
      p.build = servers.build[s];
      p.uc = uc + (j > 0 && r.nextDouble() < 0.3 ? 1 : 0);
      uc = p.uc;
      p.tc = servers.baseTc[s];
      if (c == PingServers.AUC_GT_UC) {
        p.auc = p.uc + 1 + r.nextInt(Math.max(1, p.uc / 2) + 1);
      } else {
        double ratio = servers.activeRatio[s] + (r.nextDouble() - 0.5) * 0.3;
        p.auc = (int) Math.round(p.uc * Math.max(0, Math.min(1, ratio)));
      }
      if (c != PingServers.AUC_GT_UC && r.nextDouble() < cfg.missingCountsFraction) {
        double m = r.nextDouble();
        if (m < 0.4) {
          p.auc = -1;
        } else if (m < 0.6) {
          p.uc = -1;
        } else if (m < 0.7) {
          p.tc = -1;
        } else {
          p.auc = -1;
          p.uc = -1;
          p.tc = -1;
        }
        counters.bump("missing_count_param_pings", 1);
      }
      pings.add(p);
    }
    groups.add(new int[] {start, pings.size()});
  }

  private static void place(int d, int key, Line line, List<Line>[] hours, List<Line> prevHour23) {
    if (key == d * 24 - 1) {
      prevHour23.add(line);
    } else {
      hours[key - d * 24].add(line);
    }
  }
}
