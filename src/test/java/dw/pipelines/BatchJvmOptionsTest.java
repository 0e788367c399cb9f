package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * flink-conf/batch.jvm.options, the argfile the README's backfill command and the bench pass to
 * {@code java}: the JVM of this machine reads it and takes every flag as written.
 */
class BatchJvmOptionsTest {
  static final Path FILE = Paths.get("flink-conf", "batch.jvm.options");

  /** The file's options: each line without its {@code #} comment, blank lines skipped. */
  static List<String> options() throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
      int hash = line.indexOf('#');
      String o = (hash < 0 ? line : line.substring(0, hash)).strip();
      if (!o.isEmpty()) {
        out.add(o);
      }
    }
    return out;
  }

  @Test
  void theJvmTakesEveryOptionOfTheArgfile() throws Exception {
    List<String> opts = options();
    assertFalse(opts.isEmpty(), FILE + " holds no option");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "@" + FILE.toAbsolutePath(), "-XX:+PrintFlagsFinal", "-version")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version did not end");
    assertEquals(0, p.exitValue(), "the JVM refused " + FILE + ":\n" + out);
    Pattern flag = Pattern.compile("-XX:([A-Za-z0-9]+)=(\\S+)");
    for (String o : opts) {
      Matcher m = flag.matcher(o);
      assertTrue(m.matches(), FILE + ": '" + o + "' is not -XX:Name=value");
      Matcher seen =
          Pattern.compile("\\s" + m.group(1) + "\\s+=\\s+(\\S+)\\s.*\\{command line\\}").matcher(out);
      assertTrue(seen.find(), m.group(1) + " not set from the command line:\n" + out);
      assertEquals(m.group(2), seen.group(1), m.group(1));
    }
  }
}
