package dw.pipelines;

import dw.pipelines.generate.CommandLineOptions;
import java.util.Arrays;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Parsing and defaults shared by the pipeline commands. */
final class PipelineSupport {
  private PipelineSupport() {}

  /** JVM system property naming the Flink configuration folder used when --flinkConfDir is absent. */
  static final String DEFAULT_FLINK_CONF_PROPERTY = "dw.flinkConfDir";

  /**
   * Parses {@code --option=value} arguments into {@code type}, with the suite's defaults: the Flink
   * runner (embedded when started with {@code java -jar}, the cluster's when submitted with {@code
   * flink run}), and Flink object reuse and faster copies, which the baseline measured as a clear
   * win and which our DoFns allow (they never mutate their inputs).
   */
  static <T extends FlinkPipelineOptions> T parse(String[] args, Class<T> type) {
    // every stateful operator keeps its UID whatever the parallelism (savepoint restores at -p N)
    org.apache.beam.runners.flink.ImpulseUids.install();
    PipelineOptionsFactory.register(type);
    if (!given(args, "runner")) {
      // before parsing: Beam's default runner (the DirectRunner) is not in the job jar
      String[] withRunner = Arrays.copyOf(args, args.length + 1);
      withRunner[args.length] = "--runner=" + FlinkRunner.class.getSimpleName();
      args = withRunner;
    }
    T o;
    try {
      o = PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
    } catch (IllegalArgumentException e) {
      // Beam's messages quote option values ("expected one element but was: <a, b>"), which can
      // hold a password: name the option, never echo a value that may be secret.
      throw new IllegalArgumentException(redact(explainRepeats(args, e.getMessage()), args), e.getCause());
    }
    if (!given(args, "jobName")) {
      // empty = not chosen: each command names its jobs (pipeline, mode, input) for the dashboard
      o.setJobName("");
    }
    if (!given(args, "objectReuse")) {
      o.setObjectReuse(true);
    }
    if (!given(args, "fasterCopy")) {
      o.setFasterCopy(true);
    }
    String defaultConf = System.getProperty(DEFAULT_FLINK_CONF_PROPERTY, "");
    if (!given(args, "flinkConfDir") && !defaultConf.isEmpty()) {
      // a default Flink configuration for embedded runs (the tests use it to forbid Kryo)
      o.setFlinkConfDir(defaultConf);
    }
    if (!given(args, "s3ClientFactoryClass")) {
      // path-style option, S3-compatible servers, request counting (Beam's default otherwise)
      o.as(dw.io.s3.S3AccessOptions.class)
          .setS3ClientFactoryClass(dw.io.s3.PathStyleS3ClientBuilderFactory.class);
    }
    return o;
  }

  /** Beam's "expected one element" for an option given twice, said with the option's name. */
  static String explainRepeats(String[] args, String message) {
    if (message == null || !message.startsWith("expected one element")) {
      return message;
    }
    java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
    for (String a : args) {
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        seen.merge(eq < 0 ? a : a.substring(0, eq), 1, Integer::sum);
      }
    }
    java.util.List<String> repeated = new java.util.ArrayList<>();
    seen.forEach((name, n) -> {
      if (n > 1) {
        repeated.add(name);
      }
    });
    return repeated.isEmpty()
        ? "an option is given more than once"
        : String.join(", ", repeated) + ": given more than once (give each option once)";
  }

  /**
   * {@code message} without the values of options that can carry secrets (names with password,
   * secret, key, token, passphrase or credentials, and any value with a {@code password=} part).
   */
  static String redact(String message, String[] args) {
    if (message == null) {
      return null;
    }
    String out = message;
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0 || eq == a.length() - 1) {
        continue;
      }
      String name = a.substring(2, eq).toLowerCase(java.util.Locale.ROOT);
      String value = a.substring(eq + 1);
      boolean secret =
          name.matches(".*(password|secret|key|token|passphrase|credential).*")
              || value.toLowerCase(java.util.Locale.ROOT).contains("password=");
      if (secret && value.length() >= 3) {
        out = out.replace(value, "<redacted>");
      }
    }
    return out;
  }

  static boolean given(String[] args, String option) {
    return CommandLineOptions.given(args, option);
  }
}
