package dw.io.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.warehouse.Dialect;
import dw.io.warehouse.WarehouseUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnowflakeConfigTest {
  static final SnowflakeConfig.Overrides NONE = SnowflakeConfig.Overrides.none();

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("SNOWFLAKE_ACCOUNT", "acme-prod");
    env.put("SNOWFLAKE_LOAD_USER", "LOADER");
    env.put("SNOWFLAKE_LOAD_PASSWORD", "pa55-w0rd-secret");
    env.put("SNOWFLAKE_LOAD_DATABASE", "ANALYTICS");
    env.put("SNOWFLAKE_LOAD_WAREHOUSE", "LOAD_WH");
    env.put("SNOWFLAKE_LOAD_ROLE", "LOADER_ROLE");
    env.put("SNOWFLAKE_STAGING_BUCKET", "s3://dw-staging/snowflake");
    env.put("SNOWFLAKE_STORAGE_INTEGRATION", "DW_S3");
    return env;
  }

  @Test
  void readsTheOriginalDeploymentsVariables() {
    SnowflakeConfig c = SnowflakeConfig.parse("snowflake", env(), NONE);
    assertEquals("acme-prod", c.account());
    assertEquals("acme-prod.snowflakecomputing.com", c.serverName());
    assertEquals("LOADER", c.user());
    assertEquals("pa55-w0rd-secret", c.password());
    assertEquals("ANALYTICS", c.database());
    assertEquals("PUBLIC", c.schema());
    assertEquals("LOAD_WH", c.warehouse());
    assertEquals("LOADER_ROLE", c.role());
    assertEquals("s3://dw-staging/snowflake/", c.stagingBucket());
    assertEquals("DW_S3", c.storageIntegration());
  }

  @Test
  void theUrlAndOptionsOverrideTheEnvironment() {
    SnowflakeConfig c =
        SnowflakeConfig.parse(
            "snowflake://acme-test/STAGE_DB/RAW",
            env(),
            new SnowflakeConfig.Overrides(
                null, "OTHER_USER", null, null, null, "BIG_WH", "", "s3://other/x/", "OTHER_INT", null, null));
    assertEquals("acme-test", c.account());
    assertEquals("STAGE_DB", c.database());
    assertEquals("RAW", c.schema());
    assertEquals("OTHER_USER", c.user());
    assertEquals("BIG_WH", c.warehouse());
    assertEquals("LOADER_ROLE", c.role(), "an empty option leaves the environment's value");
    assertEquals("s3://other/x/", c.stagingBucket());
    assertEquals("OTHER_INT", c.storageIntegration());
    WarehouseUrl w = WarehouseUrl.parse("snowflake://acme-test/STAGE_DB/RAW", env(), NONE);
    assertEquals(Dialect.SNOWFLAKE, w.dialect());
    assertNotNull(w.snowflake());
  }

  @Test
  void missingSettingsAreNamedWithTheirVariableAndOption() {
    Map<String, String> env = env();
    env.remove("SNOWFLAKE_LOAD_WAREHOUSE");
    env.remove("SNOWFLAKE_LOAD_PASSWORD");
    env.remove("SNOWFLAKE_STAGING_BUCKET");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SnowflakeConfig.parse("snowflake", env, NONE));
    assertTrue(e.getMessage().startsWith("--warehouse=snowflake: missing "), e.getMessage());
    assertTrue(e.getMessage().contains("SNOWFLAKE_LOAD_WAREHOUSE or --snowflakeWarehouse"), e.getMessage());
    assertTrue(e.getMessage().contains("SNOWFLAKE_LOAD_PASSWORD"), e.getMessage());
    assertTrue(e.getMessage().contains("--snowflakeStagingBucket"), e.getMessage());
    Map<String, String> bad = env();
    bad.put("SNOWFLAKE_STORAGE_INTEGRATION", "DW_S3; DROP TABLE x");
    e = assertThrows(IllegalArgumentException.class, () -> SnowflakeConfig.parse("snowflake", bad, NONE));
    assertTrue(e.getMessage().startsWith("--snowflakeStorageIntegration="), e.getMessage());
  }

  @Test
  void secretsNeverShowInTextsOrErrors() {
    SnowflakeConfig c = SnowflakeConfig.parse("snowflake", env(), NONE);
    assertFalse(c.toString().contains("pa55"), c.toString());
    WarehouseUrl w = WarehouseUrl.parse("snowflake", env(), NONE);
    assertFalse(w.toString().contains("pa55"), w.toString());
    Map<String, String> env = env();
    env.remove("SNOWFLAKE_LOAD_USER");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SnowflakeConfig.parse("snowflake", env, NONE));
    assertFalse(e.getMessage().contains("pa55"), e.getMessage());
  }

  @Test
  void loadsAPkcs8KeyAndExplainsBadKeys(@TempDir Path dir) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    PrivateKey key = g.generateKeyPair().getPrivate();
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    Path good = dir.resolve("rsa_key.p8");
    Files.writeString(good, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    assertEquals(key, KeyPairs.load(good.toString(), null));

    Map<String, String> env = env();
    env.remove("SNOWFLAKE_LOAD_PASSWORD");
    env.put("SNOWFLAKE_LOAD_PRIVATE_KEY_FILE", good.toString());
    SnowflakeConfig c = SnowflakeConfig.parse("snowflake", env, NONE);
    assertEquals(good.toString(), c.privateKeyFile());
    assertFalse(c.toString().contains(body.substring(0, 30)));

    Path pkcs1 = dir.resolve("pkcs1.pem");
    Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeyPairs.load(pkcs1.toString(), null));
    assertTrue(e.getMessage().contains("PKCS#1") && e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());

    Path garbage = dir.resolve("garbage.p8");
    Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n");
    e = assertThrows(IllegalArgumentException.class, () -> KeyPairs.load(garbage.toString(), null));
    assertTrue(e.getMessage().startsWith("--snowflakePrivateKeyFile=" + garbage + ": not a usable RSA private key"), e.getMessage());

    Path notPem = dir.resolve("key.txt");
    Files.writeString(notPem, "hello");
    e = assertThrows(IllegalArgumentException.class, () -> KeyPairs.load(notPem.toString(), null));
    assertTrue(e.getMessage().contains("not a PEM private key"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> KeyPairs.load(dir.resolve("missing.p8").toString(), null));
    assertTrue(e.getMessage().contains("cannot read the private key file"), e.getMessage());

    Path encrypted = dir.resolve("enc.p8");
    Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
    e = assertThrows(IllegalArgumentException.class, () -> KeyPairs.load(encrypted.toString(), null));
    assertTrue(e.getMessage().contains("SNOWFLAKE_LOAD_PRIVATE_KEY_PASSPHRASE"), e.getMessage());

    // An encrypted key (PBES2 with AES-256, as `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes it).
    String alg = "PBEWithHmacSHA256AndAES_256";
    javax.crypto.SecretKey pbeKey =
        javax.crypto.SecretKeyFactory.getInstance(alg).generateSecret(new javax.crypto.spec.PBEKeySpec("s3cret".toCharArray()));
    javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance(alg);
    cipher.init(
        javax.crypto.Cipher.ENCRYPT_MODE,
        pbeKey,
        new javax.crypto.spec.PBEParameterSpec(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 2048));
    // EncryptedPrivateKeyInfo ::= SEQUENCE { SEQUENCE { OID pbes2, PBES2-params }, OCTET STRING }
    byte[] pbes2Oid = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x05, 0x0D};
    byte[] algId = der(0x30, concat(pbes2Oid, cipher.getParameters().getEncoded()));
    byte[] enc = der(0x30, concat(algId, der(0x04, cipher.doFinal(key.getEncoded()))));
    Path encFile = dir.resolve("enc_key.p8");
    Files.writeString(
        encFile,
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(enc)
            + "\n-----END ENCRYPTED PRIVATE KEY-----\n");
    assertEquals(key, KeyPairs.load(encFile.toString(), "s3cret"));
    e = assertThrows(IllegalArgumentException.class, () -> KeyPairs.load(encFile.toString(), "wrong"));
    assertTrue(e.getMessage().contains("wrong passphrase") && !e.getMessage().contains("wrong\""), e.getMessage());

    env.put("SNOWFLAKE_LOAD_PRIVATE_KEY_FILE", garbage.toString());
    e = assertThrows(IllegalArgumentException.class, () -> SnowflakeConfig.parse("snowflake", env, NONE));
    assertTrue(e.getMessage().startsWith("--snowflakePrivateKeyFile="), "fails at start-up: " + e.getMessage());
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A DER tag-length-value. */
  static byte[] der(int tag, byte[] content) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 128) {
      out.write(n);
    } else if (n < 256) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
