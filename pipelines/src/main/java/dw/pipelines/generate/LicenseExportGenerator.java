package dw.pipelines.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Deterministic nightly license exports plus their ground truth (domain.md §4), computed from the
 * generator's own model of the licenses (no rule code shared with the pipeline).
 *
 * <p>Output: {@code <output>/<YYYY-MM-DD>/…<YYYY-MM-DD>.csv} for the snapshot dates of {@code
 * from..to} (one date left out: no export that night), and {@code <output>/_truth/}: {@value
 * #SNAPSHOTS_JSONL}, {@value #LICENSES_JSONL}, {@value #CHANGES_JSONL} (one JSON array per row) and
 * {@value #SUMMARY_JSON}. Between dates licenses are added, removed and extended. One file has its
 * columns shuffled, one starts with a byte-order mark and ends its lines with CRLF, companies hold
 * commas, quotes and line breaks, and invalid rows and duplicate license ids are mixed in. The last
 * date's folder also holds a second export whose header lacks the {@code expiresat} column (its
 * lines are dead letters) and a file whose name is not an export (skipped).
 */
public final class LicenseExportGenerator {
  public static final String SNAPSHOTS_JSONL = "license_snapshots.jsonl";
  public static final String LICENSES_JSONL = "licenses.jsonl";
  public static final String CHANGES_JSONL = "license_changes.jsonl";
  public static final String SUMMARY_JSON = "licenses_summary.json";

  public static final List<String> COLUMNS =
      List.of("customerid", "company", "number", "email", "stripeid", "licenseid", "issuedat", "expiresat");

  /** What to generate. */
  public static final class Config extends DatasetConfig<Config> {
    int licenses = 60;

    public Config(Path output) {
      super(output, LocalDate.parse("2020-01-01"), LocalDate.parse("2020-01-06"), 7L);
    }



    public Config licenses(int n) {
      licenses = n;
      return this;
    }


    void validate() {
      if (to.toEpochDay() - from.toEpochDay() < 3) {
        throw new IllegalArgumentException("licenses: give at least four dates (--from..--to)");
      }
      if (licenses < 10) {
        throw new IllegalArgumentException("licenses: at least 10 licenses");
      }
    }
  }

  /** A license as exported (email as written in the file). */
  private record License(
      String customerId, String company, String number, String email, String stripeId, String licenseId,
      long issued, long expires) {
    License withExpires(long e) {
      return new License(customerId, company, number, email, stripeId, licenseId, issued, e);
    }
  }

  private static final String[] COMPANIES = {
    "Example Corp", "Acme Widgets Ltd", "Globex GmbH", "Initech", "Umbrella, Inc.", "The \"Best\" Co",
    "Multi\nLine AG", "Stark Industries", "Wayne Enterprises, LLC", "Soylent \"Green\", Ltd"
  };

  private final Config cfg;
  private final SplittableRandom random;

  public LicenseExportGenerator(Config cfg) {
    cfg.validate();
    this.cfg = cfg;
    this.random = new SplittableRandom(cfg.seed);
  }

  private String id(int len) {
    String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      sb.append(chars.charAt(random.nextInt(chars.length())));
    }
    return sb.toString();
  }

  private License newLicense(long around) {
    long issued = around - random.nextLong(400L) * 86_400_000L;
    String email = switch (random.nextInt(3)) {
      case 0 -> "it-admin" + random.nextInt(1000) + "@example.com";
      case 1 -> " Ops" + random.nextInt(1000) + "@Acme.Example ";
      default -> "licensing" + random.nextInt(1000) + "@initech.example";
    };
    return new License(
        id(26), COMPANIES[random.nextInt(COMPANIES.length)], Integer.toString(10_000 + random.nextInt(900)),
        email, random.nextInt(5) == 0 ? "" : "cus_" + id(14), id(26), issued,
        issued + (365L + random.nextInt(365)) * 86_400_000L);
  }

  /** Writes the exports and the truth; returns the truth summary. */
  public ObjectNode generate() throws IOException {
    List<LocalDate> dates = new ArrayList<>();
    for (LocalDate d = cfg.from; !d.isAfter(cfg.to); d = d.plusDays(1)) {
      dates.add(d);
    }
    dates.remove(2); // no export that night
    long start = cfg.from.toEpochDay() * 86_400_000L;
    Map<String, License> current = new LinkedHashMap<>();
    for (int i = 0; i < cfg.licenses; i++) {
      License l = newLicense(start);
      current.put(l.licenseId(), l);
    }
    TreeMap<LocalDate, Map<String, License>> snapshots = new TreeMap<>();
    long lines = 0;
    long headers = 0;
    long parsedRows = 0;
    long dead = 0;
    long duplicates = 0;
    long continued = 0;
    long files = 0;
    for (int di = 0; di < dates.size(); di++) {
      LocalDate date = dates.get(di);
      if (di > 0) { // added, removed, extended since the previous export
        List<String> ids = new ArrayList<>(current.keySet());
        for (int k = 0; k < 3; k++) {
          current.remove(ids.get(random.nextInt(ids.size())));
        }
        ids = new ArrayList<>(current.keySet());
        for (int k = 0; k < 3; k++) {
          String id = ids.get(random.nextInt(ids.size()));
          License l = current.get(id);
          current.put(id, l.withExpires(l.expires() + 365L * 86_400_000L));
        }
        for (int k = 0; k < 4; k++) {
          License l = newLicense(date.toEpochDay() * 86_400_000L);
          current.put(l.licenseId(), l);
        }
      }
      snapshots.put(date, new LinkedHashMap<>(current));
      boolean shuffled = di == 1;
      boolean bomCrlf = di == 2;
      List<String> order = new ArrayList<>(COLUMNS);
      if (shuffled) {
        Collections.shuffle(order, new java.util.Random(cfg.seed));
      }
      String eol = bomCrlf ? "\r\n" : "\n";
      StringBuilder sb = new StringBuilder(bomCrlf ? "\uFEFF" : "");
      sb.append(String.join(",", order)).append(eol);
      long fileLines = 1;
      headers++;
      List<License> rows = new ArrayList<>(current.values());
      Collections.shuffle(rows, new java.util.Random(cfg.seed + di));
      int r = 0;
      for (License l : rows) {
        sb.append(csvRow(order, l)).append(eol);
        int extra = l.company().contains("\n") ? 1 : 0; // a line break inside the quoted company
        fileLines += 1 + extra;
        continued += extra;
        parsedRows++;
        if (r++ % 17 == 5) { // the same license twice in one export
          sb.append(csvRow(order, l)).append(eol);
          fileLines += 1 + extra;
          continued += extra;
          duplicates++;
        }
      }
      // invalid rows: no license id, no customer, bad timestamp, expiry before issue, short row
      License any = newLicense(start);
      License bad = new License(any.customerId(), "Bad Row Ltd", "1", "x@y.z", "", any.licenseId(), any.issued(), any.expires());
      sb.append(csvRow(order, new License(bad.customerId(), "X", "1", "x@y.z", "", "", 1L, 2L))).append(eol);
      sb.append(csvRow(order, new License("", "X", "1", "x@y.z", "", id(26), 1L, 2L))).append(eol);
      sb.append(csvRow(order, bad).replace(Long.toString(bad.issued()), "2020-01-01T00:00:00Z")).append(eol);
      sb.append(csvRow(order, new License(bad.customerId(), "X", "1", "x@y.z", "", id(26), 5L, 4L))).append(eol);
      sb.append("a,b,c").append(eol);
      fileLines += 5;
      dead += 5;
      sb.append(eol); // an empty line at the end
      fileLines++;
      Path dir = cfg.output.resolve(date.toString());
      Files.createDirectories(dir);
      String name = (di % 2 == 0 ? "licenses-" : "export_") + date + ".csv";
      Files.writeString(dir.resolve(name), sb.toString(), StandardCharsets.UTF_8);
      files++;
      lines += fileLines;
      if (di == dates.size() - 1) {
        // a second export of the date whose header lacks a column: every line a dead letter
        List<String> cols = new ArrayList<>(COLUMNS.subList(0, 7));
        StringBuilder bad2 = new StringBuilder(String.join(",", cols)).append('\n');
        bad2.append("c1,Acme,1,a@b.c,cus_1,lic1,1577836800000\n");
        bad2.append("c2,Acme,1,a@b.c,cus_2,lic2,1577836800000\n");
        Files.writeString(dir.resolve("partial-" + date + ".csv"), bad2.toString(), StandardCharsets.UTF_8);
        files++;
        lines += 3;
        dead += 3;
        Files.writeString(dir.resolve("README.txt"), "not an export\n", StandardCharsets.UTF_8);
      }
    }
    return writeTruth(snapshots, files, lines, headers, parsedRows, dead, duplicates, continued);
  }

  private static String csvRow(List<String> order, License l) {
    List<String> v = new ArrayList<>();
    for (String c : order) {
      String s = switch (c) {
        case "customerid" -> l.customerId();
        case "company" -> l.company();
        case "number" -> l.number();
        case "email" -> l.email();
        case "stripeid" -> l.stripeId();
        case "licenseid" -> l.licenseId();
        case "issuedat" -> Long.toString(l.issued());
        default -> Long.toString(l.expires());
      };
      boolean quote = s.contains(",") || s.contains("\"") || s.contains("\n");
      v.add(quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
    }
    return String.join(",", v);
  }

  private static String ts(long millis) {
    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    return t.toLocalDate() + " " + String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
  }

  /** The values as stored: trimmed, empty as null, e-mail as exported (trimmed). */
  private static List<Object> values(License l) {
    List<Object> row = new ArrayList<>();
    row.add(l.customerId());
    row.add(l.company());
    row.add(l.number());
    row.add(l.email().trim());
    row.add(l.stripeId().isEmpty() ? null : l.stripeId());
    row.add(ts(l.issued()));
    row.add(ts(l.expires()));
    return row;
  }

  private ObjectNode writeTruth(
      TreeMap<LocalDate, Map<String, License>> snapshots, long files, long lines, long headers, long parsedRows,
      long dead, long duplicates, long continued) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path truth = cfg.output.resolve(SecurityPingGenerator.TRUTH_DIR);
    Files.createDirectories(truth);
    try (Writer w = Files.newBufferedWriter(truth.resolve(SNAPSHOTS_JSONL))) {
      for (Map.Entry<LocalDate, Map<String, License>> e : snapshots.entrySet()) {
        for (License l : e.getValue().values()) {
          List<Object> row = new ArrayList<>(List.of(e.getKey().toString(), l.licenseId()));
          row.addAll(values(l));
          w.write(json.writeValueAsString(row) + "\n");
        }
      }
    }
    LocalDate latest = snapshots.lastKey();
    Map<String, LocalDate> first = new LinkedHashMap<>();
    Map<String, LocalDate> last = new LinkedHashMap<>();
    Map<String, License> lastValues = new LinkedHashMap<>();
    for (Map.Entry<LocalDate, Map<String, License>> e : snapshots.entrySet()) {
      for (License l : e.getValue().values()) {
        first.putIfAbsent(l.licenseId(), e.getKey());
        last.put(l.licenseId(), e.getKey());
        lastValues.put(l.licenseId(), l);
      }
    }
    try (Writer w = Files.newBufferedWriter(truth.resolve(LICENSES_JSONL))) {
      for (Map.Entry<String, License> e : lastValues.entrySet()) {
        List<Object> row = new ArrayList<>(List.of(e.getKey()));
        row.addAll(values(e.getValue()));
        row.add(first.get(e.getKey()).toString());
        row.add(last.get(e.getKey()).toString());
        row.add(last.get(e.getKey()).equals(latest));
        w.write(json.writeValueAsString(row) + "\n");
      }
    }
    try (Writer w = Files.newBufferedWriter(truth.resolve(CHANGES_JSONL))) {
      Map<String, License> previous = null;
      LocalDate previousDate = null;
      for (Map.Entry<LocalDate, Map<String, License>> e : snapshots.entrySet()) {
        if (previous != null) {
          String day = e.getKey().toString();
          for (License l : e.getValue().values()) {
            License p = previous.get(l.licenseId());
            if (p == null) {
              w.write(json.writeValueAsString(java.util.Arrays.asList(day, l.licenseId(), "appeared", previousDate.toString(), null, ts(l.expires()))) + "\n");
            } else if (p.expires() != l.expires()) {
              w.write(json.writeValueAsString(java.util.Arrays.asList(day, l.licenseId(), "expiry_changed", previousDate.toString(), ts(p.expires()), ts(l.expires()))) + "\n");
            }
          }
          for (License p : previous.values()) {
            if (!e.getValue().containsKey(p.licenseId())) {
              w.write(json.writeValueAsString(java.util.Arrays.asList(day, p.licenseId(), "disappeared", previousDate.toString(), ts(p.expires()), null)) + "\n");
            }
          }
        }
        previous = e.getValue();
        previousDate = e.getKey();
      }
    }
    ObjectNode s = json.createObjectNode();
    s.put("files", files);
    s.put("files_skipped", 1);
    s.put("lines_read", lines);
    s.put("header_lines", headers);
    s.put("parsed_rows", parsedRows);
    ObjectNode f = s.putObject("filtered");
    f.put("duplicate_in_snapshot", duplicates);
    f.put("empty_line", snapshots.size());
    f.put("continued_on_next_line", continued);
    s.put("dead_lettered", dead);
    json.writeValue(truth.resolve(SUMMARY_JSON).toFile(), s);
    return s;
  }
}
