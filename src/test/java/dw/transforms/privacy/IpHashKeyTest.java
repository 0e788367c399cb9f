package dw.transforms.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpHashKeyTest {
  static final String HEX_A = "a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0";
  static final String HEX_B = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
  static final String HEX_C = "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0";

  @TempDir Path dir;

  @Test
  void generatesAKeyOnceBesideTheWarehouseAndReusesIt() throws Exception {
    Path keyFile = dir.resolve("data").resolve("ip-hash.key");
    IpHashKey.Resolved first = IpHashKey.resolve("", Map.of(), keyFile);
    assertTrue(first.generated());
    assertTrue(Files.exists(keyFile));
    assertEquals(32, first.key().length);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    long modified = Files.getLastModifiedTime(keyFile).toMillis();

    IpHashKey.Resolved second = IpHashKey.resolve("", Map.of(), keyFile);
    assertArrayEquals(first.key(), second.key());
    assertEquals(modified, Files.getLastModifiedTime(keyFile).toMillis());
    assertEquals(
        first.pseudonymizer().hash("203.0.113.5"), second.pseudonymizer().hash("203.0.113.5"));
    try (var files = Files.list(keyFile.getParent())) {
      assertEquals(1, files.count(), "no temporary files left behind");
    }
    // another folder (another warehouse) gets another key
    IpHashKey.Resolved other = IpHashKey.resolve("", Map.of(), dir.resolve("elsewhere/ip-hash.key"));
    assertFalse(java.util.Arrays.equals(first.key(), other.key()));
  }

  @Test
  void precedenceIsOptionThenKeyFileVariableThenKeyVariableThenGenerated() throws Exception {
    Path optionFile = Files.writeString(dir.resolve("option.key"), HEX_A + "\n");
    Path envFile = Files.writeString(dir.resolve("env.key"), HEX_B);
    Path generated = dir.resolve("gen/ip-hash.key");
    Map<String, String> both =
        Map.of(IpHashKey.ENV_KEY_FILE, envFile.toString(), IpHashKey.ENV_KEY, HEX_C);

    IpHashKey.Resolved r = IpHashKey.resolve(optionFile.toString(), both, generated);
    assertArrayEquals(HexFormat.of().parseHex(HEX_A), r.key());
    assertTrue(r.source().contains("--ipHashKeyFile"), r.source());

    r = IpHashKey.resolve("", both, generated);
    assertArrayEquals(HexFormat.of().parseHex(HEX_B), r.key());
    assertTrue(r.source().contains(IpHashKey.ENV_KEY_FILE), r.source());

    r = IpHashKey.resolve("", Map.of(IpHashKey.ENV_KEY, HEX_C), generated);
    assertArrayEquals(HexFormat.of().parseHex(HEX_C), r.key());

    assertFalse(Files.exists(generated), "a configured key never generates one");
    assertTrue(IpHashKey.resolve("", Map.of(), generated).generated());
  }

  @Test
  void hexAndBase64OfTheSameKeyAreTheSameKey() {
    byte[] key = HexFormat.of().parseHex(HEX_A);
    assertArrayEquals(key, IpHashKey.decode(HEX_A.toUpperCase(), "x"));
    assertArrayEquals(key, IpHashKey.decode(" " + Base64.getEncoder().encodeToString(key) + "\n", "x"));
    assertArrayEquals(key, IpHashKey.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(key), "x"));
  }

  @Test
  void badKeysFailWithTheSourceNamedAndTheValueNotShown() throws Exception {
    String secret = "tooShortSecret!";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> IpHashKey.resolve("", Map.of(IpHashKey.ENV_KEY, secret), dir.resolve("k")));
    assertTrue(e.getMessage().contains(IpHashKey.ENV_KEY), e.getMessage());
    assertFalse(e.getMessage().contains(secret), e.getMessage());

    String shortHex = "00112233445566778899";
    Path file = Files.writeString(dir.resolve("short.key"), shortHex);
    e = assertThrows(IllegalArgumentException.class, () -> IpHashKey.resolve(file.toString(), Map.of(), dir.resolve("k")));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("--ipHashKeyFile"), e.getMessage());
    assertFalse(e.getMessage().contains(shortHex), e.getMessage());

    Path missing = dir.resolve("missing.key");
    e = assertThrows(
        IllegalArgumentException.class,
        () -> IpHashKey.resolve("", Map.of(IpHashKey.ENV_KEY_FILE, missing.toString()), dir.resolve("k")));
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains(IpHashKey.ENV_KEY_FILE), e.getMessage());
  }

  @Test
  void theWarningSaysWhereTheKeyIsAndNeverShowsIt() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    IpHashKey.Resolved r;
    Path keyFile = dir.resolve("logged/ip-hash.key");
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      r = IpHashKey.resolve("", Map.of(), keyFile);
      IpHashKey.resolve("", Map.of(), keyFile); // warned once only
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains(keyFile.toString()), log);
    assertEquals(1, log.split("No IP hash key configured", -1).length - 1, log);
    String hex = HexFormat.of().formatHex(r.key());
    assertFalse(log.contains(hex), log);
    assertFalse(log.contains(Base64.getEncoder().encodeToString(r.key())), log);
    assertFalse(r.toString().contains(hex));
  }
}
