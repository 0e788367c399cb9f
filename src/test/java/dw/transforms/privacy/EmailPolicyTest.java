package dw.transforms.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EmailPolicyTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @Test
  void hashesTheCanonicalFormWithTheIpKey() throws Exception {
    EmailPolicy p = new EmailPolicy(new IpPseudonymizer(KEY), false);
    String h = p.hash("  IT-Admin@Example.COM ");
    assertEquals(p.hash("it-admin@example.com"), h);
    assertEquals(64, h.length());
    assertNotEquals(p.hash("it-admin@example.org"), h);
    // HMAC-SHA-256 of a 0 byte and the UTF-8 text, as IpPseudonymizer hashes non-addresses
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
    mac.update((byte) 0);
    byte[] d = mac.doFinal("it-admin@example.com".getBytes(StandardCharsets.UTF_8));
    assertEquals(java.util.HexFormat.of().formatHex(d), h);
    assertNull(p.clear("it-admin@example.com"));
    assertNull(p.hash("  "));
    assertNull(p.hash(null));
  }

  @Test
  void clearOnlyWhenAskedFor() {
    EmailPolicy p = new EmailPolicy(new IpPseudonymizer(KEY), true);
    assertEquals("A@b.c", p.clear("A@b.c"));
  }
}
