package dw.pipelines.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The lines a pipeline must not count as pings, each a day: requests it filters (bulletins, favicon
 * and other paths, non-GET, non-Go clients, test queries, missing server ids; counted per filter
 * reason) and malformed lines it dead-letters (truncated lines, garbage, bad timestamps, bad numbers;
 * counted per reason). Every hour of every distribution gets at least one line, so every file exists.
 */
final class PingNoise {
  private static final String[] NON_GO_UA = {
    "curl/7.81.0",
    "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)"
        + "%20Chrome/124.0.0.0%20Safari/537.36",
    "Mozilla/5.0%2520(X11;%2520Linux%2520x86_64;%2520rv:125.0)%2520Gecko/20100101%2520Firefox/125.0",
    "python-requests/2.31.0"};
  private static final String[] BROWSER_UA = {
    NON_GO_UA[1],
    "Mozilla/5.0%20(Macintosh;%20Intel%20Mac%20OS%20X%2010_15_7)%20AppleWebKit/605.1.15%20(KHTML,%20like%20Gecko)"
        + "%20Version/17.4%20Safari/605.1.15"};
  private static final String[] OTHER_PATHS = {"/", "/robots.txt", "/.env", "/wp-login.php"};

  private final SecurityPingGenerator.Config cfg;
  private final String[] dates;
  private final int slots;
  private final PingServers servers;
  private final PingRendering rendering;
  private final PingCounters counters;

  PingNoise(
      SecurityPingGenerator.Config cfg,
      String[] dates,
      int slots,
      PingServers servers,
      PingRendering rendering,
      PingCounters counters) {
    this.cfg = cfg;
    this.dates = dates;
    this.slots = slots;
    this.servers = servers;
    this.rendering = rendering;
    this.counters = counters;
  }

