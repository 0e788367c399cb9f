package dw.pipelines.generate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code generate --dataset=releases|licenses}: download-CDN logs ({@link ReleaseLogGenerator}) or
 * nightly license exports ({@link LicenseExportGenerator}) with their ground truth. Prints the
 * truth summary as one JSON line.
 */
final class DatasetGenerate {
  private DatasetGenerate() {}

  static final String RELEASES = "releases";
  static final String LICENSES = "licenses";

  /** Flag → {description, default} per data set. */
  private static Map<String, String[]> flags(String dataset) {
    Map<String, String[]> f = new LinkedHashMap<>();
    f.put("dataset", new String[] {"security-pings (default), push-proxy, releases or licenses", dataset});
    if (dataset.equals(RELEASES)) {
      f.put("output", new String[] {"folder to write <dist>/<dist>.YYYY-MM-DD-HH.<id>.gz and _truth/ into", "data/generated/releases"});
      f.put("from", new String[] {"first UTC day (inclusive)", "2026-10-01"});
      f.put("to", new String[] {"last UTC day (inclusive)", "2026-10-02"});
      f.put("downloadsPerDay", new String[] {"downloads per day (plus non-downloads and broken lines)", "150"});
    } else {
      f.put("output", new String[] {"folder to write <YYYY-MM-DD>/<name><YYYY-MM-DD>.csv and _truth/ into", "data/generated/licenses"});
      f.put("from", new String[] {"first snapshot date (inclusive)", "2020-01-01"});
      f.put("to", new String[] {"last snapshot date (inclusive; at least 3 days after --from)", "2020-01-06"});
      f.put("licenses", new String[] {"licenses in the first snapshot", "60"});
    }
    f.put("seed", new String[] {"random seed; the same flags and seed give identical output", "42"});
    return f;
  }

  static int run(String dataset, String[] args, PrintStream out, PrintStream err) {
    if (!dataset.equals(RELEASES) && !dataset.equals(LICENSES)) {
      err.println("generate: --dataset=" + dataset + ": security-pings, push-proxy, releases or licenses");
      return 2;
    }
    Map<String, String[]> flags = flags(dataset);
    Map<String, String> v = new LinkedHashMap<>();
    flags.forEach((k, d) -> v.put(k, d[1]));
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        out.print(help(dataset, flags));
        return 0;
      }
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0 || !flags.containsKey(a.substring(2, eq))) {
        err.println("generate: unexpected '" + a + "' for --dataset=" + dataset + "\n");
        err.print(help(dataset, flags));
        return 2;
      }
      v.put(a.substring(2, eq), a.substring(eq + 1));
    }
    try {
      Path output = Path.of(v.get("output"));
      LocalDate from = LocalDate.parse(v.get("from"));
      LocalDate to = LocalDate.parse(v.get("to"));
      long seed = Long.parseLong(v.get("seed"));
      Object summary;
      if (dataset.equals(RELEASES)) {
        summary =
            new ReleaseLogGenerator(
                    new ReleaseLogGenerator.Config(output)
                        .from(from)
                        .to(to)
                        .seed(seed)
                        .downloadsPerDay(Integer.parseInt(v.get("downloadsPerDay"))))
                .generate();
      } else {
        summary =
            new LicenseExportGenerator(
                    new LicenseExportGenerator.Config(output)
                        .from(from)
                        .to(to)
                        .seed(seed)
                        .licenses(Integer.parseInt(v.get("licenses"))))
                .generate();
      }
      out.println(summary);
      return 0;
    } catch (DateTimeParseException | IllegalArgumentException e) {
      err.println("generate: " + e.getMessage() + "\n");
      err.print(help(dataset, flags));
      return 2;
    } catch (Exception e) {
      err.println("generate: failed: " + e);
      return 1;
    }
  }

  static String help(String dataset, Map<String, String[]> flags) {
    StringBuilder sb = new StringBuilder("Usage: generate --dataset=" + dataset + " [--flag=value ...]\n\nFlags:\n");
    flags.forEach((k, d) -> sb.append(String.format("  --%-15s %s (default: %s)%n", k, d[0], d[1])));
    return sb.toString();
  }
}
