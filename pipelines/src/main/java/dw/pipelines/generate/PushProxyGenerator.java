package dw.pipelines.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Deterministic Application Load Balancer access logs of the push proxies, in the real S3 key
 * layout ({@code AWSLogs/<account>/elasticloadbalancing/<region>/YYYY/MM/DD/<account>_
 * elasticloadbalancing_<region>_app.<lb>.<id>_<end>_<node-ip>_<random>.log.gz}, one file per load
 * balancer node and 5-minute interval, in the folder of the interval's end), for two regions and
 * three deployments plus one unmapped load balancer, with the ground truth a {@code push-proxy}
 * backfill of {@code from..to} must produce.
 *
 * <p>The truth is computed here from what was written, with the documented rules restated (not
 * shared with the pipeline; a test keeps the generator free of pipeline rule classes): a push
 * request is {@code POST} with a path ending in {@code /api/v1/send_push} or {@code /api/v1/ack};
 * {@code answered} = status 200, {@code rate_limited} = 429, {@code server_errors} = 5xx and 460,
 * {@code client_errors} = other 4xx; target percentiles are nearest-rank over whole milliseconds
 * of answered requests.
 *
 * <p>Oddities: requests of the day after {@code to} (in the folder a backfill reads, outside its
 * range), GETs on push routes, other routes and health checks, malformed request lines, queries on
 * push URLs, 4xx/5xx including the load balancer's own 460/502/503/504 with {@code -1} timings, IPv6
 * clients, quoted user agents with escaped quotes, entries with newer trailing fields (and one field
 * no parser knows), and a few lines of classic ELB, NLB and ALB connection logs, truncated lines and
 * bad timestamps.
 */
public final class PushProxyGenerator {
  public static final String TRUTH_DIR = "_truth";
  public static final String HOURLY_CSV = "push_proxy_hourly.csv";
  public static final String BY_COUNTRY_CSV = "push_proxy_hourly_by_country.csv";
  public static final String SUMMARY_JSON = "summary.json";
  public static final String ACCOUNT = "123456789012";
  /** The --deployments option the truth assumes. */
  public static final String DEPLOYMENTS_OPTION =
      "US=app/push-proxy-us,EU=app/push-proxy-eu,TEST=app/push-proxy-test";

  /** A load balancer: label (as the option maps it), region, name, id, relative traffic. */
  record Lb(String label, String region, String name, String id, int weight, String[] nodeIps) {}

  static final List<Lb> LBS =
      List.of(
          new Lb("US", "us-east-1", "push-proxy-us", "50dc6c495c0c9188", 10, new String[] {"198.51.100.10", "198.51.100.11"}),
          new Lb("TEST", "us-east-1", "push-proxy-test", "1a2b3c4d5e6f7a8b", 2, new String[] {"198.51.100.20", "198.51.100.21"}),
          new Lb("EU", "eu-central-1", "push-proxy-eu", "9f1e2d3c4b5a6978", 6, new String[] {"203.0.113.30", "203.0.113.31"}),
          // not in DEPLOYMENTS_OPTION: its label is its name
          new Lb("app/push-proxy-canary", "eu-central-1", "push-proxy-canary", "0a0b0c0d0e0f1011", 1, new String[] {"203.0.113.40"}));

  private static final DateTimeFormatter END = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final long MINUTE_US = 60_000_000L;
  private static final long FIVE_MIN_US = 5 * MINUTE_US;
  private static final long HOUR_US = 60 * MINUTE_US;
  private static final long DAY_US = 24 * HOUR_US;

  /** What to generate. */
  public static final class Config extends DatasetConfig<Config> {
    int requestsPerHour = 120;
    boolean overwrite;

    public Config(Path output) {
      super(output, LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-01"), 42L);
    }




    /** Requests per hour of the busiest load balancer (others in proportion). */
    public Config requestsPerHour(int n) {
      requestsPerHour = n;
      return this;
    }

    public Config overwrite(boolean o) {
      overwrite = o;
      return this;
    }

    void validate() {
      if (to.isBefore(from)) {
        throw new IllegalArgumentException("--to=" + to + " is before --from=" + from);
      }
      if (requestsPerHour < 1 || requestsPerHour > 1_000_000) {
        throw new IllegalArgumentException("--requestsPerHour must be 1..1000000");
      }
    }
  }

  /** What was written. */
  public record Result(Path output, int files, long lines, Map<String, Object> summary) {
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("output", output.toString());
      m.put("dataset", "push-proxy");
      m.putAll(summary);
      try {
        return new ObjectMapper().writeValueAsString(m);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  // ---- one generated line, and what a backfill of from..to must make of it ----

  /** A generated entry: its text, time, and truth class. */
  private record Entry(long timeUs, String text, Kind kind, String route, Lb lb, int status, long targetMs,
      long received, long sent, String country) {}

  private enum Kind { PUSH, NOT_POST, OTHER_ROUTE, MALFORMED_REQUEST, DEAD }

  private final Config cfg;

  public PushProxyGenerator(Config cfg) {
    cfg.validate();
    this.cfg = cfg;
  }

  public Result generate() throws IOException {
    Path out = cfg.output;
    if (Files.exists(out.resolve(TRUTH_DIR)) && !cfg.overwrite) {
      throw new IOException(out + " already holds generated data; use --overwrite to replace it");
    }
    if (cfg.overwrite && Files.exists(out.resolve("AWSLogs"))) {
      try (var s = Files.walk(out.resolve("AWSLogs"))) {
        for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
    SplittableRandom root = new SplittableRandom(cfg.seed);
    long fromUs = cfg.from.toEpochDay() * DAY_US;
    long toEndUs = (cfg.to.toEpochDay() + 1) * DAY_US;
    // files: key = lb index, interval end, node
    TreeMap<String, List<Entry>> files = new TreeMap<>();
    int maxWeight = LBS.stream().mapToInt(Lb::weight).max().orElse(1);
    for (int li = 0; li < LBS.size(); li++) {
      Lb lb = LBS.get(li);
      SplittableRandom r = root.split();
      // the days asked for, and the first 10 minutes of the day after (outside the range)
      for (long hourUs = fromUs; hourUs < toEndUs + HOUR_US; hourUs += HOUR_US) {
        boolean spill = hourUs >= toEndUs;
        int hourOfDay = (int) ((hourUs / HOUR_US) % 24);
        double diurnal = 0.6 + 0.4 * Math.sin(Math.PI * hourOfDay / 12.0);
        int n = (int) Math.round(cfg.requestsPerHour * diurnal * lb.weight() / maxWeight);
        if (spill) {
          n = Math.max(1, n / 6);
        }
        for (int i = 0; i < n; i++) {
          long t = hourUs + (spill ? r.nextLong(10 * MINUTE_US) : r.nextLong(HOUR_US));
          Entry e = request(lb, t, r);
          add(files, li, lb, e, r);
        }
      }
      // noise of other formats and broken lines, a few per load balancer and day
      for (long dayUs = fromUs; dayUs < toEndUs; dayUs += DAY_US) {
        for (int k = 0; k < 5; k++) {
          long t = dayUs + r.nextLong(DAY_US);
          add(files, li, lb, noise(lb, t, k, r), r);
        }
      }
    }

    // write files and the truth
    TreeMap<String, long[]> hourly = new TreeMap<>(); // key → counts
    TreeMap<String, List<Long>> targets = new TreeMap<>();
    TreeMap<String, String[]> attrs = new TreeMap<>();
    TreeMap<String, long[]> byCountry = new TreeMap<>();
    Map<String, Long> filtered = new TreeMap<>();
    long lines = 0;
    long parsed = 0;
    long dead = 0;
    int fileCount = 0;
    for (Map.Entry<String, List<Entry>> f : files.entrySet()) {
      List<Entry> entries = f.getValue();
      entries.sort(java.util.Comparator.comparingLong(Entry::timeUs));
      Path file = out.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      try (OutputStream os = Files.newOutputStream(file);
          GZIPOutputStream gz = new GZIPOutputStream(os, 1 << 16);
          Writer w = new java.io.OutputStreamWriter(gz, StandardCharsets.UTF_8)) {
        for (Entry e : entries) {
          w.write(e.text());
          w.write('\n');
        }
      }
      fileCount++;
      for (Entry e : entries) {
        lines++;
        boolean inRange = e.timeUs() < toEndUs;
        switch (e.kind()) {
          case DEAD -> dead++;
          case OTHER_ROUTE -> filtered.merge("other_route", 1L, Long::sum);
          case NOT_POST -> filtered.merge("not_post", 1L, Long::sum);
          case MALFORMED_REQUEST -> filtered.merge("malformed_request", 1L, Long::sum);
          case PUSH -> {
            if (!inRange) {
              filtered.merge("outside_date_range", 1L, Long::sum);
              break;
            }
            parsed++;
            String hour = HOUR.format(Instant.ofEpochMilli(e.timeUs() / HOUR_US * HOUR_US / 1000));
            String key = hour + "|" + e.lb().label() + "|" + e.route();
            long[] c = hourly.computeIfAbsent(key, k -> new long[7]);
            c[0]++;
            int s = e.status();
            if (s == 200) {
              c[1]++;
              if (e.targetMs() >= 0) {
                targets.computeIfAbsent(key, k -> new ArrayList<>()).add(e.targetMs());
              }
            } else if (s == 429) {
              c[2]++;
            } else if (s == 460 || (s >= 500 && s <= 599)) {
              c[4]++;
            } else if (s >= 400 && s <= 499) {
              c[3]++;
            }
            c[5] += e.received();
            c[6] += e.sent();
            attrs.put(key, new String[] {e.lb().region(), "app/" + e.lb().name()});
            long[] cc = byCountry.computeIfAbsent(key + "|" + e.country(), k -> new long[2]);
            cc[0]++;
            if (s == 200) {
              cc[1]++;
            }
          }
        }
      }
    }
    Path truth = out.resolve(TRUTH_DIR);
    Files.createDirectories(truth);
    List<String> hourlyRows = new ArrayList<>();
    hourlyRows.add("hour,deployment,route,aws_region,load_balancer,requests,answered,rate_limited,client_errors,"
        + "server_errors,target_p50_ms,target_p95_ms,target_p99_ms,received_bytes,sent_bytes");
    hourly.forEach(
        (key, c) -> {
          String[] k = key.split("\\|");
          List<Long> t = targets.getOrDefault(key, List.of());
          String[] a = attrs.get(key);
          hourlyRows.add(String.join(",", k[0], k[1], k[2], a[0], a[1], "" + c[0], "" + c[1], "" + c[2], "" + c[3],
              "" + c[4], percentile(t, 50), percentile(t, 95), percentile(t, 99), "" + c[5], "" + c[6]));
        });
    Files.write(truth.resolve(HOURLY_CSV), hourlyRows, StandardCharsets.UTF_8);
    List<String> countryRows = new ArrayList<>();
    countryRows.add("hour,deployment,route,country_iso,requests,answered");
    byCountry.forEach((key, c) -> countryRows.add(key.replace('|', ',') + "," + c[0] + "," + c[1]));
    Files.write(truth.resolve(BY_COUNTRY_CSV), countryRows, StandardCharsets.UTF_8);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("from", cfg.from.toString());
    summary.put("to", cfg.to.toString());
    summary.put("deployments", DEPLOYMENTS_OPTION);
    summary.put("files", fileCount);
    summary.put("lines_read", lines);
    summary.put("header_lines", 0);
    summary.put("parsed_requests", parsed);
    summary.put("filtered", filtered);
    summary.put("dead_lettered", dead);
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(truth.resolve(SUMMARY_JSON).toFile(), summary);
    return new Result(out, fileCount, lines, summary);
  }

  /** Nearest-rank percentile: the value at rank ⌈p·n/100⌉ (at least 1) of the sorted values; empty when none. */
  static String percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return "";
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    long n = sorted.size();
    long rank = Math.max(1, (p * n + 99) / 100);
    return String.valueOf(sorted.get((int) rank - 1));
  }

  private static void add(TreeMap<String, List<Entry>> files, int li, Lb lb, Entry e, SplittableRandom r) {
    long end = ((e.timeUs() + FIVE_MIN_US - 1) / FIVE_MIN_US) * FIVE_MIN_US; // interval (end-5m, end]
    String node = lb.nodeIps()[(int) ((e.timeUs() / 7) % lb.nodeIps().length)];
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(end, DAY_US));
    String key =
        String.format(Locale.ROOT, "AWSLogs/%s/elasticloadbalancing/%s/%04d/%02d/%02d/%s_elasticloadbalancing_%s_app.%s.%s_%s_%s_%s.log.gz",
            ACCOUNT, lb.region(), day.getYear(), day.getMonthValue(), day.getDayOfMonth(), ACCOUNT, lb.region(),
            lb.name(), lb.id(), END.format(Instant.ofEpochMilli(end / 1000)), node,
            Long.toString((end / FIVE_MIN_US * 31 + li * 7 + node.hashCode()) & 0xffffffL, 36));
    files.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
  }

  // ---- rendering ----

  private static String time(long us) {
    return TIME.format(Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1000));
  }

  private static String seconds(long ms) {
    return ms < 0 ? "-1" : String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
  }

  private Entry request(Lb lb, long t, SplittableRandom r) {
    int kind = r.nextInt(1000);
    String host = lb.label().equals("EU") ? "hpns-de.example.com" : "push.example.com";
    String method = "POST";
    String path;
    String route = null;
    Kind k;
    if (kind < 600) {
      path = "/api/v1/send_push";
      route = "send_push";
      k = Kind.PUSH;
    } else if (kind < 850) {
      path = "/api/v1/ack";
      route = "ack";
      k = Kind.PUSH;
    } else if (kind < 870) {
      path = r.nextBoolean() ? "/api/v1/send_push" : "/api/v1/ack";
      method = r.nextBoolean() ? "GET" : "OPTIONS";
      k = Kind.NOT_POST;
    } else if (kind < 930) {
      path = "/";
      method = "GET";
      k = Kind.OTHER_ROUTE;
    } else if (kind < 990) {
      path = r.nextBoolean() ? "/api/v1/version" : "/api/v1/send_push/extra";
      k = Kind.OTHER_ROUTE;
    } else {
      path = null;
      k = Kind.MALFORMED_REQUEST;
    }
    if (k == Kind.PUSH && r.nextInt(20) == 0) {
      path = path + "?retry=" + r.nextInt(5); // the query is not part of the path
    }
    int statusDraw = r.nextInt(1000);
    int status;
    if (statusDraw < 850) {
      status = 200;
    } else if (statusDraw < 900) {
      status = 429;
    } else if (statusDraw < 920) {
      status = 400;
    } else if (statusDraw < 930) {
      status = 404;
    } else if (statusDraw < 940) {
      status = 460;
    } else if (statusDraw < 965) {
      status = 502;
    } else if (statusDraw < 985) {
      status = 503;
    } else if (statusDraw < 995) {
      status = 504;
    } else {
      status = 301;
    }
    boolean lbError = status == 460 || status == 502 || status == 503 || status == 504;
    long targetMs =
        lbError ? -1 : status == 200 ? (r.nextInt(50) == 0 ? 500 + r.nextInt(1500) : 1 + r.nextInt(r.nextInt(300) + 1)) : r.nextInt(6);
    long received = 200 + r.nextInt(900);
    long sent = lbError ? 0 : 150 + r.nextInt(300);
    // client: a network of the generator's table (country known) or an unmapped range (unknown)
    String client;
    int nets = GeneratorNetworks.all().size();
    if (r.nextInt(10) == 0) {
      client = GeneratorNetworks.randomUnmappedAddress(r.nextInt(GeneratorNetworks.UNMAPPED_RANGES.size()), r);
    } else {
      client = GeneratorNetworks.randomAddress(r.nextInt(nets), r);
    }
    String country = GeneratorNetworks.countryIsoOf(client);
    String clientField = (client.indexOf(':') >= 0 && r.nextBoolean() ? "[" + client + "]" : client) + ":" + (1024 + r.nextInt(60000));
    String type = r.nextInt(5) == 0 ? "h2" : "https";
    String protocol = type.equals("h2") ? "HTTP/2.0" : "HTTP/1.1";
    String request =
        k == Kind.MALFORMED_REQUEST
            ? "- https://" + host + ":443- -"
            : method + " https://" + host + ":443" + path + " " + protocol;
    String ua =
        r.nextInt(40) == 0
            ? "Mattermost-Push-Tester/1.0 (\\\"quoted\\\" build)"
            : type.equals("h2") ? "Go-http-client/2.0" : "Go-http-client/1.1";
    String target = lbError && status != 502 ? "-" : "10.0." + r.nextInt(4) + "." + (10 + r.nextInt(20)) + ":8066";
    String targetStatus = lbError ? "-" : String.valueOf(status);
    long created = t - (lbError ? 1000 : (targetMs + 2) * 1000);
    StringBuilder b = new StringBuilder(512);
    b.append(type).append(' ').append(time(t)).append(" app/").append(lb.name()).append('/').append(lb.id()).append(' ')
        .append(clientField).append(' ').append(target).append(' ')
        .append(lbError ? "-1" : "0.000").append(' ').append(seconds(targetMs)).append(' ')
        .append(lbError ? "-1" : "0.000").append(' ')
        .append(status).append(' ').append(targetStatus).append(' ').append(received).append(' ').append(sent)
        .append(" \"").append(request).append("\" \"").append(ua).append("\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ")
        .append("arn:aws:elasticloadbalancing:").append(lb.region()).append(':').append(ACCOUNT)
        .append(":targetgroup/").append(lb.name()).append("/73e2d6bc24d8a067")
        .append(" \"Root=1-").append(Long.toHexString(t / 1_000_000)).append('-').append(Long.toHexString(r.nextLong()))
        .append("\" \"").append(host).append("\" \"arn:aws:acm:").append(lb.region()).append(':').append(ACCOUNT)
        .append(":certificate/12345678-1234-1234-1234-123456789012\" 1 ").append(time(created))
        .append(" \"forward\" \"-\" \"-\" \"").append(target).append("\" \"").append(targetStatus).append("\" \"-\" \"-\"");
    int format = r.nextInt(10);
    if (format >= 7) {
      b.append(" TID_").append(Long.toHexString(r.nextLong()));
    }
    if (format == 9) {
      b.append(" \"-\" \"-\" \"-\" \"a-field-from-the-future\"");
    }
    return new Entry(t, b.toString(), k, route, lb, status, targetMs, received, sent, country == null ? "unknown" : country);
  }

  /** Lines a push-proxy parser must dead-letter: other formats, truncated, bad timestamp. */
  private Entry noise(Lb lb, long t, int which, SplittableRandom r) {
    String text =
        switch (which) {
          case 0 -> time(t) + " " + lb.name() + " 192.0.2.10:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29"
              + " \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.38.0\" - -";
          case 1 -> "tls 2.0 " + time(t).substring(0, 19) + " net/" + lb.name() + "-nlb/c6e77e28c25b2234 g3d4b5e8bb8464cd"
              + " 192.0.2.11:51341 172.100.100.185:443 5 2 98 246 - - - ECDHE-RSA-AES128-SHA tlsv12 - - - - - "
              + time(t).substring(0, 19);
          case 2 -> time(t) + " 192.0.2.12 36280 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 4 - - - Success TID_"
              + Long.toHexString(r.nextLong());
          case 3 -> {
            String full = request(lb, t, r).text();
            yield full.substring(0, full.indexOf(" \"Root="));
          }
          default -> request(lb, t, r).text().replaceFirst(" \\d{4}-\\d{2}-\\d{2}T", " 2026-13-45T");
        };
    return new Entry(t, text, Kind.DEAD, null, lb, 0, -1, 0, 0, null);
  }
}
