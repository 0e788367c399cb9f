package dw.pipelines.generate;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The one way the job jar's commands read {@code --option=value} arguments: a Beam {@link
 * PipelineOptions} interface with {@code @Description} and {@code @Default} on every option, parsed
 * by Beam (the pipeline commands add the runner and Flink defaults on top, see {@code
 * PipelineSupport}). {@code --help} is Beam's listing of the interface. Unknown options and bad
 * values are an {@link IllegalArgumentException} naming the option (the CLI's usage error, exit 2).
 */
public final class CommandLineOptions {
  private CommandLineOptions() {}

  /** Parses {@code args} (all {@code --option=value}; a boolean may stand alone) into {@code type}. */
  public static <T extends PipelineOptions> T parse(String[] args, Class<T> type) {
    for (String a : args) {
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("expected --option=value, got '" + a + "'");
      }
    }
    try {
      return PipelineOptionsFactory.fromArgs(args).as(type);
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      int i = m.indexOf("missing a property named '");
      if (i >= 0) {
        int s = i + "missing a property named '".length();
        String name = m.substring(s, m.indexOf('\'', s));
        int hint = m.indexOf("Did you mean");
        throw new IllegalArgumentException(
            "unknown option --" + name + (hint >= 0 ? " (" + m.substring(hint).strip() + ")" : ""));
      }
      throw e;
    }
  }

  /** Whether {@code args} ask for help ({@code --help}, {@code -h}). */
  public static boolean wantsHelp(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h") || a.startsWith("--help="));
  }

  /** Whether {@code args} give {@code --option} explicitly. */
  public static boolean given(String[] args, String option) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--" + option) || a.startsWith("--" + option + "="));
  }

  /** Beam's listing of every option of {@code type} with its description and default. */
  public static void printHelp(PrintStream out, Class<? extends PipelineOptions> type) {
    PipelineOptionsFactory.printHelp(out, type);
  }

  /**
   * Beam's listing of the options of {@code type} that the project declares (the sections of
   * {@code dw.} interfaces), for a command that runs no pipeline: Beam's own runner and job
   * options mean nothing to it.
   */
  public static void printOwnHelp(PrintStream out, Class<? extends PipelineOptions> type) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    PipelineOptionsFactory.printHelp(new PrintStream(all, true, StandardCharsets.UTF_8), type);
    boolean own = false;
    for (String line : all.toString(StandardCharsets.UTF_8).split("\n", -1)) {
      if (!line.isEmpty() && !line.startsWith(" ") && line.endsWith(":")) {
        own = line.startsWith("dw.");
      }
      if (own) {
        out.println(line);
      }
    }
  }
}
