package dw.pipelines;

import dw.pipelines.generate.CommandLineOptions;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code startup-archive}: writes a class-data-sharing archive of the classes a backfill loads
 * (HotSpot's application CDS), so that {@code java -XX:SharedArchiveFile=target/dw-pipelines.jsa
 * -jar target/dw-pipelines.jar …} maps them instead of loading, parsing and verifying about 12 000
 * classes on every start: a one-day backfill started in 4.7 s instead of 6.3 s, with 2.2 s less CPU
 * (docs/performance.md, "Fifth round"). {@code mvn package} runs it after building the jar.
 *
 * <p>It runs a small backfill in a child JVM (generated logs of one day, the demo GeoIP database, an
 * embedded warehouse, all in a temporary folder) that lists the classes it loads, then a second
 * child JVM that dumps them ({@code -Xshare:dump}). The archive is only valid for this jar at this
 * path and for this JVM build: with another JVM, or a rebuilt jar, the JVM ignores it (and starts as
 * without it), so run the command again after changing either.
 */
final class StartupArchiveCommand implements Main.Command {
  @Override
  public String description() {
    return "write the JVM class-data archive that shortens start-up (mvn package runs it; --output=FILE)";
  }

  @Override
  public int run(String[] args) throws Exception {
    if (CommandLineOptions.wantsHelp(args)) {
      System.out.println("usage: startup-archive [--output=FILE]");
      CommandLineOptions.printOwnHelp(System.out, StartupArchiveOptions.class);
      return 0;
    }
    StartupArchiveOptions o = CommandLineOptions.parse(args, StartupArchiveOptions.class);
    Path jar = ownJar();
    Path output =
        o.getOutput().isEmpty()
            ? jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", "") + ".jsa")
            : Paths.get(o.getOutput()).toAbsolutePath();
    Path work = Files.createTempDirectory("dw-startup-archive");
    try {
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      Path logs = work.resolve("logs");
      child(work, "generating a day of logs",
          List.of(java, "-jar", jar.toString(), "generate", "--output=" + logs, "--from=2026-10-01",
              "--to=2026-10-01", "--servers=2000", "--filesPerHour=1", "--distributions=1"));
      Path geo = work.resolve("geo.mmdb");
      DemoGeoDatabase.write(geo);
      Path classes = work.resolve("classes.lst");
      // the backfill as users start it (-jar: the manifest's Add-Opens), listing every class it loads
      List<String> backfill = new ArrayList<>(List.of(java, "-Xshare:off", "-XX:DumpLoadedClassList=" + classes));
      backfill.addAll(List.of("-jar", jar.toString(), "security-pings", "--input=" + logs,
          "--from=2026-10-01", "--to=2026-10-01", "--warehouse=" + work.resolve("warehouse.duckdb"),
          "--geoipCityDatabase=" + geo, "--parallelism=2"));
      child(work, "the warm-up backfill", backfill);
      Files.deleteIfExists(output);
      child(work, "dumping the archive",
          List.of(java, "-Xshare:dump", "-XX:SharedClassListFile=" + classes,
              "-XX:SharedArchiveFile=" + output, "-cp", jar.toString()));
      if (!Files.isRegularFile(output)) {
        throw new IllegalStateException("the JVM wrote no archive at " + output);
      }
      long listed;
      try (Stream<String> lines = Files.lines(classes, StandardCharsets.UTF_8)) {
        listed = lines.filter(l -> !l.startsWith("#")).count();
      }
      System.out.printf(
          "wrote %s (%d classes, %d MB); use it with: java -XX:SharedArchiveFile=%s -jar %s …%n",
          output, listed, Files.size(output) >> 20, output, jar);
      return 0;
    } finally {
      deleteTree(work);
    }
  }

  /** The job jar this class was loaded from (the archive is made for it and its path). */
  static Path ownJar() {
    try {
      Path p = Paths.get(StartupArchiveCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
        throw new IllegalArgumentException(
            "startup-archive makes an archive for the job jar: run it as java -jar dw-pipelines.jar startup-archive (classes come from " + p + ")");
      }
      return p.toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a child JVM; its output goes to a file, shown when it fails. */
  private static void child(Path work, String what, List<String> cmd) throws IOException, InterruptedException {
    File log = work.resolve("child.log").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    int code = p.waitFor();
    if (code != 0) {
      String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
      throw new IllegalStateException(
          what + " failed (exit code " + code + "): " + String.join(" ", cmd) + "\n" + out.strip());
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
