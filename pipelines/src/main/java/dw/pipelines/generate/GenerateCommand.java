package dw.pipelines.generate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Command line for {@link SecurityPingGenerator}: {@code generate --output=DIR --from=YYYY-MM-DD ...}.
 * Prints one line of JSON with the counts, the truth paths and the speed (lines per second).
 */
public final class GenerateCommand {

  /** Flag name → {description, default}. Order is the help order. */
  private static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("output", new String[] {"folder to write <dist>/<dist>.YYYY-MM-DD-HH.<id>.gz and _truth/ into",
        "data/generated/security"});
    FLAGS.put("from", new String[] {"first UTC day (inclusive), YYYY-MM-DD", "2026-10-01"});
    FLAGS.put("to", new String[] {"last UTC day (inclusive), YYYY-MM-DD", "2026-10-03"});
    FLAGS.put("servers", new String[] {"number of distinct servers", "2000"});
    FLAGS.put("seed", new String[] {"random seed; the same flags and seed give byte-identical output", "42"});
    FLAGS.put("distributions", new String[] {"number of CloudFront distributions (log folders)", "2"});
    FLAGS.put("filesPerHour", new String[] {"log files per hour per distribution", "2"});
    FLAGS.put("threads", new String[] {"threads compressing files (does not change the output)",
        "min(2, cores)"});
    FLAGS.put("overwrite", new String[] {"replace generated logs and truth already in --output (true/false)",
        "false"});
  }

  private GenerateCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command; returns the process exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    java.util.List<String> rest = new java.util.ArrayList<>();
    String dataset = "security-pings";
    for (String a : args) {
      if (a.startsWith("--dataset=")) {
        dataset = a.substring("--dataset=".length());
      } else {
        rest.add(a);
      }
    }
    if (dataset.equals("push-proxy")) {
      return PushProxyGenerateCommand.run(rest.toArray(new String[0]), out, err);
    }
    if (dataset.equals(DatasetGenerate.RELEASES) || dataset.equals(DatasetGenerate.LICENSES)) {
      return DatasetGenerate.run(dataset, rest.toArray(new String[0]), out, err);
    }
    if (!dataset.equals("security-pings")) {
      err.println("generate: --dataset=" + dataset + ": security-pings, push-proxy, releases or licenses\n");
      err.print(help());
      return 2;
    }
    args = rest.toArray(new String[0]);
    Map<String, String> values = new LinkedHashMap<>();
    FLAGS.forEach((k, v) -> values.put(k, v[1]));
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        out.print(help());
        return 0;
      }
      if (a.equals("--overwrite")) {
        values.put("overwrite", "true");
        continue;
      }
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        err.println("generate: expected --flag=value, got '" + a + "'\n");
        err.print(help());
        return 2;
      }
      String name = a.substring(2, eq);
      if (!FLAGS.containsKey(name)) {
        err.println("generate: unknown flag --" + name + "\n");
        err.print(help());
        return 2;
      }
      values.put(name, a.substring(eq + 1));
    }
    SecurityPingGenerator.Config cfg;
    try {
      cfg = new SecurityPingGenerator.Config(Path.of(values.get("output")))
          .from(LocalDate.parse(values.get("from")))
          .to(LocalDate.parse(values.get("to")))
          .servers(Integer.parseInt(values.get("servers")))
          .seed(Long.parseLong(values.get("seed")))
          .distributions(Integer.parseInt(values.get("distributions")))
          .filesPerHour(Integer.parseInt(values.get("filesPerHour")))
          .overwrite(parseBoolean(values.get("overwrite")));
      if (!values.get("threads").startsWith("min(")) {
        cfg.threads(Integer.parseInt(values.get("threads")));
      }
      cfg.validate();
    } catch (DateTimeParseException | IllegalArgumentException e) {
      err.println("generate: " + e.getMessage() + "\n");
      err.print(help());
      return 2;
    }
    try {
      SecurityPingGenerator.Result result = new SecurityPingGenerator(cfg).generate();
      out.println(result.toJson());
      return 0;
    } catch (Exception e) {
      err.println("generate: failed: " + e);
      return 1;
    }
  }

  private static boolean parseBoolean(String s) {
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("overwrite must be true or false, got '" + s + "'");
  }

  /** The help text listing every flag with its description and default. */
  static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: generate [--flag=value ...]\n")
        .append("Writes deterministic CloudFront access logs of security-update-check pings plus the ground\n")
        .append("truth (_truth/security_daily_totals.csv, security_server_daily.csv, summary.json).\n")
        .append("Prints one JSON line with the counts and lines_per_second.\n\nFlags:\n");
    FLAGS.forEach((k, v) -> sb.append(String.format("  --%-15s %s (default: %s)%n", k, v[0], v[1])));
    sb.append(String.format("  --%-15s %s%n", "dataset", "security-pings (default), push-proxy (ALB logs),"
        + " releases (download-CDN logs) or licenses (license exports);"
        + " generate --dataset=<name> --help lists that data set's flags"));
    sb.append(String.format("  --%-15s %s%n", "help", "print this help"));
    return sb.toString();
  }
}
