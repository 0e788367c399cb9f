package dw.pipelines.generate;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Command line of the generators ({@code generate --dataset=… --output=DIR --from=YYYY-MM-DD …},
 * options {@link GenerateOptions}): {@link SecurityPingGenerator} (the default), {@link
 * PushProxyGenerator}, {@link ReleaseLogGenerator} or {@link LicenseExportGenerator}. Prints one
 * line of JSON with the counts and the truth paths.
 */
public final class GenerateCommand {
  static final String SECURITY_PINGS = "security-pings";
  static final String PUSH_PROXY = "push-proxy";
  static final String RELEASES = "releases";
  static final String LICENSES = "licenses";

  /** A data set's defaults for the options whose default depends on it. */
  private record Defaults(String output, String from, String to) {}

  private static final Map<String, Defaults> DATASETS =
      Map.of(
          SECURITY_PINGS, new Defaults("data/generated/security", "2026-10-01", "2026-10-03"),
          PUSH_PROXY, new Defaults("data/generated/push-proxy", "2026-10-01", "2026-10-01"),
          RELEASES, new Defaults("data/generated/releases", "2026-10-01", "2026-10-02"),
          LICENSES, new Defaults("data/generated/licenses", "2020-01-01", "2020-01-06"));

  /** The options that belong to some data sets only. */
  private static final Map<String, List<String>> OWN_OPTIONS =
      Map.of(
          "servers", List.of(SECURITY_PINGS),
          "distributions", List.of(SECURITY_PINGS),
          "filesPerHour", List.of(SECURITY_PINGS),
          "threads", List.of(SECURITY_PINGS),
          "overwrite", List.of(SECURITY_PINGS, PUSH_PROXY),
          "requestsPerHour", List.of(PUSH_PROXY),
          "downloadsPerDay", List.of(RELEASES),
          "licenses", List.of(LICENSES));

  private GenerateCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command; returns the process exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      return execute(args, out);
    } catch (IllegalArgumentException e) {
      err.println("generate: " + e.getMessage());
      err.println("(generate --help lists the options)");
      return 2;
    } catch (Exception e) {
      err.println("generate: failed: " + e);
      return 1;
    }
  }

  /**
   * Runs the command for the job jar's CLI, which reports errors as for every command: a usage
   * error is an {@link IllegalArgumentException}, any other exception a failure.
   */
  public static int execute(String[] args, PrintStream out) throws Exception {
    if (CommandLineOptions.wantsHelp(args)) {
      out.print(help());
      return 0;
    }
    GenerateOptions o = CommandLineOptions.parse(args, GenerateOptions.class);
    Defaults d = DATASETS.get(o.getDataset());
    if (d == null) {
      throw new IllegalArgumentException(
          "--dataset=" + o.getDataset() + ": security-pings, push-proxy, releases or licenses");
    }
    for (Map.Entry<String, List<String>> e : OWN_OPTIONS.entrySet()) {
      if (CommandLineOptions.given(args, e.getKey()) && !e.getValue().contains(o.getDataset())) {
        throw new IllegalArgumentException(
            "--" + e.getKey() + " is an option of --dataset=" + String.join(" and ", e.getValue())
                + ", not of " + o.getDataset());
      }
    }
    LocalDate from = date("from", o.getFrom(), d.from());
    LocalDate to = date("to", o.getTo(), d.to());
    Path output = Path.of(o.getOutput().isEmpty() ? d.output() : o.getOutput());
    Object result =
        switch (o.getDataset()) {
          case PUSH_PROXY -> new PushProxyGenerator(
                  new PushProxyGenerator.Config(output)
                      .from(from)
                      .to(to)
                      .requestsPerHour(o.getRequestsPerHour())
                      .seed(o.getSeed())
                      .overwrite(o.getOverwrite()))
              .generate()
              .toJson();
          case RELEASES -> new ReleaseLogGenerator(
                  new ReleaseLogGenerator.Config(output)
                      .from(from)
                      .to(to)
                      .seed(o.getSeed())
                      .downloadsPerDay(o.getDownloadsPerDay()))
              .generate();
          case LICENSES -> new LicenseExportGenerator(
                  new LicenseExportGenerator.Config(output)
                      .from(from)
                      .to(to)
                      .seed(o.getSeed())
                      .licenses(o.getLicenses()))
              .generate();
          default -> new SecurityPingGenerator(securityPingsConfig(o, output, from, to)).generate().toJson();
        };
    out.println(result);
    return 0;
  }

  private static LocalDate date(String option, String value, String dataSetDefault) {
    String v = value.isEmpty() ? dataSetDefault : value;
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--" + option + "=" + v + ": not a date (YYYY-MM-DD)", e);
    }
  }

  private static SecurityPingGenerator.Config securityPingsConfig(
      GenerateOptions o, Path output, LocalDate from, LocalDate to) {
    SecurityPingGenerator.Config cfg =
        new SecurityPingGenerator.Config(output)
            .from(from)
            .to(to)
            .servers(o.getServers())
            .seed(o.getSeed())
            .distributions(o.getDistributions())
            .filesPerHour(o.getFilesPerHour())
            .overwrite(o.getOverwrite());
    if (o.getThreads() != 0) {
      cfg.threads(o.getThreads());
    }
    cfg.validate();
    return cfg;
  }

  /** The help text: what the command writes, then every option with its description and default. */
  static String help() {
    ByteArrayOutputStream options = new ByteArrayOutputStream();
    CommandLineOptions.printOwnHelp(new PrintStream(options, true, StandardCharsets.UTF_8), GenerateOptions.class);
    return "Usage: generate [--dataset=security-pings|push-proxy|releases|licenses] [--option=value ...]\n"
        + "Writes deterministic logs of a data set plus their ground truth (_truth/), and prints one JSON\n"
        + "line with the counts. security-pings: CloudFront access logs of security-update-check pings\n"
        + "(truth: security_daily_totals.csv, security_server_daily.csv, summary.json). push-proxy: ALB\n"
        + "access logs (AWSLogs/<account>/elasticloadbalancing/<region>/YYYY/MM/DD/...log.gz; 2 regions,\n"
        + "deployments US, EU, TEST and one unmapped load balancer) plus the truth of a push-proxy\n"
        + "backfill with --deployments=" + PushProxyGenerator.DEPLOYMENTS_OPTION + ". releases:\n"
        + "download-CDN logs. licenses: nightly license exports.\n\n"
        + options.toString(StandardCharsets.UTF_8);
  }
}
