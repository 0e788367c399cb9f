package dw.transforms.privacy;

import dw.geo.IpAddresses;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonymizes client IP addresses: a keyed hash (HMAC-SHA-256) that is stable for one key, so
 * the same client can be recognised across rows and days, but cannot be reversed or recomputed
 * without the key (a plain SHA-256 of an IPv4 address is brute-forced in seconds).
 *
 * <p>{@link #hash} is {@value #HASH_HEX_LENGTH} lowercase hex characters: HMAC-SHA-256 over one
 * family byte ({@code 4} or {@code 6}) followed by the canonical address bytes from {@link
 * IpAddresses#parse}, so every text form of one address hashes the same ({@code 2001:db8::1} =
 * {@code 2001:0DB8:0:0::0001}; the IPv4-mapped {@code ::ffff:192.0.2.1} = {@code 192.0.2.1}). A
 * value that is not an IP literal is hashed as its UTF-8 text after a {@code 0} byte (so it cannot
 * collide with an address); null, empty and {@code "-"} give null.
 *
 * <p>{@link #network} truncates instead of hashing: the {@code /24} of an IPv4 address or the
 * {@code /48} of an IPv6 address as text ({@code 192.0.2.0/24}, {@code 2001:db8:1::/48}, RFC 5952
 * form) — coarse enough not to identify a host, still useful for network-level analysis.
 *
 * <p>Thread-safe: one {@link Mac} per thread (cloned from a prototype on first use), no locking.
 * Serializable (Beam ships it to the workers with the key); {@link #toString} never shows the key.
 */
public final class IpPseudonymizer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Length of {@link #hash}: SHA-256 is 32 bytes, 64 hex characters. */
  public static final int HASH_HEX_LENGTH = 64;

  /** Shortest accepted key (128 bits); generated keys are 32 bytes. */
  public static final int MIN_KEY_BYTES = 16;

  private static final String ALGORITHM = "HmacSHA256";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final byte[] key;
  private transient ThreadLocal<State> state;

  /**
   * Per-thread hashing state and buffers. HMAC-SHA-256 is {@code H((K ^ opad) || H((K ^ ipad) ||
   * m))}; the two key blocks are absorbed once into {@link #inner} and {@link #outer}, and each
   * hash clones them (two SHA-256 compressions per address instead of the four of {@link Mac},
   * which absorbs the inner key block again after every {@code doFinal}). {@link #mac} is the
   * fallback for a provider whose digests cannot be cloned.
   */
  private static final class State {
    final MessageDigest inner;
    final MessageDigest outer;
    final Mac mac;
    final byte[] innerOut = new byte[32];
    final byte[] out = new byte[32];
    final char[] hex = new char[HASH_HEX_LENGTH];

    State(MessageDigest inner, MessageDigest outer, Mac mac) {
      this.inner = inner;
      this.outer = outer;
      this.mac = mac;
    }
  }

  public IpPseudonymizer(byte[] key) {
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "IP hash key: at least " + MIN_KEY_BYTES + " bytes are needed");
    }
    this.key = key.clone();
    init();
  }

  private void init() {
    MessageDigest[] midstates = midstates(key);
    Mac prototype = midstates == null ? newMac(key) : null;
    state =
        ThreadLocal.withInitial(
            () -> {
              if (midstates == null) {
                return new State(null, null, copy(prototype));
              }
              synchronized (midstates) {
                return new State(clone(midstates[0]), clone(midstates[1]), null);
              }
            });
  }

  /** SHA-256 with the inner and the outer HMAC key block absorbed; null if digests cannot be cloned. */
  private static MessageDigest[] midstates(byte[] key) {
    try {
      byte[] k = key.length > 64 ? MessageDigest.getInstance("SHA-256").digest(key) : key;
      byte[] ipad = new byte[64];
      byte[] opad = new byte[64];
      for (int i = 0; i < 64; i++) {
        byte b = i < k.length ? k[i] : 0;
        ipad[i] = (byte) (b ^ 0x36);
        opad[i] = (byte) (b ^ 0x5c);
      }
      MessageDigest inner = MessageDigest.getInstance("SHA-256");
      inner.update(ipad);
      MessageDigest outer = MessageDigest.getInstance("SHA-256");
      outer.update(opad);
      inner.clone();
      return new MessageDigest[] {inner, outer};
    } catch (CloneNotSupportedException | GeneralSecurityException e) {
      return null;
    }
  }

  private static MessageDigest clone(MessageDigest d) {
    try {
      return (MessageDigest) d.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e); // checked in midstates()
    }
  }

  private static Mac newMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("IP hash key: not usable for " + ALGORITHM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
    }
  }

  private Mac copy(Mac prototype) {
    try {
      synchronized (prototype) {
        return (Mac) prototype.clone();
      }
    } catch (CloneNotSupportedException e) {
      return newMac(key); // providers whose Mac cannot be cloned
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    init();
  }

  /**
   * The keyed hash of a client IP as {@value #HASH_HEX_LENGTH} lowercase hex characters, or null
   * for null, empty or {@code "-"}.
   */
  public String hash(String ip) {
    if (ip == null || ip.isEmpty() || ip.equals("-")) {
      return null;
    }
    State s = state.get();
    mac(ip, s);
    return hex(s);
  }

  /**
   * The pseudonyms of a present address ({@link #hash} and its {@link #fingerprint}) in one pass:
   * the fingerprint comes from the MAC's bytes, not from parsing the text back.
   */
  ClientIpPolicy.Pseudonyms pseudonyms(String ip, String network, String clear) {
    State s = state.get();
    mac(ip, s);
    long fingerprint = 0;
    for (int i = 0; i < 8; i++) {
      fingerprint = (fingerprint << 8) | (s.out[i] & 0xff);
    }
    return new ClientIpPolicy.Pseudonyms(hex(s), network, clear, fingerprint);
  }

  /** HMAC-SHA-256 of the family byte and the address bytes (see the class comment) into s.out. */
  private static void mac(String ip, State s) {
    byte[] address = canonical(ip);
    byte family;
    byte[] body;
    if (address != null) {
      family = (byte) (address.length == 4 ? 4 : 6);
      body = address;
    } else {
      family = 0;
      body = ip.getBytes(StandardCharsets.UTF_8);
    }
    try {
      if (s.inner != null) {
        MessageDigest inner = (MessageDigest) s.inner.clone();
        inner.update(family);
        inner.update(body);
        inner.digest(s.innerOut, 0, 32);
        MessageDigest outer = (MessageDigest) s.outer.clone();
        outer.update(s.innerOut, 0, 32);
        outer.digest(s.out, 0, 32);
      } else {
        s.mac.update(family);
        s.mac.update(body);
        s.mac.doFinal(s.out, 0);
      }
    } catch (GeneralSecurityException | CloneNotSupportedException e) {
      throw new IllegalStateException(ALGORITHM + " failed", e);
    }
  }

  private static String hex(State s) {
    char[] hex = s.hex;
    for (int i = 0; i < 32; i++) {
      int b = s.out[i] & 0xff;
      hex[2 * i] = HEX[b >>> 4];
      hex[2 * i + 1] = HEX[b & 0x0f];
    }
    return new String(hex);
  }

  /**
   * The keyed 64-bit fingerprint of an address whose {@link #hash} is {@code hash}: its first 16 hex
   * digits (the first 64 bits of the HMAC) as a long. Used for distinct counts in Flink state: as
   * keyed and as stable as the hash, free once the hash is known, 8 bytes instead of 64.
   *
   * @throws IllegalArgumentException if {@code hash} does not start with 16 hex digits
   */
  public static long fingerprint(String hash) {
    if (hash == null || hash.length() < 16) {
      throw new IllegalArgumentException("not a client IP hash");
    }
    long v = 0;
    for (int i = 0; i < 16; i++) {
      int d = Character.digit(hash.charAt(i), 16);
      if (d < 0) {
        throw new IllegalArgumentException("not a client IP hash");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /**
   * The address's network, {@code a.b.c.0/24} for IPv4 (and IPv4-mapped IPv6) or the {@code /48}
   * for IPv6 in RFC 5952 form; null when {@code ip} is not an IP literal.
   */
  public static String network(String ip) {
    byte[] a = canonical(ip);
    if (a == null) {
      return null;
    }
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + ".0/24";
    }
    byte[] masked = Arrays.copyOf(a, 16);
    Arrays.fill(masked, 6, 16, (byte) 0);
    return IpAddresses.toText(masked) + "/48";
  }

  /**
   * The canonical bytes of an IP literal: 4 for IPv4 and IPv4-mapped IPv6, 16 for other IPv6;
   * null when not a literal.
   */
  public static byte[] canonical(String ip) {
    return IpAddresses.canonical(ip);
  }

  @Override
  public String toString() {
    return "IpPseudonymizer[HMAC-SHA-256]"; // never the key
  }
}
