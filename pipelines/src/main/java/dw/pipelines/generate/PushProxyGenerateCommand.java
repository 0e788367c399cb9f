package dw.pipelines.generate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code generate --dataset=push-proxy}: command line of {@link PushProxyGenerator}. */
final class PushProxyGenerateCommand {
  private static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("output", new String[] {"folder to write AWSLogs/... and _truth/ into", "data/generated/push-proxy"});
    FLAGS.put("from", new String[] {"first UTC day (inclusive), YYYY-MM-DD", "2026-10-01"});
    FLAGS.put("to", new String[] {"last UTC day (inclusive), YYYY-MM-DD", "2026-10-01"});
    FLAGS.put("requestsPerHour", new String[] {"requests per hour of the busiest load balancer", "120"});
    FLAGS.put("seed", new String[] {"random seed; the same flags and seed give byte-identical output", "42"});
    FLAGS.put("overwrite", new String[] {"replace generated logs and truth already in --output (true/false)", "false"});
  }

  private PushProxyGenerateCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
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
      String name = a.startsWith("--") && eq > 0 ? a.substring(2, eq) : null;
      if (name == null || !FLAGS.containsKey(name)) {
        err.println("generate --dataset=push-proxy: unknown or malformed flag '" + a + "'\n");
        err.print(help());
        return 2;
      }
      values.put(name, a.substring(eq + 1));
    }
    PushProxyGenerator gen;
    try {
      gen =
          new PushProxyGenerator(
              new PushProxyGenerator.Config(Path.of(values.get("output")))
                  .from(LocalDate.parse(values.get("from")))
                  .to(LocalDate.parse(values.get("to")))
                  .requestsPerHour(Integer.parseInt(values.get("requestsPerHour")))
                  .seed(Long.parseLong(values.get("seed")))
                  .overwrite(Boolean.parseBoolean(values.get("overwrite"))));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      err.println("generate --dataset=push-proxy: " + e.getMessage() + "\n");
      err.print(help());
      return 2;
    }
    try {
      out.println(gen.generate().toJson());
      return 0;
    } catch (Exception e) {
      err.println("generate --dataset=push-proxy: failed: " + e.getMessage());
      return 1;
    }
  }

  static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: generate --dataset=push-proxy [--flag=value ...]\n")
        .append("Writes deterministic ALB access logs of the push proxies (AWSLogs/<account>/elasticloadbalancing/\n")
        .append("<region>/YYYY/MM/DD/...log.gz; 2 regions, deployments US, EU, TEST and one unmapped load balancer)\n")
        .append("plus the ground truth of a push-proxy backfill of --from..--to with --deployments=")
        .append(PushProxyGenerator.DEPLOYMENTS_OPTION)
        .append("\n(_truth/push_proxy_hourly.csv, push_proxy_hourly_by_country.csv, summary.json).\n\nFlags:\n");
    FLAGS.forEach((k, v) -> sb.append(String.format("  --%-16s %s (default: %s)%n", k, v[0], v[1])));
    return sb.toString();
  }
}
