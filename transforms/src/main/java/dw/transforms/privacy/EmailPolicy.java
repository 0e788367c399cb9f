package dw.transforms.privacy;

import java.io.Serializable;
import java.util.Locale;

/**
 * What may be stored of an e-mail address (license exports): always the keyed hash of its
 * canonical form (trimmed, lower-cased), with the same key and HMAC as client IPs ({@link
 * IpPseudonymizer}), so one address gives one hash across runs and tables; the address itself only
 * when deliberately asked for ({@code --storeEmailInClear}, default off).
 */
public final class EmailPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  private final IpPseudonymizer pseudonymizer;
  private final boolean storeInClear;

  public EmailPolicy(IpPseudonymizer pseudonymizer, boolean storeInClear) {
    if (pseudonymizer == null) {
      throw new IllegalArgumentException("a pseudonymizer (the hash key) is required");
    }
    this.pseudonymizer = pseudonymizer;
    this.storeInClear = storeInClear;
  }

  /** The canonical form: trimmed and lower-cased (ROOT locale); null for null or blank. */
  public static String canonical(String email) {
    if (email == null) {
      return null;
    }
    String t = email.trim();
    return t.isEmpty() ? null : t.toLowerCase(Locale.ROOT);
  }

  /** The keyed hash of the canonical form (64 hex characters); null for null or blank. */
  public String hash(String email) {
    String c = canonical(email);
    return c == null ? null : pseudonymizer.hash(c);
  }

  /** The address as exported when {@code --storeEmailInClear} is set, else null. */
  public String clear(String email) {
    return storeInClear ? email : null;
  }

  public boolean storesInClear() {
    return storeInClear;
  }

  @Override
  public String toString() {
    return "EmailPolicy[hash" + (storeInClear ? ", CLEAR" : "") + "]";
  }
}
