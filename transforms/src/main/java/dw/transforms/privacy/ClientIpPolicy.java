package dw.transforms.privacy;

import java.io.Serializable;

/**
 * What may be stored of a client IP: always its keyed hash; its truncated network only when asked
 * for ({@code --storeNetwork}); the address in clear only when deliberately asked for ({@code
 * --storeClientIpInClear}, default off). Sinks call this once per written row and never read the
 * raw address themselves.
 */
public final class ClientIpPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  private final IpPseudonymizer pseudonymizer;
  private final boolean storeNetwork;
  private final boolean storeInClear;

  public ClientIpPolicy(IpPseudonymizer pseudonymizer, boolean storeNetwork, boolean storeInClear) {
    if (pseudonymizer == null) {
      throw new IllegalArgumentException("an IP pseudonymizer is required");
    }
    this.pseudonymizer = pseudonymizer;
    this.storeNetwork = storeNetwork;
    this.storeInClear = storeInClear;
  }

  /** The keyed hash ({@link IpPseudonymizer#hash}); null for a missing address. */
  public String hash(String ip) {
    return pseudonymizer.hash(ip);
  }

  /** The {@code /24} or {@code /48} network when {@code --storeNetwork} is set, else null. */
  public String network(String ip) {
    return storeNetwork ? IpPseudonymizer.network(ip) : null;
  }

  /** The address itself when {@code --storeClientIpInClear} is set, else null. */
  public String clear(String ip) {
    return storeInClear ? ip : null;
  }

  /** The keyed hash itself, for other personal values hashed with the same key (e-mail addresses). */
  public IpPseudonymizer pseudonymizer() {
    return pseudonymizer;
  }

  /**
   * What the pipeline keeps of one address, computed once where the address is read: {@link
   * #hash}, {@link #fingerprint}, {@link #network} (null unless {@code --storeNetwork}) and {@link
   * #clear} (null unless {@code --storeClientIpInClear}).
   */
  public static final class Pseudonyms {
    private final String hash;
    private final String network;
    private final String clear;
    private final long fingerprint;

    Pseudonyms(String hash, String network, String clear, long fingerprint) {
      this.hash = hash;
      this.network = network;
      this.clear = clear;
      this.fingerprint = fingerprint;
    }

    /** {@code client_ip_hash}: HMAC-SHA-256, 64 hex characters. */
    public String hash() {
      return hash;
    }

    /** The first 64 bits of {@link #hash} ({@link IpPseudonymizer#fingerprint}). */
    public long fingerprint() {
      return fingerprint;
    }

    public String network() {
      return network;
    }

    public String clear() {
      return clear;
    }

    @Override
    public String toString() {
      return "Pseudonyms[" + hash + "]"; // never the address
    }
  }

  /**
   * The {@link Pseudonyms} of {@code ip}, computed in one pass (one HMAC); null for a missing
   * address (null, empty or {@code "-"}). Deliberately not cached: client addresses rarely repeat
   * within a reader's recent lines (servers ping a few times a day), and a cache of them cost more
   * than it saved (measured: docs/privacy.md).
   */
  public Pseudonyms pseudonyms(String ip) {
    if (ip == null || ip.isEmpty() || ip.equals("-")) {
      return null;
    }
    return pseudonymizer.pseudonyms(ip, network(ip), clear(ip));
  }

  public boolean storesNetwork() {
    return storeNetwork;
  }

  public boolean storesInClear() {
    return storeInClear;
  }

  @Override
  public String toString() {
    return "ClientIpPolicy[hash" + (storeNetwork ? ", network" : "") + (storeInClear ? ", CLEAR" : "") + "]";
  }
}
