package dw.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Key material for tests of the Snowflake key-pair authentication. */
public final class TestKeys {
  private TestKeys() {}

  /**
   * Writes a new unencrypted 2048-bit RSA private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) to
   * {@code file}; returns the key's DER encoding (to check it never shows in output).
   */
  public static byte[] writeRsaPrivateKey(Path file) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    byte[] der = g.generateKeyPair().getPrivate().getEncoded();
    Files.writeString(
        file,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
            + "\n-----END PRIVATE KEY-----\n");
    return der;
  }
}
