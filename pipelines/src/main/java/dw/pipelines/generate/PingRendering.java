package dw.pipelines.generate;

import static dw.pipelines.generate.SecurityPingGenerator.mix;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * CloudFront's side: a ping or a noise request rendered as a standard access-log line (26 or 33
 * TAB-separated fields, the query as Go's {@code url.Values.Encode()} writes it, request ids and
 * edges derived from a seed so a duplicated line is byte-identical), and the hour's lines written
 * into shuffled gzip files per distribution, on a small pool (gzip is the bottleneck).
 */
final class PingRendering {
  static final String[] GO_UA = {"Go-http-client/1.1", "Go-http-client/2.0"};
  private static final String[] DIST_HOSTS = {
    "d2hxq6v3example.cloudfront.net", "d3kq7w1zexample.cloudfront.net",
    "d1pm4r8nexample.cloudfront.net", "d9tz2c5vexample.cloudfront.net"};

  /** A request rendered into CloudFront fields. */
  static final class Req {
    String date;
    int sec;
    /** Replaces the formatted time when not null (bad timestamps). */
    String timeText;
    String edge;
    int scBytes;
    String ip;
    String method;
    String host;
    String stem;
    String status;
    String ua;
    String query;
    String resultType;
    String detailedResultType;
    /** Pre-built request id, or null to derive it from {@link #requestIdSeed}. */
    String requestId;
    long requestIdSeed;
    int csBytes;
    int timeTakenMs;
    String sslProtocol;
    String sslCipher;
    String protocolVersion;
    int port;
    String contentType;
    String contentLen;
  }

  private final SecurityPingGenerator.Config cfg;
  private final String[] dates;
  private final int slots;
  private final PingServers servers;
  private final PingCounters counters;

  // file writing (gzip is the bottleneck, so files are compressed on a small pool)
  private final ExecutorService writers;
  private List<Future<?>> previousDayWrites = new ArrayList<>();
  private List<Future<?>> currentDayWrites = new ArrayList<>();

  /** {@code writers} compresses the files, or null to write them on the calling thread. */
  PingRendering(
      SecurityPingGenerator.Config cfg,
      String[] dates,
      int slots,
      PingServers servers,
      PingCounters counters,
      ExecutorService writers) {
    this.cfg = cfg;
    this.dates = dates;
    this.slots = slots;
    this.servers = servers;
    this.counters = counters;
    this.writers = writers;
  }

  static String distributionHost(int i) {
    return i < DIST_HOSTS.length ? DIST_HOSTS[i] : "d" + Integer.toString(1000 + i, 36) + "example.cloudfront.net";
  }

  /** At the end of a day: waits for the previous day's files, so at most two days of lines are in memory. */
  void endDay() throws IOException {
    awaitWrites(previousDayWrites);
    previousDayWrites = currentDayWrites;
    currentDayWrites = new ArrayList<>();
  }

  /** Waits for every file. */
  void finish() throws IOException {
    awaitWrites(previousDayWrites);
    awaitWrites(currentDayWrites);
  }

