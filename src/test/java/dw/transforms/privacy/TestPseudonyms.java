package dw.transforms.privacy;

import dw.transforms.security.SecurityPing;

/** Pseudonymizes hand-made pings as the parse step does (tests build pings without a classifier). */
public final class TestPseudonyms {
  /** A fixed test key, hash only (no network, no clear address). */
  public static final ClientIpPolicy HASH_ONLY =
      new ClientIpPolicy(new IpPseudonymizer(IpPseudonymizerTest.KEY), false, false);

  private TestPseudonyms() {}

  /** {@code b}'s ping with its client IP hashed by {@link #HASH_ONLY}. */
  public static SecurityPing pseudonymized(SecurityPing.Builder b) {
    return b.pseudonymize(HASH_ONLY).build();
  }
}
