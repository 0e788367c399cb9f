package dw.pipelines.generate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ground truth, computed from the generator's own model and never from the lines it wrote: per
 * server-day, the {@code security_server_daily} row (pings, latest and highest active users,
 * distinct addresses and versions, exclusion reasons by {@link GeneratorRules}, latest version and
 * country), and per day the {@code security_daily_totals} of the servers with no exclusion reason,
 * by version, edition, database, OS and country. This is the oracle the pipelines are checked
 * against; it shares no code with them ({@code GeneratorIndependenceTest}).
 */
final class PingTruth {
  private final String[] dates;
  private final PingServers servers;
  private final PingCounters counters;
  private final AsciiOut serverOut;
  private final AsciiOut totalsOut;

  /** Writes the server-day rows to {@code serverOut} and the totals to {@code totalsOut} (headers already written). */
  PingTruth(String[] dates, PingServers servers, PingCounters counters, AsciiOut serverOut, AsciiOut totalsOut) {
    this.dates = dates;
    this.servers = servers;
    this.counters = counters;
    this.serverOut = serverOut;
    this.totalsOut = totalsOut;
  }

  private int reasonsOf(PingSchedule.Ping p) {
    int bits = servers.serverBits[p.server];
    if (p.build.custom) {
      bits |= GeneratorRules.CUSTOM_BUILD;
    }
    if (p.auc > p.uc && p.auc >= 0 && p.uc >= 0) {
      bits |= GeneratorRules.AUC_EXCEEDS_UC;
    }
    if (p.net == PingServers.NET_RESTRICTED) {
      bits |= GeneratorRules.RESTRICTED_IP;
    } else if (p.net >= 0 && servers.excludedNet[p.net]) {
      bits |= GeneratorRules.EXCLUDED_COUNTRY;
    }
    return bits;
  }

  /** Number of distinct values among {@code v[0..k)} (k is tiny). */
  private static int distinct(String[] v, int k) {
    int c = 0;
    outer:
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < i; j++) {
        if (v[j].equals(v[i])) {
          continue outer;
        }
      }
      c++;
    }
    return c;
  }

  private static final String[] REASON_TEXT = new String[1 << GeneratorRules.REASON_CODES.size()];

  static {
    for (int i = 0; i < REASON_TEXT.length; i++) {
      REASON_TEXT[i] = csv(GeneratorRules.reasons(i));
    }
  }

  private static final String[] EDITIONS = {"Unknown", "TE", "E0"}; // index be + 1
  private String[] countryByNet; // index net + 2 (restricted, unknown, networks...)

  /** Writes the security_server_daily row of one server-day and adds it to the day's totals. */
  private void truthRow(String date, List<PingSchedule.Ping> pings, int[] gr, String[] ipv, String[] ver,
      Map<Long, long[]> totals) {
    AsciiOut o = serverOut;
    PingSchedule.Ping latest = pings.get(gr[0]);
    int count = 0;
    int maxAuc = -1;
    int bits = 0;
    int k = 0;
    for (int i = gr[0]; i < gr[1]; i++) {
      PingSchedule.Ping p = pings.get(i);
      if (p.sec > latest.sec) {
        latest = p;
      }
      count += p.duplicate ? 2 : 1;
      maxAuc = Math.max(maxAuc, p.auc);
      bits |= reasonsOf(p);
      ipv[k] = p.ip;
      ver[k] = p.build.versionFull;
      k++;
    }
    int distinctVersions = k > 1 ? distinct(ver, k) : 1;
    int s = latest.server;
    if (maxAuc >= 0 && latest.auc != maxAuc) {
      counters.bump("server_days_latest_below_max", 1);
    }
    int countryIdx = latest.net + 2;
    o.s(date).c(',').s(servers.ids[s]).c(',').num(count).c(',');
    if (latest.auc >= 0) {
      o.num(latest.auc);
    }
    o.c(',');
    if (maxAuc >= 0) {
      o.num(maxAuc);
    }
    o.c(',').num(k > 1 ? distinct(ipv, k) : 1).c(',').num(distinctVersions).c(',')
        .s(REASON_TEXT[bits]).c(',').s(latest.build.versionFull).c(',').s(countryByNet[countryIdx]).c('\n');
    if (bits == 0) {
      long key = ((long) latest.build.majorMinorIdx << 32)
          | ((long) (servers.be[s] + 1) << 24)
          | ((long) servers.dbIdx[s] << 20)
          | ((long) servers.osIdx[s] << 16)
          | (countryByNet[countryIdx].equals("unknown") ? 0 : countryIdx);
      long[] acc = totals.get(key);
      if (acc == null) {
        acc = new long[4];
        totals.put(key, acc);
      }
      acc[0]++;
      acc[1] += Math.max(0, latest.auc);
      acc[2] += Math.max(0, maxAuc);
      acc[3] += Math.max(0, latest.uc);
    }
  }

  void writeTruth(int d, List<PingSchedule.Ping> pings, List<int[]> groups) throws IOException {
    if (countryByNet == null) {
      List<GeneratorNetworks.Network> all = GeneratorNetworks.all();
      countryByNet = new String[all.size() + 2];
      countryByNet[0] = "unknown"; // restricted IP: in no network
      countryByNet[1] = "unknown";
      for (int i = 0; i < all.size(); i++) {
        countryByNet[i + 2] = all.get(i).countryIso();
      }
    }
    String date = dates[d];
    // breakdown key packed into a long: version index, edition, db, os, country (net index + 2)
    Map<Long, long[]> totals = new HashMap<>();
    String[] ipv = new String[8];
    String[] ver = new String[8];
    for (int[] gr : groups) { // servers are numbered in id order
      truthRow(date, pings, gr, ipv, ver, totals);
    }
    counters.bump("server_days", groups.size());
    // sort by the column values (several network indexes can share a country: merge them first)
    Map<String, long[]> byText = new HashMap<>();
    for (Map.Entry<Long, long[]> e : totals.entrySet()) {
      long key = e.getKey();
      String text = servers.majorMinors.get((int) (key >>> 32)) + "\0" + EDITIONS[(int) (key >>> 24 & 0xff)] + "\0"
          + PingServers.DBS.get((int) (key >>> 20 & 0xf)) + "\0" + PingServers.OSES.get((int) (key >>> 16 & 0xf)) + "\0"
          + countryByNet[(int) (key & 0xffff)];
      long[] acc = byText.computeIfAbsent(text, x -> new long[4]);
      for (int i = 0; i < 4; i++) {
        acc[i] += e.getValue()[i];
      }
    }
    // '\0' sorts below every character in the values, so sorting the joined text sorts column by column
    List<String> keys = new ArrayList<>(byText.keySet());
    keys.sort(Comparator.naturalOrder());
    for (String key : keys) {
      long[] a = byText.get(key);
      totalsOut.s(date).c(',').s(key.replace('\0', ',')).c(',').num(a[0]).c(',').num(a[1]).c(',').num(a[2])
          .c(',').num(a[3]).c('\n');
    }
  }

  /** RFC 4180 quoting when needed. */
  static String csv(String v) {
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }
}
