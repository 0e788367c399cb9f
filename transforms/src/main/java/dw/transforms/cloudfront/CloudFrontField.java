package dw.transforms.cloudfront;

/**
 * The CloudFront standard-log fields this project reads, with their names as they appear in a
 * {@code #Fields:} header.
 *
 * <p>A field is <em>required</em> when a data line cannot be used without it: a layout that lacks
 * one is rejected by {@link CloudFrontLayout#fromFieldsHeader(String)}. Optional fields are simply
 * absent (position -1) in older layouts and read as {@code null}.
 */
public enum CloudFrontField {
  DATE("date", true),
  TIME("time", true),
  EDGE_LOCATION("x-edge-location", false),
  SC_BYTES("sc-bytes", false),
  CLIENT_IP("c-ip", true),
  METHOD("cs-method", true),
  HOST("cs(Host)", false),
  URI_STEM("cs-uri-stem", true),
  STATUS("sc-status", false),
  USER_AGENT("cs(User-Agent)", true),
  QUERY("cs-uri-query", true),
  REQUEST_ID("x-edge-request-id", false),
  HOST_HEADER("x-host-header", false),
  REFERER("cs(Referer)", false);

  private final String headerName;
  private final boolean required;

  CloudFrontField(String headerName, boolean required) {
    this.headerName = headerName;
    this.required = required;
  }

  /** The name as written in the {@code #Fields:} header, e.g. {@code cs(User-Agent)}. */
  public String headerName() {
    return headerName;
  }

  /** Whether a layout must contain this field for its lines to be parsed. */
  public boolean required() {
    return required;
  }

  /** The field with this header name (ASCII case-insensitive), or {@code null}. */
  public static CloudFrontField byHeaderName(String name) {
    for (CloudFrontField f : VALUES) {
      if (f.headerName.equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }

  static final CloudFrontField[] VALUES = values();
}
