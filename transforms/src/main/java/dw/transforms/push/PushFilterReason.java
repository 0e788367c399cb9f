package dw.transforms.push;

/**
 * Why a well-formed ALB access-log entry is not a push request. Filtered lines are expected traffic
 * (health checks, other API routes, browsers), counted by reason ({@code filtered_<code>}), not
 * dead-lettered. Codes are stable snake_case.
 */
public enum PushFilterReason {
  /** The request line is not {@code METHOD URL PROTOCOL} (e.g. {@code "- http://host:80- -"}). */
  MALFORMED_REQUEST("malformed_request"),
  /** The URL path ends with neither {@code /api/v1/send_push} nor {@code /api/v1/ack}. */
  OTHER_ROUTE("other_route"),
  /** A push route with a method other than {@code POST} (GET probes, OPTIONS, …). */
  NOT_POST("not_post"),
  /** The request's UTC day is outside a backfill's --from..--to (files of the next day's folder). */
  OUTSIDE_DATE_RANGE("outside_date_range");

  private final String code;

  PushFilterReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
