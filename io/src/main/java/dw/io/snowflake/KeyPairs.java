package dw.io.snowflake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Loads the RSA private key for Snowflake key-pair authentication (the only authentication
 * Snowpipe accepts) from a PKCS#8 PEM file, plain ({@code BEGIN PRIVATE KEY}) or encrypted ({@code
 * BEGIN ENCRYPTED PRIVATE KEY}, with SNOWFLAKE_LOAD_PRIVATE_KEY_PASSPHRASE). Errors name the file
 * and say what to do; they never contain key material or the passphrase.
 */
public final class KeyPairs {
  private KeyPairs() {}

  public static PrivateKey load(String file, String passphrase) {
    String where = "--snowflakePrivateKeyFile=" + file;
    String pem;
    try {
      pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": cannot read the private key file (" + e.getClass().getSimpleName() + ")");
    }
    if (pem.contains("BEGIN RSA PRIVATE KEY")) {
      throw new IllegalArgumentException(
          where + ": a PKCS#1 key; Snowflake needs PKCS#8: convert it with"
              + " `openssl pkcs8 -topk8 -inform PEM -in key.pem -out key.p8 -nocrypt`");
    }
    boolean encrypted = pem.contains("BEGIN ENCRYPTED PRIVATE KEY");
    if (!encrypted && !pem.contains("BEGIN PRIVATE KEY")) {
      throw new IllegalArgumentException(
          where + ": not a PEM private key (expected -----BEGIN PRIVATE KEY----- or"
              + " -----BEGIN ENCRYPTED PRIVATE KEY-----)");
    }
    byte[] der;
    try {
      String body =
          pem.replaceAll("-----(BEGIN|END) (ENCRYPTED )?PRIVATE KEY-----", "").replaceAll("\\s", "");
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": the PEM body is not valid base64");
    }
    try {
      PKCS8EncodedKeySpec spec;
      if (encrypted) {
        if (passphrase == null) {
          throw new IllegalArgumentException(
              where + ": the key is encrypted; set SNOWFLAKE_LOAD_PRIVATE_KEY_PASSPHRASE");
        }
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
        // openssl's default (PBES2): the JDK names the cipher only through its parameters,
        // e.g. PBEWithHmacSHA256AndAES_256.
        String alg = info.getAlgName();
        if (alg.equals("PBES2") || alg.equals("1.2.840.113549.1.5.13")) {
          alg = info.getAlgParameters().toString();
        }
        SecretKeyFactory f = SecretKeyFactory.getInstance(alg);
        Cipher cipher = Cipher.getInstance(alg);
        cipher.init(
            Cipher.DECRYPT_MODE,
            f.generateSecret(new PBEKeySpec(passphrase.toCharArray())),
            info.getAlgParameters());
        spec = info.getKeySpec(cipher);
      } else {
        spec = new PKCS8EncodedKeySpec(der);
      }
      return KeyFactory.getInstance("RSA").generatePrivate(spec);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          where + ": not a usable RSA private key"
              + (encrypted ? " (or a wrong passphrase)" : "")
              + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}
