package dw.pipelines;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the job jar's CLI ({@link Main#run}) in-process and captures what it prints. */
record CliRun(int code, String out, String err) {
  static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    try {
      // commands print their own help and summaries on System.out
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int code = Main.run(args, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
      return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
    }
  }
}
