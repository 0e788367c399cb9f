package dw.transforms.pings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dw.transforms.daily.ServerDay;
import dw.transforms.daily.ServerDayCoder;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import dw.transforms.privacy.TestPseudonyms;
import dw.transforms.security.SecurityPing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * The bytes of {@link SecurityPingCoder} and {@link ServerDayCoder} are a savepoint contract: a
 * running stream restores its state with them. The golden file holds the encodings written by the
 * coder as it was when the file was made; a change to how the coder is written must leave them
 * byte-identical (and decode them back to equal values). A deliberate format change bumps {@link
 * SecurityPingCoder#FORMAT} and regenerates the file with {@code -Ddw.updateGolden=true}.
 */
public class SecurityPingCoderGoldenTest {
  private static final Path GOLDEN = Paths.get("src/test/resources/dw/transforms/pings/security-ping-coder.golden");
  private static final byte[] KEY =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  /** Pings that between them set every field, null every nullable one and use every privacy mode. */
  public static Map<String, SecurityPing> pings() {
    Map<String, SecurityPing> m = new LinkedHashMap<>();
    SecurityPing.Builder full =
        SecurityPing.builder()
            .eventTimeMillis(1_790_000_000_123L)
            .serverId("abcdefghijklmnopqrstuvwxyz")
            .rawBuild("10.5.1.123456789.cloud")
            .enterpriseReady(true)
            .database("postgres")
            .os("linux")
            .registeredUsers(120L)
            .teams(7L)
            .activeUsers(40L)
            .ranUnitTests(true)
            .clientIp("2001:db8::1")
            .edgeLocation("FRA56-P1")
            .requestId("req==")
            .geo("DE", "Germany", "BY", "Bayern", "München", 3320L)
            .exclusionMask(5);
    m.put("full-clear-unpseudonymized", full.build());
    m.put("full-hash-only", TestPseudonyms.pseudonymized(full));
    m.put(
        "full-hash-network-clear",
        full.pseudonymize(new ClientIpPolicy(new IpPseudonymizer(KEY), true, true)).build());
    m.put(
        "nulls",
        SecurityPing.builder()
            .eventTimeMillis(-5L)
            .serverId("s")
            .rawBuild(null)
            .enterpriseReady(false)
            .clientIp("198.51.100.7")
            .pseudonymize(new ClientIpPolicy(new IpPseudonymizer(KEY), true, false))
            .build());
    m.put("empty", SecurityPing.builder().build());
    return m;
  }

  static List<String> encodings() throws IOException {
    List<String> lines = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    ServerDay day = new ServerDay();
    for (Map.Entry<String, SecurityPing> e : pings().entrySet()) {
      lines.add("ping " + e.getKey() + " " + hex.formatHex(CoderUtils.encodeToByteArray(SecurityPingCoder.of(), e.getValue())));
      if (e.getValue().serverId() != null) {
        day.add(e.getValue().toBuilder().serverId("abcdefghijklmnopqrstuvwxyz").build());
      }
    }
    lines.add("server-day " + hex.formatHex(CoderUtils.encodeToByteArray(ServerDayCoder.of(), day)));
    return lines;
  }

  @Test
  void encodingsAreThoseOfTheGoldenFile() throws IOException {
    List<String> actual = encodings();
    if (Boolean.getBoolean("dw.updateGolden")) {
      Files.write(GOLDEN, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readAllLines(GOLDEN, StandardCharsets.UTF_8), actual);
  }

  @Test
  void goldenEncodingsDecodeToTheSamePings() throws IOException {
    Map<String, SecurityPing> pings = pings();
    HexFormat hex = HexFormat.of();
    for (String line : Files.readAllLines(GOLDEN, StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      if (f[0].equals("ping")) {
        SecurityPing back = CoderUtils.decodeFromByteArray(SecurityPingCoder.of(), hex.parseHex(f[2]));
        SecurityPing want = pings.get(f[1]);
        assertEquals(want, back, f[1]);
        assertEquals(want.toString(), back.toString(), f[1]);
        assertEquals(want.clientIpFingerprint(), back.clientIpFingerprint(), f[1]);
      } else {
        ServerDay back = CoderUtils.decodeFromByteArray(ServerDayCoder.of(), hex.parseHex(f[1]));
        assertEquals(f[1], hex.formatHex(CoderUtils.encodeToByteArray(ServerDayCoder.of(), back)));
      }
    }
  }
}