  void generateNoise(int d, int pingCount, SplittableRandom r, List<PingSchedule.Line>[] hours) {
    // at least one bulletin fetch per hour and distribution, so every hour of every distribution has a file
    int nBulletin = Math.max(24 * cfg.distributions(), (int) Math.round(cfg.bulletinRate * pingCount));
    int nFavicon = Math.max(1, (int) Math.round(cfg.faviconRate * pingCount));
    int nOther = Math.max(1, (int) Math.round(cfg.otherPathRate * pingCount));
    int nNonGo = Math.max(NON_GO_UA.length, (int) Math.round(cfg.nonGoClientRate * pingCount));
    int nTest = Math.max(2, (int) Math.round(cfg.testQueryRate * pingCount));
    int nNotGet = Math.max(2, (int) Math.round(cfg.notGetRate * pingCount));
    int nMissingId = Math.max(3, (int) Math.round(cfg.missingIdRate * pingCount));
    int nTrunc = Math.max(1, (int) Math.round(cfg.truncatedRate * pingCount));
    int nGarbage = Math.max(1, (int) Math.round(cfg.garbageRate * pingCount));
    int nBadTs = Math.max(2, (int) Math.round(cfg.badTimestampRate * pingCount));
    int nBadNum = Math.max(3, (int) Math.round(cfg.badNumberRate * pingCount));
    int fNotPath = SecurityPingGenerator.FILTER_REASONS.indexOf("not_security_path");

    for (int i = 0; i < nBulletin; i++) {
      PingRendering.Req q = baseNoise(d, r, PingRendering.GO_UA[r.nextInt(2)], true);
      q.stem = "/bulletins/MMSA-" + (2023 + r.nextInt(3)) + "-00" + (100 + r.nextInt(300));
      q.query = "-";
      q.scBytes = 900 + r.nextInt(1500);
      q.contentType = "application/json";
      q.contentLen = Integer.toString(q.scBytes - 470);
      int slot = -1;
      if (i < 24 * cfg.distributions()) {
        q.sec = i / cfg.distributions() * 3600 + r.nextInt(3600);
        slot = i % cfg.distributions() * cfg.filesPerHour() + r.nextInt(cfg.filesPerHour());
      }
      addNoise(q, r, hours, fNotPath, slot);
    }
    counters.bump("bulletin_lines", nBulletin);
    for (int i = 0; i < nFavicon; i++) {
      PingRendering.Req q = baseNoise(d, r, BROWSER_UA[r.nextInt(BROWSER_UA.length)], false);
      q.stem = "/favicon.ico";
      q.query = "-";
      q.status = "403";
      q.resultType = "Error";
      q.detailedResultType = "Error";
      q.contentType = "application/xml";
      q.contentLen = "-";
      q.scBytes = 520 + r.nextInt(30);
      addNoise(q, r, hours, fNotPath);
    }
    counters.bump("favicon_lines", nFavicon);
    for (int i = 0; i < nOther; i++) {
      PingRendering.Req q = baseNoise(d, r, i % 2 == 0 ? NON_GO_UA[0] : NON_GO_UA[3], false);
      q.stem = OTHER_PATHS[i % OTHER_PATHS.length];
      q.query = "-";
      q.status = "403";
      q.resultType = "Error";
      q.detailedResultType = "Error";
      addNoise(q, r, hours, fNotPath);
    }
    counters.bump("other_path_lines", nOther);
    for (int i = 0; i < nNotGet; i++) {
      PingRendering.Req q = baseNoise(d, r, PingRendering.GO_UA[r.nextInt(2)], true);
      q.method = i % 3 == 2 ? "HEAD" : "POST";
      q.query = validQuery(r, null, null);
      q.status = "403";
      addNoise(q, r, hours, SecurityPingGenerator.FILTER_REASONS.indexOf("not_get"));
    }
    counters.bump("not_get_lines", nNotGet);
    for (int i = 0; i < nNonGo; i++) {
      PingRendering.Req q = baseNoise(d, r, NON_GO_UA[i % NON_GO_UA.length], true);
      q.query = validQuery(r, null, null);
      addNoise(q, r, hours, SecurityPingGenerator.FILTER_REASONS.indexOf("not_go_client"));
    }
    counters.bump("non_go_client_lines", nNonGo);
    for (int i = 0; i < nTest; i++) {
      PingRendering.Req q = baseNoise(d, r, PingRendering.GO_UA[r.nextInt(2)], true);
      if (i % 2 == 0) {
        q.query = validQuery(r, "b", "BUMP_RELEASE_" + PingServers.RELEASES[r.nextInt(PingServers.RELEASES.length)]);
      } else {
        q.query = validQuery(r, "b", PingServers.RELEASES[r.nextInt(PingServers.RELEASES.length)] + ".plyr-1." + (1000 + r.nextInt(9000)));
      }
      addNoise(q, r, hours, SecurityPingGenerator.FILTER_REASONS.indexOf("test_query"));
    }
    counters.bump("test_query_lines", nTest);
    for (int i = 0; i < nMissingId; i++) {
      PingRendering.Req q = baseNoise(d, r, PingRendering.GO_UA[r.nextInt(2)], true);
      switch (i % 3) {
        case 0 -> q.query = validQuery(r, "id", "");
        case 1 -> q.query = validQuery(r, "id", null);
        default -> q.query = "-";
      }
      addNoise(q, r, hours, SecurityPingGenerator.FILTER_REASONS.indexOf("missing_server_id"));
    }
    counters.bump("missing_id_lines", nMissingId);

    // malformed
    for (int i = 0; i < nTrunc; i++) {
      PingRendering.Req q = baseNoise(d, r, PingRendering.GO_UA[r.nextInt(2)], true);
      q.query = validQuery(r, null, null);
      AsciiOut mem = new AsciiOut(null, 1024);
      rendering.appendFields(mem, q, 33, null);
      String sb = mem.toString();
      // keep 1..10 complete fields and part of the next one: at most 11 fields
      int keep = 1 + r.nextInt(10);
      int pos = -1;
      for (int t = 0; t < keep; t++) {
        pos = sb.indexOf("\t", pos + 1);
      }
      int nextTab = sb.indexOf("\t", pos + 1);
      int partial = 1 + r.nextInt(Math.max(1, nextTab - pos - 1));
      addRaw(sb.substring(0, Math.min(sb.length(), pos + 1 + partial)), q.sec, r, hours);
    }
    counters.bump("truncated_lines", nTrunc);
    String garbageChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=%_-";
    for (int i = 0; i < nGarbage; i++) {
      int len = 3 + r.nextInt(60);
      StringBuilder sb = new StringBuilder(len);
      sb.append(garbageChars.charAt(r.nextInt(52))); // never '#', never empty
      for (int k = 1; k < len; k++) {
        sb.append(garbageChars.charAt(r.nextInt(garbageChars.length())));
      }
      addRaw(sb.toString(), r.nextInt(86_400), r, hours);
    }
    counters.bump("garbage_lines", nGarbage);
    for (int i = 0; i < nBadTs; i++) {
      PingRendering.Req q = baseNoise(d, r, PingRendering.GO_UA[r.nextInt(2)], true);
      q.query = validQuery(r, null, null);
      if (i % 2 == 0) {
        q.date = "2026-13-45";
      } else {
        q.timeText = "25:61:" + (q.sec % 60 < 10 ? "0" : "") + q.sec % 60;
      }
      addNoise(q, r, hours, -1);
      counters.dead[1]++;
    }
    counters.bump("bad_timestamp_lines", nBadTs);
    String[][] badNums = {{"auc", "abc"}, {"uc", "lots"}, {"tc", "x1"}};
    for (int i = 0; i < nBadNum; i++) {
      PingRendering.Req q = baseNoise(d, r, PingRendering.GO_UA[r.nextInt(2)], true);
      int which = i < 3 ? i : (r.nextDouble() < 0.6 ? 0 : 1 + r.nextInt(2));
      q.query = validQuery(r, badNums[which][0], badNums[which][1]);
      addNoise(q, r, hours, -1);
      counters.dead[2 + which]++;
    }
    counters.bump("bad_number_lines", nBadNum);
  }

