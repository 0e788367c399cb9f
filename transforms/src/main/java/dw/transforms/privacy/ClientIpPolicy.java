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
