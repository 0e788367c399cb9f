package dw.transforms.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.transforms.security.SecurityPing;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A record's coder is generated from its field table into the record's source, between {@code //
 * BEGIN GENERATED} and {@code // END GENERATED}: plain straight-line code, as fast as a hand-written
 * coder. This test holds the source to what the table gives ({@code -Ddw.updateGolden=true}
 * rewrites the block), and holds the table to the record's Java fields: each is coded, or named
 * here as derived.
 */
class RecordFieldSourcesTest {
  private static final Path SECURITY_PING =
      Path.of("transforms/src/main/java/dw/transforms/security/SecurityPing.java");
  private static final String BEGIN = "  // BEGIN GENERATED from FIELDS";
  private static final String END = "  // END GENERATED\n";

  /** The generated block's body: {@code writeFields} and {@code readFields} of the table's coded fields. */
  static String coderSource(List<? extends RecordField<?>> fields) {
    StringBuilder write = new StringBuilder();
    StringBuilder read = new StringBuilder();
    for (RecordField<?> f : fields) {
      for (RecordField.Coded c : f.coded()) {
        write.append("    w.").append(c.codec().writeMethod()).append('(').append(c.javaField()).append(");\n");
        read.append("    b.").append(c.javaField()).append(" = r.").append(c.codec().readMethod()).append("();\n");
      }
    }
    return "  /** Writes the coded fields of {@link #FIELDS}, in order. */\n"
        + "  public void writeFields(BlockCoder.Writer w) {\n"
        + write
        + "  }\n\n"
        + "  /** Reads {@link #writeFields} into a new builder. */\n"
        + "  private static Builder readFields(BlockCoder.Reader r) throws IOException {\n"
        + "    Builder b = new Builder();\n"
        + read
        + "    return b;\n"
        + "  }\n";
  }

  @Test
  void securityPingCoderIsTheOneOfItsFieldTable() throws IOException {
    String src = Files.readString(SECURITY_PING, StandardCharsets.UTF_8);
    int begin = src.indexOf(BEGIN);
    int bodyStart = src.indexOf('\n', begin) + 1;
    int end = src.indexOf(END, bodyStart);
    assertTrue(begin > 0 && end > begin, "generated block markers in " + SECURITY_PING);
    String generated = coderSource(SecurityPing.FIELDS);
    if (Boolean.getBoolean("dw.updateGolden")) {
      Files.writeString(SECURITY_PING, src.substring(0, bodyStart) + generated + src.substring(end), StandardCharsets.UTF_8);
      src = Files.readString(SECURITY_PING, StandardCharsets.UTF_8);
      end = src.indexOf(END, bodyStart);
    }
    assertEquals(generated, src.substring(bodyStart, end), "regenerate with -Ddw.updateGolden=true");
  }

  @Test
  void everyJavaFieldOfAPingIsCodedOrDerived() {
    Set<String> coded = new TreeSet<>();
    for (RecordField<SecurityPing> f : SecurityPing.FIELDS) {
      f.coded().forEach(c -> assertTrue(coded.add(c.javaField()), c.javaField() + " coded twice"));
    }
    assertEquals(
        Set.of("logEpochDay", "clientIpFingerprint"), difference(instanceFields(SecurityPing.class), coded),
        "ping fields neither coded nor derived (logEpochDay from the time, the fingerprint from the hash)");
    assertEquals(
        Set.of("keepClientIp", "clientIpFingerprint"), difference(instanceFields(SecurityPing.Builder.class), coded),
        "builder fields neither coded nor set when building");
  }

  @Test
  void columnNamesAreUnique() {
    List<String> names = new ArrayList<>();
    SecurityPing.FIELDS.forEach(f -> names.add(f.name()));
    assertEquals(names.size(), new TreeSet<>(names).size(), names.toString());
  }

  private static Set<String> instanceFields(Class<?> c) {
    Set<String> out = new TreeSet<>();
    for (Field f : c.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        out.add(f.getName());
      }
    }
    return out;
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.removeAll(b);
    return out;
  }
}