  /** A /security GET from a random known server's address (caller overrides what differs). */
  private PingRendering.Req baseNoise(int d, SplittableRandom r, String ua, boolean json) {
    int s = r.nextInt(servers.n);
    PingRendering.Req q = new PingRendering.Req();
    q.date = dates[d];
    q.sec = r.nextInt(86_400);
    q.ip = servers.ip[s];
    q.edge = rendering.edgeFor(servers.net[s], r.nextLong());
    q.method = "GET";
    q.host = PingRendering.distributionHost(r.nextInt(cfg.distributions()));
    q.stem = "/security";
    q.status = "200";
    q.ua = ua;
    q.resultType = "Miss";
    q.detailedResultType = "Miss";
    q.requestId = PingRendering.requestId(r.nextLong());
    q.timeTakenMs = 20 + r.nextInt(250);
    q.sslProtocol = "TLSv1.3";
    q.sslCipher = "TLS_AES_128_GCM_SHA256";
    q.protocolVersion = ua.endsWith("/2.0") || (!ua.startsWith("Go-") && r.nextBoolean()) ? "HTTP/2.0" : "HTTP/1.1";
    q.port = 1024 + r.nextInt(64_512);
    q.contentType = json ? "application/json" : "text/html";
    q.contentLen = "2";
    q.scBytes = 480 + r.nextInt(40);
    return q;
  }

  /**
   * A well-formed ping query of a random known server; {@code param} (if not null) is replaced by {@code value}
   * ({@code value == null} drops the parameter).
   */
  private String validQuery(SplittableRandom r, String param, String value) {
    int s = r.nextInt(servers.n);
    int uc = servers.baseUc[s];
    String[] v = {
      Integer.toString((int) (uc * servers.activeRatio[s])), servers.build[s].text, servers.be[s] < 0 ? null : servers.be[s] == 1 ? "true" : "false",
      servers.db[s], servers.ids[s], servers.os[s], Integer.toString(servers.baseTc[s]), Integer.toString(uc), servers.category[s] == PingServers.RAN_TESTS ? "1" : "0"};
    String[] names = {"auc", "b", "be", "db", "id", "os", "tc", "uc", "ut"};
    StringBuilder sb = new StringBuilder(160);
    for (int i = 0; i < names.length; i++) {
      String val = names[i].equals(param) ? value : v[i];
      if (val == null) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(names[i]).append('=').append(val);
    }
    return sb.toString();
  }

  private void addNoise(PingRendering.Req q, SplittableRandom r, List<PingSchedule.Line>[] hours, int filterIdx) {
    addNoise(q, r, hours, filterIdx, -1);
  }

  private void addNoise(PingRendering.Req q, SplittableRandom r, List<PingSchedule.Line>[] hours, int filterIdx, int slot) {
    q.csBytes = 180 + q.query.length() + q.ua.length() / 4;
    boolean stray = r.nextDouble() < cfg.strayTabFraction;
    if (stray) {
      counters.bump("stray_tab_lines", 1);
    }
    hours[q.sec / 3600].add(new PingSchedule.Line(null, q, null, slot >= 0 ? slot : r.nextInt(slots), stray));
    if (filterIdx >= 0) {
      counters.filtered[filterIdx]++;
    }
  }

  /** A malformed line with too few fields (truncated or garbage). */
  private void addRaw(String raw, int sec, SplittableRandom r, List<PingSchedule.Line>[] hours) {
    hours[sec / 3600].add(new PingSchedule.Line(null, null, raw, r.nextInt(slots), false));
    counters.dead[SecurityPingGenerator.DEAD_LETTER_REASONS.indexOf("too_few_fields")]++;
  }
}
