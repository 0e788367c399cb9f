package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The class-data archive {@code mvn package} writes beside the job jar ({@code startup-archive}) is
 * usable by the command the README gives: with {@code -Xshare:on} the JVM refuses to start unless it
 * maps the archive, and the job's own classes then come from it.
 */
class StartupArchiveIT {
  @Test
  void theJobJarStartsWithItsArchive() throws Exception {
    Path jar = Paths.get("target", "dw-pipelines.jar");
    Path jsa = Paths.get("target", "dw-pipelines.jsa");
    assertTrue(Files.isRegularFile(jsa), "mvn package wrote no " + jsa.toAbsolutePath());
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("startup-archive", ".log");
    try {
      Process p =
          new ProcessBuilder(
                  List.of(java, "-Xshare:on", "-XX:SharedArchiveFile=" + jsa, "-Xlog:class+load",
                      "@flink-conf/batch.jvm.options", "-jar", jar.toString(), "help"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the JVM did not exit");
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out.length() > 4000 ? out.substring(0, 4000) : out);
      assertTrue(
          out.contains("dw.pipelines.Main source: shared objects file"),
          "the job's main class was not mapped from the archive");
      assertTrue(out.contains("usage: java -jar dw-pipelines.jar"), "help was not printed");
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
