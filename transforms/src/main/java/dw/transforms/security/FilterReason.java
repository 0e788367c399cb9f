package dw.transforms.security;

/**
 * Why a well-formed CloudFront line is not a security ping. Filtered lines are expected traffic,
 * counted by reason, not dead-lettered. Codes are stable snake_case (metric names, tables).
 */
public enum FilterReason {
  /** {@code cs-uri-stem} is not {@code /security} (e.g. {@code /bulletins/...} fetches). */
  NOT_SECURITY_PATH("not_security_path"),
  /** Method is not {@code GET}. */
  NOT_GET("not_get"),
  /** User agent does not start with {@code Go-http-client/}. */
  NOT_GO_CLIENT("not_go_client"),
  /** Query contains {@code BUMP_RELEASE} or {@code plyr-1} (release tests). */
  TEST_QUERY("test_query"),
  /** A {@code /security} ping without {@code id} or with an empty one: cannot be attributed. */
  MISSING_SERVER_ID("missing_server_id"),
  /** The UTC log day is outside the classifier's optional [from, to] range. */
  OUTSIDE_DATE_RANGE("outside_date_range");

  private final String code;

  FilterReason(String code) {
    this.code = code;
  }

  /** Stable snake_case code. */
  public String code() {
    return code;
  }
}
