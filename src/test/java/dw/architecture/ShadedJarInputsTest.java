package dw.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar is {@code target/classes} plus the runtime dependencies (the list Maven writes
 * to {@code target/runtime-classpath.txt} before the tests). Checked here, independent of how the
 * shade plugin is configured: no test class or test resource in {@code target/classes}, no test
 * framework among the runtime dependencies, and no class that two inputs define differently (the
 * jar would keep one of them at random), except the few known, documented overlaps.
 */
class ShadedJarInputsTest {
  static final Path CLASSES = Paths.get("target/classes");
  static final Path TEST_CLASSES = Paths.get("target/test-classes");

  /** Test frameworks and test servers: never in the job jar. */
  static final List<String> TEST_ONLY =
      List.of("junit", "jupiter", "opentest4j", "hamcrest", "jazzer", "s3proxy", "mockito",
          "beam-runners-direct-java", "apiguardian");

  /**
   * Jars that define some of the same classes differently, known and harmless (docs/dependencies.md):
   * Snowflake's ingest SDK bundles its own JAXB and activation API; Hadoop's YARN jars split packages.
   */
  static final List<List<String>> KNOWN_OVERLAPS =
      List.of(
          List.of("snowflake-ingest-sdk-", "jaxb-api-"),
          List.of("snowflake-ingest-sdk-", "jakarta.activation-api-"),
          List.of("hadoop-yarn-", "hadoop-yarn-"),
          List.of("hadoop-auth-", "hadoop-common-"));

  static List<Path> runtimeJars() throws IOException {
    Path list = Paths.get("target/runtime-classpath.txt");
    assertTrue(Files.exists(list), "Maven writes " + list + " in generate-test-resources (pom.xml)");
    List<Path> jars = new ArrayList<>();
    for (String p : Files.readString(list).trim().split(java.io.File.pathSeparator)) {
      if (!p.isBlank()) {
        jars.add(Paths.get(p));
      }
    }
    return jars;
  }

  @Test
  void noTestClassOrResourceIsInTheMainOutput() throws IOException {
    Set<String> testFiles = files(TEST_CLASSES);
    Set<String> mainFiles = files(CLASSES);
    assertTrue(mainFiles.size() > 100, "target/classes looks empty: " + mainFiles.size());
    Set<String> both = new TreeSet<>(mainFiles);
    both.retainAll(testFiles);
    assertEquals(Set.of(), both, "files both in target/classes and target/test-classes");
    List<String> testLike = new ArrayList<>();
    for (String f : mainFiles) {
      String name = f.substring(f.lastIndexOf('/') + 1);
      if (name.matches(".*(Test|IT|Tests)(\\$.*)?\\.class") || f.startsWith("dw/testing/")) {
        testLike.add(f);
      }
    }
    assertEquals(List.of(), testLike, "test classes in target/classes");
  }

  @Test
  void noTestFrameworkIsARuntimeDependency() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path jar : runtimeJars()) {
      String name = jar.getFileName().toString();
      for (String t : TEST_ONLY) {
        if (name.startsWith(t) || name.contains("-" + t) || name.contains(t + "-")) {
          found.add(name);
        }
      }
    }
    assertEquals(List.of(), found, "test-only artifacts among the runtime dependencies");
  }

  @Test
  void noClassIsDefinedDifferentlyByTwoInputs() throws Exception {
    Map<String, String> firstDigest = new HashMap<>();
    Map<String, String> firstJar = new HashMap<>();
    Set<String> conflicts = new TreeSet<>();
    for (String f : files(CLASSES)) {
      if (f.endsWith(".class")) {
        firstJar.put(f, "target/classes");
        firstDigest.put(f, "ours");
      }
    }
    for (Path jar : runtimeJars()) {
      String jarName = jar.getFileName().toString();
      try (ZipFile z = new ZipFile(jar.toFile())) {
        for (ZipEntry e : java.util.Collections.list(z.entries())) {
          String n = e.getName();
          if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")) {
            continue;
          }
          String prev = firstJar.get(n);
          if (prev == null) {
            firstJar.put(n, jarName);
            firstDigest.put(n, digest(z, e));
            continue;
          }
          if (!digest(z, e).equals(firstDigest.get(n)) && !known(prev, jarName)) {
            conflicts.add(prev + " <> " + jarName);
          }
        }
      }
    }
    assertEquals(Set.of(), conflicts, "jars defining the same classes differently");
  }

  static boolean known(String a, String b) {
    for (List<String> k : KNOWN_OVERLAPS) {
      if ((a.startsWith(k.get(0)) && b.startsWith(k.get(1))) || (a.startsWith(k.get(1)) && b.startsWith(k.get(0)))) {
        return true;
      }
    }
    return false;
  }

  static String digest(ZipFile z, ZipEntry e) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = z.getInputStream(e)) {
      md.update(in.readAllBytes());
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  static Set<String> files(Path root) throws IOException {
    Set<String> out = new HashSet<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
    }
    return out;
  }
}
