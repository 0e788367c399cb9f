package dw.transforms.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the IP hash key comes from, first match wins:
 *
 * <ol>
 *   <li>the file given by the option {@code --ipHashKeyFile};
 *   <li>the file named by the environment variable {@value #ENV_KEY_FILE} (e.g. a Kubernetes
 *       Secret mounted as a file);
 *   <li>the environment variable {@value #ENV_KEY} itself;
 *   <li>otherwise a generated key: 32 random bytes written once (hex, permissions 600) to a default
 *       file beside the embedded warehouse and reused by every later run; a warning says where.
 * </ol>
 *
 * <p>Keys are text, hex or base64 (standard or URL-safe), of at least {@value
 * IpPseudonymizer#MIN_KEY_BYTES} bytes; surrounding whitespace is ignored. A string of only hex
 * digits of even length is read as hex. No message, log line or exception ever contains the key.
 */
public final class IpHashKey {
  public static final String ENV_KEY = "DW_IP_HASH_KEY";
  public static final String ENV_KEY_FILE = "DW_IP_HASH_KEY_FILE";
  public static final String OPTION = "--ipHashKeyFile";
  public static final int GENERATED_KEY_BYTES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(IpHashKey.class);
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
  private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

  private IpHashKey() {}

  /** A key and where it came from (for messages; {@link #toString} never shows the key). */
  public static final class Resolved {
    private final byte[] key;
    private final String source;
    private final boolean generated;

    Resolved(byte[] key, String source, boolean generated) {
      this.key = key;
      this.source = source;
      this.generated = generated;
    }

    public byte[] key() {
      return key.clone();
    }

    /** E.g. {@code file /run/secrets/ip-key (DW_IP_HASH_KEY_FILE)}. */
    public String source() {
      return source;
    }

    /** Whether the key is the generated default (no key configured). */
    public boolean generated() {
      return generated;
    }

    public IpPseudonymizer pseudonymizer() {
      return new IpPseudonymizer(key);
    }

    @Override
    public String toString() {
      return "IpHashKey[" + source + "]";
    }
  }

  /** Resolves from the process environment; see the class comment for the order. */
  public static Resolved resolve(String keyFileOption, Path defaultKeyFile) {
    return resolve(keyFileOption, System.getenv(), defaultKeyFile);
  }

  /** Resolves from {@code env} (tests pass their own); see the class comment for the order. */
  public static Resolved resolve(String keyFileOption, Map<String, String> env, Path defaultKeyFile) {
    if (keyFileOption != null && !keyFileOption.isBlank()) {
      return fromFile(Path.of(keyFileOption.trim()), OPTION);
    }
    String file = env.get(ENV_KEY_FILE);
    if (file != null && !file.isBlank()) {
      return fromFile(Path.of(file.trim()), ENV_KEY_FILE);
    }
    String value = env.get(ENV_KEY);
    if (value != null && !value.isBlank()) {
      return new Resolved(decode(value, "environment variable " + ENV_KEY), "environment variable " + ENV_KEY, false);
    }
    return loadOrCreate(defaultKeyFile);
  }

  private static Resolved fromFile(Path file, String via) {
    String where = "IP hash key file " + file + " (" + via + ")";
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    return new Resolved(decode(text, where), "file " + file + " (" + via + ")", false);
  }

  /**
   * The generated default key: read from {@code file} if it exists, else 32 random bytes written
   * to it atomically (owner read/write only where the file system has POSIX permissions). Two
   * processes racing on a new file agree on the first one written.
   */
  static Resolved loadOrCreate(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    boolean created = false;
    if (!Files.exists(abs)) {
      byte[] key = new byte[GENERATED_KEY_BYTES];
      new SecureRandom().nextBytes(key);
      try {
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), ".ip-hash", ".tmp", ownerOnly(abs.getParent()));
        try {
          Files.writeString(tmp, HexFormat.of().formatHex(key) + "\n", StandardCharsets.ISO_8859_1);
          try {
            Files.createLink(abs, tmp); // fails if another process created it first
            created = true;
          } catch (FileAlreadyExistsException raced) {
            // keep theirs
          } catch (UnsupportedOperationException | IOException noLinks) {
            if (!Files.exists(abs)) {
              Files.move(tmp, abs);
              created = true;
            }
          }
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot create the IP hash key file "
                + abs
                + " ("
                + e.getClass().getSimpleName()
                // the operating system's reason (no space, read-only, permission), never key material
                + (e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? ": " + f.getReason() : "")
                + "); set "
                + ENV_KEY_FILE
                + ", "
                + ENV_KEY
                + " or "
                + OPTION);
      }
    }
    Resolved r = fromFile(abs, "generated default");
    if (WARNED.add(abs)) {
      LOG.warn(
          "No IP hash key configured ({} / {} / {}): {} the generated key in {}. Client IPs are"
              + " stored as HMAC-SHA-256 with it; keep the file (a new key changes every hash)"
              + " and back it up like a password.",
          OPTION,
          ENV_KEY_FILE,
          ENV_KEY,
          created ? "created" : "using",
          abs);
    }
    return new Resolved(r.key, "generated file " + abs, true);
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
      return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(rw)};
    }
    return new FileAttribute<?>[0];
  }

  /** Hex or base64 text to key bytes; the message names {@code where}, never the value. */
  static byte[] decode(String text, String where) {
    String t = text.strip();
    byte[] key = null;
    if (HEX.matcher(t).matches() && t.length() % 2 == 0) {
      key = HexFormat.of().parseHex(t);
    } else {
      try {
        key = Base64.getDecoder().decode(t);
      } catch (IllegalArgumentException notStandard) {
        try {
          key = Base64.getUrlDecoder().decode(t);
        } catch (IllegalArgumentException notUrlSafe) {
          key = null;
        }
      }
    }
    if (key == null || key.length < IpPseudonymizer.MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          where
              + ": the IP hash key must be hex or base64 text of at least "
              + IpPseudonymizer.MIN_KEY_BYTES
              + " bytes (e.g. `openssl rand -hex 32`); the value is not shown");
    }
    return key;
  }
}
