package dw.transforms.security;

/**
 * The ping attributes the exclusion rules look at. Implemented by {@link SecurityPing} and by its
 * {@link SecurityPing.Builder}, so {@link ExclusionRules#reasons(SecurityPingFields, String)} can run
 * on a finished ping or on the classifier's pending one ({@link PingClassifier#pending()}) before
 * the ping object is created.
 */
public interface SecurityPingFields {
  /** Server id ({@code id}); null if absent. */
  String serverId();

  /**
   * Client IP ({@code c-ip}) as logged: on the classifier's pending ping always (the rules run
   * there); on a finished {@link SecurityPing} only with {@code --storeClientIpInClear}.
   */
  String clientIp();

  /** {@code ut == "1"}. */
  boolean ranUnitTests();

  /** {@code b} matches none of the accepted build formats (see {@link BuildVersion}). */
  boolean customBuild();

  /** {@code uc}; null if not reported. */
  Long registeredUsers();

  /** {@code auc}; null if not reported. */
  Long activeUsers();
}
