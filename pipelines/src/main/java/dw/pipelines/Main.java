package dw.pipelines;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the job jar: {@code java -jar dw-pipelines.jar <command> [--option=value ...]}
 * (embedded Flink) or {@code flink run dw-pipelines.jar <command> ...} (a Flink cluster). {@code
 * help} lists the commands; {@code <command> --help} lists every option with its description and
 * default.
 */
public final class Main {
  /** A subcommand of the job jar. */
  public interface Command {
    String description();

    /** Runs the command; returns the process exit code. */
    int run(String[] args) throws Exception;
  }

  static Map<String, Command> commands() {
    Map<String, Command> c = new LinkedHashMap<>();
    c.put("security-pings", new SecurityPingsCommand());
    c.put("push-proxy", new PushProxyCommand());
    c.put("releases", new ReleasesCommand());
    c.put("licenses", new LicensesCommand());
    c.put("generate", new GenerateLogsCommand());
    c.put("demo", new DemoCommand());
    c.put("sql", new SqlCommand());
    c.put("startup-archive", new StartupArchiveCommand());
    return c;
  }

  private Main() {}

  /**
   * Runs a command. Started with {@code java -jar}, exits the JVM with the command's exit code.
   * Under {@code flink run}, returns on success (the CLI exits 0) and exits with the code
   * otherwise. Inside the JobManager (dashboard or REST {@code /jars/<id>/run}) it never exits
   * the JVM, which is the JobManager's: a failure is thrown, and REST returns its message.
   */
  public static void main(String[] args) {
    Launch launch = Launch.current();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    PrintStream err =
        launch == Launch.IN_CLUSTER ? new PrintStream(new TeeOutputStream(System.err, errors), true) : System.err;
    if (launch != Launch.IN_CLUSTER) { // this JVM is the command's own, not a JobManager's
      skipInstanceMetadataWithoutS3(args, System.getenv(), System.getProperties());
    }
    int code = run(args, System.out, err);
    // checkpoint the embedded warehouse's WAL into its file before the JVM goes
    dw.io.warehouse.DuckDbStore.closeAll();
    switch (launch) {
      case IN_CLUSTER -> {
        if (code != 0) {
          throw new CommandFailedException(code, errors.toString().strip());
        }
      }
      case FLINK_CLI -> {
        if (code != 0) {
          System.exit(code);
        }
      }
      case EMBEDDED -> System.exit(code);
    }
  }

  /** The AWS SDK's switch for EC2 instance-metadata lookups (SdkSystemSetting.AWS_EC2_METADATA_DISABLED). */
  static final String NO_INSTANCE_METADATA = "aws.disableEc2Metadata";

  /**
   * Beam registers its S3 file system for every pipeline run, and its default region asks the EC2
   * instance-metadata service (http://169.254.169.254) when neither --awsRegion, AWS_REGION nor an
   * AWS profile names one: a connection nobody configured, and about 0.8 s of every start-up
   * waiting for it off EC2. A command none of whose arguments names an {@code s3://} location uses
   * no AWS service, so that lookup is switched off for its JVM; with S3 in the arguments (or the
   * switch set by the user either way) the AWS SDK's own rules apply, instance metadata included.
   * Returns whether it switched the lookups off.
   */
  static boolean skipInstanceMetadataWithoutS3(
      String[] args, Map<String, String> env, java.util.Properties props) {
    if (props.getProperty(NO_INSTANCE_METADATA) != null || env.get("AWS_EC2_METADATA_DISABLED") != null) {
      return false;
    }
    for (String a : args) {
      if (a.toLowerCase(java.util.Locale.ROOT).contains("s3://")) {
        return false;
      }
    }
    props.setProperty(NO_INSTANCE_METADATA, "true");
    return true;
  }

  /** A command's failure inside the JobManager: its exit code and what it printed. */
  static final class CommandFailedException extends RuntimeException {
    CommandFailedException(int code, String message) {
      super("exit code " + code + (message.isEmpty() ? "" : ": " + message));
    }
  }

  /** Copies what is written to two streams (the JobManager's stderr and the failure message). */
  private static final class TeeOutputStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeOutputStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }

  /** Runs a command and maps failures to a one-paragraph message and an exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, Command> commands = commands();
    if (args.length == 0 || isHelp(args[0])) {
      usage(out, commands);
      return args.length == 0 ? 2 : 0;
    }
    Command cmd = commands.get(args[0]);
    if (cmd == null) {
      err.println("error: unknown command '" + args[0] + "'");
      usage(err, commands);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return cmd.run(rest);
    } catch (IllegalArgumentException e) {
      err.println("error: " + args[0] + ": " + messageOf(e));
      err.println("(run 'java -jar dw-pipelines.jar " + args[0] + " --help' for the options)");
      debug(err, e);
      return 2;
    } catch (Exception e) {
      err.println("error: " + args[0] + " failed: " + messageOf(e));
      debug(err, e);
      JobAlerts.jobFailed(args[0], rest, e, System.getenv());
      return 1;
    }
  }

  static boolean isHelp(String a) {
    return a.equals("help") || a.equals("--help") || a.equals("-h");
  }

  /** The innermost meaningful message of an exception chain (Flink wraps job failures deeply). */
  static String messageOf(Throwable e) {
    StringBuilder sb = new StringBuilder();
    Throwable t = e;
    String last = null;
    int depth = 0;
    while (t != null && depth++ < 12) {
      String m = t.getMessage();
      if (m != null && !m.isBlank() && (last == null || !last.contains(m))) {
        if (sb.length() > 0) {
          sb.append("\n  caused by: ");
        }
        sb.append(t.getClass().getSimpleName()).append(": ").append(m.strip());
        last = m;
      }
      t = t.getCause();
    }
    return sb.length() == 0 ? e.toString() : sb.toString();
  }

  private static void debug(PrintStream err, Exception e) {
    if (System.getenv("DW_DEBUG") != null) {
      e.printStackTrace(err);
    } else {
      err.println("(set DW_DEBUG=1 for the stack trace)");
    }
  }

  static void usage(PrintStream out, Map<String, Command> commands) {
    out.println("usage: java -jar dw-pipelines.jar <command> [--option=value ...]");
    out.println("       flink run dw-pipelines.jar <command> [--option=value ...]");
    out.println();
    out.println("commands:");
    for (Map.Entry<String, Command> e : commands.entrySet()) {
      out.printf("  %-16s %s%n", e.getKey(), e.getValue().description());
    }
    out.println("  help             this list");
    out.println();
    out.println("'<command> --help' lists every option of a command with its description and default.");
  }
}