  private static final byte[] RID =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);

  /** A 52-character CloudFront-style request id plus "==", derived from {@code seed}. */
  private static void appendRequestId(AsciiOut o, long seed) {
    long x = seed;
    int k = 0;
    while (k < 52) {
      x = mix(x, 0x1D, k);
      long v = x;
      for (int j = 0; j < 10 && k < 52; j++, k++) {
        o.b(RID[(int) (v & 63)]);
        v >>>= 6;
      }
    }
    o.b((byte) '=').b((byte) '=');
  }

  static String requestId(long seed) {
    AsciiOut o = new AsciiOut(null, 64);
    appendRequestId(o, seed);
    return o.toString();
  }

  String edgeFor(int netIdx, long seed) {
    String[] e = servers.edgesByNet[netIdx + 2];
    return e[(int) Long.remainderUnsigned(seed, e.length)];
  }

  /** Fills {@code q} for a ping line. All randomness comes from the ping's seed, so copies are identical. */
  private void fillPing(Req q, PingSchedule.Ping p) {
    int s = p.server;
    long x = p.seed;
    q.date = dates[p.day];
    q.sec = p.sec;
    q.edge = edgeFor(p.net, x);
    x = mix(x, 1, 1);
    q.ip = p.ip;
    q.method = "GET";
    q.host = distributionHost(servers.dist[s]);
    q.stem = "/security";
    q.ua = GO_UA[servers.uaIdx[s]];
    q.query = null;
    q.requestId = null;
    q.requestIdSeed = x;
    x = mix(x, 2, 2);
    q.timeTakenMs = 20 + (int) Long.remainderUnsigned(x, 250);
    q.port = 1024 + (int) Long.remainderUnsigned(x >>> 16, 64_512);
    boolean tls12 = (x >>> 40) % 10 == 0;
    q.sslProtocol = tls12 ? "TLSv1.2" : "TLSv1.3";
    q.sslCipher = tls12 ? "ECDHE-RSA-AES128-GCM-SHA256" : "TLS_AES_128_GCM_SHA256";
    q.protocolVersion = servers.uaIdx[s] == 1 ? "HTTP/2.0" : "HTTP/1.1";
    q.csBytes = 0; // set while the query is written
    if (p.status000) {
      q.status = "000";
      q.scBytes = 0;
      q.resultType = "Error";
      q.detailedResultType = "ClientCommError";
      q.contentType = "-";
      q.contentLen = "-";
    } else {
      q.status = "200";
      q.scBytes = 480 + (int) ((x >>> 50) % 40);
      q.resultType = "Miss";
      q.detailedResultType = "Miss";
      q.contentType = "application/json";
      q.contentLen = "2";
    }
  }

  /** The query string Go's url.Values.Encode() produces for a ping (keys sorted, omitted counts left out). */
  private void appendPingQuery(AsciiOut o, PingSchedule.Ping p) {
    int s = p.server;
    if (p.auc >= 0) {
      o.s("auc=").num(p.auc).c('&');
    }
    o.s("b=").s(p.build.text);
    if (servers.be[s] >= 0) {
      o.s(servers.be[s] == 1 ? "&be=true" : "&be=false");
    }
    if (servers.db[s] != null) {
      o.s("&db=").s(servers.db[s]);
    }
    o.s("&id=").s(servers.ids[s]).s("&os=").s(servers.os[s]);
    if (p.tc >= 0) {
      o.s("&tc=").num(p.tc);
    }
    if (p.uc >= 0) {
      o.s("&uc=").num(p.uc);
    }
    o.s(servers.category[s] == PingServers.RAN_TESTS ? "&ut=1" : "&ut=0");
  }

  /** Appends the first {@code nFields} fields of {@code q}; the query comes from {@code q.query} or {@code ping}. */
  void appendFields(AsciiOut o, Req q, int nFields, PingSchedule.Ping ping) {
    o.s(q.date).c('\t');
    if (q.timeText != null) {
      o.s(q.timeText);
    } else {
      o.two(q.sec / 3600).c(':').two(q.sec / 60 % 60).c(':').two(q.sec % 60);
    }
    o.c('\t').s(q.edge)
        .c('\t').num(q.scBytes)
        .c('\t').s(q.ip)
        .c('\t').s(q.method)
        .c('\t').s(q.host)
        .c('\t').s(q.stem)
        .c('\t').s(q.status)
        .s("\t-\t").s(q.ua)
        .c('\t');
    if (q.query != null) {
      o.s(q.query);
    } else {
      long before = o.written();
      appendPingQuery(o, ping);
      q.csBytes = 185 + (int) (o.written() - before);
    }
    o.s("\t-\t").s(q.resultType)
        .c('\t');
    if (q.requestId != null) {
      o.s(q.requestId);
    } else {
      appendRequestId(o, q.requestIdSeed);
    }
    o.s("\tsecurityupdatecheck.mattermost.com\thttps\t").num(q.csBytes)
        .c('\t').millis(q.timeTakenMs)
        .s("\t-\t").s(q.sslProtocol)
        .c('\t').s(q.sslCipher)
        .c('\t').s(q.resultType)
        .c('\t').s(q.protocolVersion)
        .s("\t-\t-");
    if (nFields <= 26) {
      return;
    }
    o.c('\t').num(q.port)
        .c('\t').millis(q.timeTakenMs)
        .c('\t').s(q.detailedResultType)
        .c('\t').s(q.contentType)
        .c('\t').s(q.contentLen)
        .s("\t-\t-");
  }

  private static final class ExposedGzip extends GZIPOutputStream {
    ExposedGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  void writeHour(List<String> distIds, int d, int h, List<PingSchedule.Line> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    @SuppressWarnings("unchecked")
    List<PingSchedule.Line>[] bySlot = new List[slots];
    for (PingSchedule.Line l : lines) {
      if (bySlot[l.slot] == null) {
        bySlot[l.slot] = new ArrayList<>();
      }
      bySlot[l.slot].add(l);
    }
    String stamp = dates[d] + "-" + (h < 10 ? "0" : "") + h;
    Set<String> usedIds = new HashSet<>();
    for (int slot = 0; slot < slots; slot++) {
      List<PingSchedule.Line> fileLines = bySlot[slot];
      if (fileLines == null) {
        continue;
      }
      int di = slot / cfg.filesPerHour();
      SplittableRandom fr = new SplittableRandom(mix(cfg.seed(), 0xF11E, (long) (d * 24 + h) * 64 + slot));
      String hex;
      do {
        hex = hex8(fr.nextInt());
      } while (!usedIds.add(hex));
      // not strictly time-ordered: shuffle
      for (int i = fileLines.size() - 1; i > 0; i--) {
        int j = fr.nextInt(i + 1);
        PingSchedule.Line t = fileLines.get(i);
        fileLines.set(i, fileLines.get(j));
        fileLines.set(j, t);
      }
      boolean old = cfg.oldLayoutFirstDay() && di == 0 && d == 0;
      if (old) {
        counters.bump("old_layout_files", 1);
      }
      String distId = distIds.get(di);
      Path file = cfg.output().resolve(distId).resolve(distId + "." + stamp + "." + hex + ".gz");
      counters.files++;
      counters.headerLines += 2;
      counters.linesWritten += 2 + fileLines.size();
      if (writers == null) {
        writeFile(file, fileLines, old);
      } else {
        currentDayWrites.add(writers.submit(() -> {
          writeFile(file, fileLines, old);
          return null;
        }));
      }
    }
  }

  private static String hex8(int v) {
    String h = Integer.toHexString(v);
    return "00000000".substring(h.length()) + h;
  }

  static void awaitWrites(List<Future<?>> writes) throws IOException {
    try {
      for (Future<?> f : writes) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
    writes.clear();
  }

  /** Writes one gzip log file. Uses only immutable server data and the lines, so it may run on any thread. */
  private void writeFile(Path file, List<PingSchedule.Line> fileLines, boolean old) throws IOException {
    int nFields = old ? 26 : 33;
    Req scratch = new Req();
    try (OutputStream fos = Files.newOutputStream(file);
        ExposedGzip gz = new ExposedGzip(fos)) {
      AsciiOut o = new AsciiOut(gz, 1 << 16);
      o.s(SecurityPingGenerator.VERSION_HEADER).c('\n').s(old ? SecurityPingGenerator.FIELDS_HEADER_26 : SecurityPingGenerator.FIELDS_HEADER_33).c('\n');
      for (PingSchedule.Line l : fileLines) {
        if (l.raw != null) {
          o.s(l.raw);
        } else if (l.ping != null) {
          fillPing(scratch, l.ping);
          appendFields(o, scratch, nFields, l.ping);
        } else {
          appendFields(o, l.req, nFields, null);
        }
        if (l.strayTab) {
          o.c('\t');
        }
        o.c('\n');
      }
      o.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
